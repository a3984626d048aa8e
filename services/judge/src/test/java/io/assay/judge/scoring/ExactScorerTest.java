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

    @Test
    void exactMatchKeepsTheSymbols() {
        assertThat(ExactScorer.score("ＡＢＣ", List.of("abc")).correct()).isTrue();
        assertThat(ExactScorer.score("C#", List.of("C")).correct()).isFalse();
        assertThat(ExactScorer.score("50%", List.of("50")).correct()).isFalse();
        assertThat(ExactScorer.score("50%", List.of("50%")).correct()).isTrue();
        assertThat(ExactScorer.score("C#.", List.of("C#")).correct()).isTrue();
        // Numeric parsing is separate and unchanged: 50% is the number 50.
        assertThat(NumberParser.parse("50%").orElseThrow()).isEqualByComparingTo("50");
        assertThat(NumericScorer.score("50%", 50.0, null).correct()).isTrue();
    }
}
