package io.assay.aggregator.stats;

/**
 * One comparison of two models on one item.
 *
 * @param a the first model (the judged subject)
 * @param b the second model (the baseline)
 * @param scoreA 1 when a won, 0.5 for a tie, 0 when b won
 * @param cluster what the bootstrap resamples as one unit: the item, whose battles (several models,
 *     variants, baselines) share its difficulty; {@code null} makes the battle its own unit (Arena)
 */
public record Battle(String a, String b, double scoreA, String cluster) {
    /** A battle that is its own resampling unit, as every Chatbot Arena battle is. */
    public Battle(String a, String b, double scoreA) {
        this(a, b, scoreA, null);
    }
}
