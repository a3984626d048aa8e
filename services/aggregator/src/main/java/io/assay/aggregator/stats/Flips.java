package io.assay.aggregator.stats;

import java.util.Map;

/**
 * Regressions between two versions of a model as prediction flips (Yan et al. 2021,
 * <i>Positive-Congruent Training: Towards Regression-Free Model Updates</i>, CVPR 2021, pp. 14299–14308: the
 * negative flip rate). On the cases both versions answered, a <em>negative</em> flip is one the
 * previous version got right and the current one gets wrong, a <em>positive</em> flip the reverse:
 *
 * <pre>
 * negative_flip_rate = negative / shared     (with its 95% {@link Wilson} interval)
 * positive_flip_rate = positive / shared
 * </pre>
 *
 * <p>Accuracy alone hides them: a new version can gain as many items as it loses and score the same.
 */
public final class Flips {
    private Flips() {}

    /**
     * The flips between two versions.
     *
     * @param shared the cases both versions answered
     * @param negative previous right, current wrong
     * @param positive previous wrong, current right
     */
    public record Result(long shared, long negative, long positive) {
        /** {@code negative / shared}; NaN when nothing is shared. */
        public double negativeRate() {
            return (double) negative / shared;
        }

        /** {@code positive / shared}; NaN when nothing is shared. */
        public double positiveRate() {
            return (double) positive / shared;
        }

        /** The negative flip rate with its 95% Wilson interval (value 0, interval [0, 1] when nothing is shared). */
        public Estimate negativeInterval() {
            return Wilson.score(negative, shared);
        }
    }

    /**
     * The flips from {@code previous} to {@code current}, each mapping a case (the same key in both:
     * item, prompt format, judge) to whether the version got it right; cases only one answered do
     * not count.
     */
    public static <K> Result between(Map<K, Boolean> previous, Map<K, Boolean> current) {
        long shared = 0;
        long negative = 0;
        long positive = 0;
        for (Map.Entry<K, Boolean> e : current.entrySet()) {
            Boolean before = previous.get(e.getKey());
            if (before == null) {
                continue;
            }
            shared++;
            if (before && !e.getValue()) {
                negative++;
            } else if (!before && e.getValue()) {
                positive++;
            }
        }
        return new Result(shared, negative, positive);
    }
}
