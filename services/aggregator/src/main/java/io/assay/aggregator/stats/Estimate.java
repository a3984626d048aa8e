package io.assay.aggregator.stats;

/**
 * A proportion with its 95% interval.
 *
 * @param value the point estimate {@code successes / n} (0 when {@code n} is 0)
 * @param lower lower end of the interval, in [0, 1]
 * @param upper upper end of the interval, in [0, 1]
 * @param n observations behind it
 */
public record Estimate(double value, double lower, double upper, long n) {}
