package io.assay.aggregator.stats;

/**
 * The Wilson score interval for a binomial proportion: E. B. Wilson (1927), "Probable inference,
 * the law of succession, and statistical inference", Journal of the American Statistical
 * Association 22:209–212.
 *
 * <p>With p = c/n and z the 0.975 quantile of the standard normal distribution:
 * denom = 1 + z²/n; center = (p + z²/(2n)) / denom;
 * half = z·sqrt(p(1−p)/n + z²/(4n²)) / denom; the interval is [center − half, center + half],
 * clipped to [0, 1] against rounding. Unlike the normal (Wald) interval it stays inside [0, 1]
 * and does not collapse to a point at 0 or n successes, which matters for small live samples.
 */
public final class Wilson {
    /** The 0.975 quantile of the standard normal distribution, for a two-sided 95% interval. */
    public static final double Z_95 = 1.959963984540054;

    private Wilson() {}

    /**
     * The proportion {@code successes / n} with its 95% Wilson interval; with no observations,
     * value 0 and the uninformative interval [0, 1].
     */
    public static Estimate score(long successes, long n) {
        if (n < 0 || successes < 0 || successes > n) {
            throw new IllegalArgumentException("need 0 <= successes <= n, got " + successes + "/" + n);
        }
        if (n == 0) {
            return new Estimate(0.0, 0.0, 1.0, 0);
        }
        double z2 = Z_95 * Z_95;
        double p = (double) successes / n;
        double denom = 1.0 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denom;
        double half = Z_95 * Math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom;
        // At 0 and n successes the bound is exactly 0 or 1 (half equals the distance to it); say so
        // rather than print 0.9999999999999999.
        double lower = successes == 0 ? 0.0 : Math.max(0.0, center - half);
        double upper = successes == n ? 1.0 : Math.min(1.0, center + half);
        return new Estimate(p, lower, upper, n);
    }
}
