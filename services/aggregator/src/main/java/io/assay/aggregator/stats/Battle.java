package io.assay.aggregator.stats;

/**
 * One comparison of two models on one item.
 *
 * @param a the first model (the judged subject)
 * @param b the second model (the baseline)
 * @param scoreA 1 when a won, 0.5 for a tie, 0 when b won
 */
public record Battle(String a, String b, double scoreA) {}
