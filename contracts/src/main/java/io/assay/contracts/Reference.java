package io.assay.contracts;

import java.util.List;

/**
 * What a correct answer looks like, for reference scorers and judges.
 *
 * @param answers accepted answers (normalised exact match); for a multiple-choice item the text
 *     of the correct choice or its letter
 * @param value the numeric answer, for numeric items
 * @param tolerance absolute tolerance on {@code value} (default 1e-6 when absent)
 * @param regex a pattern a correct answer matches
 * @param checklist points a judge checks, for judged tasks (WildBench-style)
 */
public record Reference(List<String> answers, Double value, Double tolerance, String regex, List<String> checklist) {

    /** A reference with one accepted answer. */
    public static Reference answer(String answer) {
        return new Reference(List.of(answer), null, null, null, null);
    }

    /** A numeric reference. */
    public static Reference numeric(double value, double tolerance) {
        return new Reference(null, value, tolerance, null, null);
    }
}
