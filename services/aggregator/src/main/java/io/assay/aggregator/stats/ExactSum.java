package io.assay.aggregator.stats;

import java.math.BigDecimal;

/**
 * A sum of doubles kept exactly (every double is a finite binary fraction, so a {@link BigDecimal} holds
 * it and any sum or difference of such without rounding), rounded once when read. Values added and taken
 * away in any order leave the same sum, so a view kept up to date judgment by judgment and one computed
 * from every slot in key order give the same bits (docs/aggregation.md, "Incremental views"). Not
 * thread-safe.
 */
public final class ExactSum {
    private BigDecimal sum = BigDecimal.ZERO;
    private long count;

    /** Adds ({@code sign} 1) or takes away (−1) {@code x}. */
    public void add(double x, int sign) {
        BigDecimal v = new BigDecimal(x);
        sum = sign > 0 ? sum.add(v) : sum.subtract(v);
        count += sign;
    }

    /** A copy, to take values away from without changing this one. */
    public ExactSum copy() {
        ExactSum c = new ExactSum();
        c.sum = sum;
        c.count = count;
        return c;
    }

    /** How many values are in the sum. */
    public long count() {
        return count;
    }

    /** The sum, rounded to the nearest double. */
    public double sum() {
        return sum.doubleValue();
    }

    /** The sum, rounded, over the count; NaN when empty. */
    public double mean() {
        return count == 0 ? Double.NaN : sum.doubleValue() / count;
    }
}
