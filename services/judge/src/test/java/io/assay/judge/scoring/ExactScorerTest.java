package io.assay.judge.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExactScorerTest {

    @Test
    void matchesAnyAcceptedAnswer() {
        Verdict verdict = ExactScorer.score("NYC", List.of("New York City", "nyc"));
        assertThat(verdict.correct()).isTrue();
        assertThat(verdict.details()).containsEntry("matched", "nyc").containsEntry("scorer", "exact");
    }

    @Test
    void trailingPeriodAndExtraWhitespaceStillMatch() {
        assertThat(ExactScorer.score("the  blue   whale.", List.of("The blue whale"))
                        .correct())
                .isTrue();
    }

    @Test
    void aDifferentAnswerIsIncorrectWithARationale() {
        Verdict verdict = ExactScorer.score("Lyon", List.of("Paris"));
        assertThat(verdict.correct()).isFalse();
        assertThat(verdict.rationale()).isEqualTo("extracted 'Lyon', does not match 'Paris'");
    }

    @Test
    void anEmptyAnswerNeverMatches() {
        assertThat(ExactScorer.score("", List.of("...")).correct()).isFalse();
    }

    @Test
    void noReferenceAnswersIsUnscorable() {
        assertThatThrownBy(() -> ExactScorer.score("x", List.of())).isInstanceOf(UnscorableException.class);
    }
}
