package io.assay.promptgenerator.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.AnswerFormat;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Reference;
import io.assay.contracts.SimHints;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationHintsTest {
    private static final List<String> CHOICES = List.of("The blue curve", "The red curve", "The green curve");

    @Test
    void aChoiceReferenceGivenAsTextBecomesItsLetter() {
        assertThat(SimulationHints.choiceLetter(CHOICES, null, "the  RED curve "))
                .isEqualTo("B");
    }

    @Test
    void aChoiceReferenceGivenAsALetterIsKeptInUpperCase() {
        assertThat(SimulationHints.choiceLetter(CHOICES, null, "c")).isEqualTo("C");
    }

    @Test
    void choiceTextWinsOverALetterWhenAChoiceIsItselfALetter() {
        assertThat(SimulationHints.choiceLetter(List.of("B", "A"), null, "A")).isEqualTo("B");
    }

    @Test
    void numbersAreWrittenWithoutATrailingZero() {
        assertThat(SimulationHints.number(42.0)).isEqualTo("42");
        assertThat(SimulationHints.number(-3.0)).isEqualTo("-3");
        assertThat(SimulationHints.number(2.5)).isEqualTo("2.5");
        assertThat(SimulationHints.number(0.00001)).isEqualTo("0.00001");
    }

    @Test
    void hintsOfAChoiceItem() {
        BenchmarkItem item = item(CHOICES, Reference.answer("The green curve"), 0.7);

        SimHints hints = SimulationHints.of(item);

        assertThat(hints).isEqualTo(new SimHints(0.7, "C", AnswerFormat.CHOICE, 3));
    }

    @Test
    void hintsOfANumericAndATextItem() {
        assertThat(SimulationHints.of(item(null, Reference.numeric(12.0, 0.0), 1.0)))
                .isEqualTo(new SimHints(1.0, "12", AnswerFormat.NUMBER, null));
        assertThat(SimulationHints.of(item(null, Reference.answer("Paris"), -1.0)))
                .isEqualTo(new SimHints(-1.0, "Paris", AnswerFormat.TEXT, null));
    }

    @Test
    void aMissingDifficultyIsDerivedFromTheKeyWithinPlusMinusTwo() {
        BenchmarkItem item = item(null, Reference.answer("Paris"), null);

        double difficulty = SimulationHints.difficulty(item);

        assertThat(difficulty).isBetween(-2.0, 2.0).isEqualTo(SimulationHints.difficulty(item));
        // Hand-worked: the first 8 hex digits of Ids.hash("bench/i1") mapped onto [-2, 2].
        long bits = Long.parseLong(io.assay.contracts.Ids.hash("bench/i1").substring(0, 8), 16);
        assertThat(difficulty).isEqualTo(-2.0 + 4.0 * bits / 4294967295.0);
    }

    private static BenchmarkItem item(List<String> choices, Reference reference, Double difficulty) {
        return new BenchmarkItem(
                "bench",
                "i1",
                null,
                Instant.parse("2026-01-01T00:00:00Z"),
                null,
                null,
                null,
                "q",
                null,
                choices,
                reference,
                difficulty,
                null);
    }
}
