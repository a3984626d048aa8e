package io.assay.judge.scoring;

import java.util.List;
import java.util.function.Function;

/**
 * An answer's token overlap with one reference answer: precision = common / answer tokens, recall =
 * common / reference tokens, F = 2PR / (P + R) (β = 1), each 0 when its denominator is. The overlap
 * scorers ({@link TokenF1Scorer}, {@link RougeLScorer}) differ only in how they count {@code common}.
 *
 * @param reference the reference answer
 * @param common the tokens the answer and the reference share (multiset intersection, or LCS)
 * @param precision common / answer tokens
 * @param recall common / reference tokens
 * @param f their harmonic mean
 */
record Overlap(String reference, int common, double precision, double recall, double f) {

    static Overlap of(String reference, int common, int answerTokens, int referenceTokens) {
        double precision = answerTokens == 0 ? 0 : common / (double) answerTokens;
        double recall = referenceTokens == 0 ? 0 : common / (double) referenceTokens;
        double f = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new Overlap(reference, common, precision, recall, f);
    }

    /** The best overlap over the references, the first on ties (the scorers take the maximum F). */
    static Overlap best(List<String> references, Function<String, Overlap> against) {
        Overlap best = null;
        for (String reference : references) {
            Overlap o = against.apply(reference);
            if (best == null || o.f() > best.f()) {
                best = o;
            }
        }
        return best;
    }
}
