package io.assay.judge.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class NumericScorerTest {

    @Test
    void parsesTheWaysPeopleWriteNumbers() {
        assertThat(parse("1,000")).isEqualTo(1000.0);
        assertThat(parse("1 000")).isEqualTo(1000.0);
        assertThat(parse("1e3")).isEqualTo(1000.0);
        assertThat(parse("+5")).isEqualTo(5.0);
        assertThat(parse("\u22125")).isEqualTo(-5.0);
        assertThat(parse("$12")).isEqualTo(12.0);
        assertThat(parse("12%")).isEqualTo(12.0);
        assertThat(parse("3/4")).isEqualTo(0.75);
        assertThat(parse("42 apples")).isEqualTo(42.0);
        assertThat(parse("about 1,250.5 km")).isEqualTo(1250.5);
        assertThat(parse("x = -7 (checked)")).isEqualTo(-7.0);
        assertThat(parse("１２")).isEqualTo(12.0);
    }

    @Test
    void junkIsNotANumber() {
        assertThat(NumberParser.parse("forty-two")).isEmpty();
        assertThat(NumberParser.parse("")).isEmpty();
        assertThat(NumberParser.parse("1/0")).isEmpty();
        assertThat(NumberParser.parse("1e99999999999")).isEmpty();
    }

    @Test
    void groupedThousandsEqualTheValue() {
        assertThat(NumericScorer.score("1,000", 1000.0, null).correct()).isTrue();
        assertThat(NumericScorer.score("1e3", 1000.0, null).correct()).isTrue();
    }

    @Test
    void zeroToleranceNeedsTheExactValue() {
        assertThat(NumericScorer.score("-0.5", -0.5, 0.0).correct()).isTrue();
        assertThat(NumericScorer.score("-0.50001", -0.5, 0.0).correct()).isFalse();
    }

    @Test
    void exactlyAtTheToleranceCountsAsCorrect() {
        // |10.25 - 10| = 0.25 = tolerance; and 1.1 vs 1 with tolerance 0.1, where doubles would say 0.1000000000000001.
        assertThat(NumericScorer.score("10.25", 10.0, 0.25).correct()).isTrue();
        assertThat(NumericScorer.score("1.1", 1.0, 0.1).correct()).isTrue();
        assertThat(NumericScorer.score("10.2500001", 10.0, 0.25).correct()).isFalse();
    }

    @Test
    void defaultToleranceIsOneMillionth() {
        assertThat(NumericScorer.score("2.0000009", 2.0, null).correct()).isTrue();
        assertThat(NumericScorer.score("2.000002", 2.0, null).correct()).isFalse();
    }

    @Test
    void aFractionEqualsItsDecimal() {
        assertThat(NumericScorer.score("3/4", 0.75, null).correct()).isTrue();
    }

    @Test
    void junkIsIncorrectWithARationale() {
        Verdict verdict = NumericScorer.score("no idea", 42.0, null);
        assertThat(verdict.correct()).isFalse();
        assertThat(verdict.rationale()).isEqualTo("extracted 'no idea' is not a number, expected 42 \u00B1 0.000001");
    }

    @Test
    void rationaleShowsTheParsedNumber() {
        Verdict verdict = NumericScorer.score("1,000", 1000.0, 0.5);
        assertThat(verdict.rationale()).isEqualTo("extracted '1,000' = 1000, expected 1000 \u00B1 0.5");
        assertThat(verdict.details()).containsEntry("scorer", "numeric").containsEntry("expected", 1000.0);
    }

    private static double parse(String text) {
        return NumberParser.parse(text).map(BigDecimal::doubleValue).orElseThrow();
    }
}
