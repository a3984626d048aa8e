package io.assay.judge.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnswerExtractorTest {

    @Test
    void takesTheTextAfterAnswerOnItsLine() {
        assertThat(AnswerExtractor.extract("3 + 4 = 7, times 2 is 14, minus 5 is 9.\nAnswer: 9"))
                .isEqualTo("9");
    }

    @Test
    void theLastAnswerMarkerWins() {
        String output = "Answer: 12\nWait, I made a mistake.\nanswer: 14\nThat's it.";
        assertThat(AnswerExtractor.extract(output)).isEqualTo("14");
    }

    @Test
    void markerIsCaseInsensitiveAndAcceptsAFullWidthColon() {
        assertThat(AnswerExtractor.extract("Reasoning...\nFINAL ANSWER： Paris")).isEqualTo("Paris");
    }

    @Test
    void stripsMarkdownQuotesAndATrailingPeriod() {
        assertThat(AnswerExtractor.extract("**Answer:** `42`.")).isEqualTo("42");
        assertThat(AnswerExtractor.extract("Answer: **\"Paris\"**")).isEqualTo("Paris");
        assertThat(AnswerExtractor.extract("Answer: 'B'.")).isEqualTo("B");
        assertThat(AnswerExtractor.extract("Answer: $\\boxed{17}$")).isEqualTo("17");
    }

    @Test
    void keepsParenthesesForTheChoiceScorer() {
        assertThat(AnswerExtractor.extract("Answer: (B)")).isEqualTo("(B)");
    }

    @Test
    void withoutAMarkerTakesTheLastNonEmptyLine() {
        assertThat(AnswerExtractor.extract("Let me think.\nThe result is 7.\n\n  \n"))
                .isEqualTo("The result is 7");
    }

    @Test
    void aMarkerEndingItsLineTakesTheNextNonEmptyLine() {
        assertThat(AnswerExtractor.extract("Answer:\n\n  Madrid\n")).isEqualTo("Madrid");
    }

    @Test
    void blankOutputGivesAnEmptyAnswer() {
        assertThat(AnswerExtractor.extract("  \n ")).isEmpty();
        assertThat(AnswerExtractor.extract(null)).isEmpty();
    }
}
