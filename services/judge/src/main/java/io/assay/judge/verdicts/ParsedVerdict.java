package io.assay.judge.verdicts;

/**
 * What a judge's reply says, or why it could not be read.
 *
 * @param parsed whether a verdict was found
 * @param value the verdict as a number: a score on its scale (score), A's side on -2..2 with
 *     {@code A++} = 2 (pairwise), the probability that A is preferred in [0, 1] (preference)
 * @param label the verdict as the judge wrote it ({@code 7}, {@code A+}, {@code B})
 * @param rationale the judge's reasoning, when it gave one
 * @param problem why it could not be read ({@code null} when parsed)
 */
public record ParsedVerdict(boolean parsed, double value, String label, String rationale, String problem) {

    /** A verdict. */
    public static ParsedVerdict of(double value, String label, String rationale) {
        return new ParsedVerdict(true, value, label, rationale, null);
    }

    /** No verdict, with the reason. */
    public static ParsedVerdict unparseable(String problem) {
        return new ParsedVerdict(false, Double.NaN, null, null, problem);
    }
}
