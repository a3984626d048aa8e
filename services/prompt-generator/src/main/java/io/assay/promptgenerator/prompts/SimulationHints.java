package io.assay.promptgenerator.prompts;

import io.assay.contracts.AnswerFormat;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Choices;
import io.assay.contracts.Ids;
import io.assay.contracts.Reference;
import io.assay.contracts.SimHints;
import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalInt;

/**
 * Derives the ground truth a simulated model needs ({@link SimHints}) from an item. Attached to
 * requests for {@code sim} models only.
 */
public final class SimulationHints {
    /** Half-width of the range a difficulty derived from the item key falls in: [-2, 2]. */
    static final double DERIVED_DIFFICULTY_RANGE = 2.0;

    private SimulationHints() {}

    /** The hints for {@code item} asked with its choices in canonical order. */
    public static SimHints of(BenchmarkItem item) {
        return of(item, null);
    }

    /**
     * The hints for {@code item} asked with its choices in the order {@code permutation} shows them: the
     * answer of a choice item is the letter the correct choice is shown at, so the simulator answers
     * through the same permutation the judge undoes.
     */
    public static SimHints of(BenchmarkItem item, List<Integer> permutation) {
        AnswerFormat format = AnswerFormat.of(item);
        Integer choiceCount = format == AnswerFormat.CHOICE ? item.choices().size() : null;
        return new SimHints(difficulty(item), answer(item, format, permutation), format, choiceCount);
    }

    /**
     * The item's own difficulty, or one derived from its key: the first 32 bits of its hash mapped
     * linearly onto [-2, 2], so every replica and every replay gives an item the same difficulty.
     */
    public static double difficulty(BenchmarkItem item) {
        if (item.difficulty() != null) {
            return item.difficulty();
        }
        long bits = Long.parseLong(Ids.hash(item.key()).substring(0, 8), 16);
        double unit = bits / (double) 0xFFFF_FFFFL;
        return -DERIVED_DIFFICULTY_RANGE + 2 * DERIVED_DIFFICULTY_RANGE * unit;
    }

    /**
     * The correct answer as the model should write it, for a choice item the letter it is shown at under
     * {@code permutation}; empty when the reference has none (judged tasks).
     */
    public static String answer(BenchmarkItem item, AnswerFormat format, List<Integer> permutation) {
        Reference reference = item.reference();
        if (reference == null) {
            return "";
        }
        String first = reference.answers() == null || reference.answers().isEmpty()
                ? null
                : reference.answers().get(0);
        return switch (format) {
            case CHOICE ->
                choiceLetter(
                        item.choices(),
                        permutation,
                        first != null ? first : reference.value() != null ? number(reference.value()) : "");
            case NUMBER -> number(reference.value());
            case TEXT -> first == null ? "" : first;
        };
    }

    /**
     * The letter the correct choice is shown at. The reference names the choice by its text or by its
     * canonical letter ({@link Choices#referenceIndex}, the judge's reading); a reference that names no
     * choice is passed through as written.
     */
    public static String choiceLetter(List<String> choices, List<Integer> permutation, String reference) {
        OptionalInt canonical = Choices.referenceIndex(reference, choices);
        if (canonical.isEmpty()) {
            return reference.trim();
        }
        return Choices.letter(Choices.shownPosition(canonical.getAsInt(), permutation, choices.size()));
    }

    /** A number as a model would write it: {@code 42} not {@code 42.0}, {@code 0.00001} not {@code 1.0E-5}. */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
