package io.assay.aggregator.stats;

import java.math.BigInteger;

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
        double[] bounds = bounds((double) successes / n, n, successes == 0, successes == n);
        return new Estimate((double) successes / n, bounds[0], bounds[1], n);
    }

    /**
     * The proportion of successes over items that each hold one or more observations (an item's
     * prompt variants), with a 95% Wilson interval on the effective sample size: the survey
     * statistician's answer to correlated observations (Kish 1965, <i>Survey Sampling</i>, the design
     * effect; Korn &amp; Graubard 1998, "Confidence intervals for proportions with small
     * expected number of positive counts estimated from survey data", <i>Survey Methodology</i>
     * 24(2):193–201, the effective sample size n* = p(1−p)/v(p); Dean &amp; Pagano 2015, "Evaluating
     * confidence interval methods for binomial proportions in clustered surveys", <i>J. Survey
     * Statistics and Methodology</i> 3:484–503, who find Wilson on n* holds its coverage).
     *
     * <p>With p = C/N (C successes of N observations over k items, item i with c_i of n_i), the
     * variance of the ratio estimate with items as primary sampling units (Cochran 1977,
     * <i>Sampling Techniques</i>, 3rd ed., ch. 6, the ratio estimate's linearised variance) is {@code v(p) = k/(k−1) · Σ_i (c_i − p·n_i)² / N²};
     * {@code n* = min(N, p(1−p)/v(p))} (clustering never narrows the interval below the binomial
     * one) and the interval is Wilson's formula with n*. With one observation per item, or when p is
     * 0 or 1 (no spread to estimate), it is exactly {@link #score} of (C, N). {@code n} of the
     * estimate stays N, the observations.
     *
     * @param successes per item, its successes
     * @param counts per item, its observations (same length)
     */
    public static Estimate clustered(long[] successes, long[] counts) {
        if (successes.length != counts.length) {
            throw new IllegalArgumentException("one count per item: " + successes.length + " vs " + counts.length);
        }
        long c = 0;
        long n = 0;
        long c2 = 0;
        long cn = 0;
        long n2 = 0;
        for (int i = 0; i < counts.length; i++) {
            c += successes[i];
            n += counts[i];
            c2 += successes[i] * successes[i];
            cn += successes[i] * counts[i];
            n2 += counts[i] * counts[i];
        }
        return clustered(c, n, counts.length, c2, cn, n2);
    }

    /**
     * {@link #clustered(long[], long[])} from its sufficient statistics, so a view that keeps them up to
     * date as verdicts arrive needs no pass over the items. {@code Σ_i (c_i − p·n_i)²} is
     * {@code (N²·Σc_i² − 2CN·Σc_i·n_i + C²·Σn_i²) / N²}, computed exactly in integers (no cancellation,
     * and the same figure whatever order the items come in).
     *
     * @param c the successes C
     * @param n the observations N
     * @param k the items
     * @param c2 {@code Σ c_i²}
     * @param cn {@code Σ c_i·n_i}
     * @param n2 {@code Σ n_i²}; equal to N exactly when no item holds more than one observation
     */
    public static Estimate clustered(long c, long n, long k, long c2, long cn, long n2) {
        if (n2 == n || c == 0 || c == n) {
            return score(c, n);
        }
        double p = (double) c / n;
        BigInteger bn = BigInteger.valueOf(n);
        BigInteger bc = BigInteger.valueOf(c);
        BigInteger scaled = bn.multiply(bn)
                .multiply(BigInteger.valueOf(c2))
                .subtract(BigInteger.TWO.multiply(bc).multiply(bn).multiply(BigInteger.valueOf(cn)))
                .add(bc.multiply(bc).multiply(BigInteger.valueOf(n2)));
        double nn = (double) n * n;
        double ss = scaled.doubleValue() / nn;
        double v = k < 2 ? Double.NaN : (double) k / (k - 1) * ss / nn;
        double effective = v > 0 ? Math.min(n, p * (1.0 - p) / v) : n;
        double[] bounds = bounds(p, effective, false, false);
        return new Estimate(p, bounds[0], bounds[1], n);
    }

    /**
     * Wilson's 95% bounds of a mean {@code p} in [0, 1] on {@code n} (possibly effective, not whole) observations:
     * exactly 0 (1) when {@code p} is.
     */
    public static double[] bounds(double p, double n) {
        return bounds(p, n, p == 0.0, p == 1.0);
    }

    /** Wilson's bounds of p on n observations; exactly 0 (1) at no (all) successes. */
    private static double[] bounds(double p, double n, boolean none, boolean all) {
        double z2 = Z_95 * Z_95;
        double denom = 1.0 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denom;
        double half = Z_95 * Math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom;
        // At 0 and n successes the bound is exactly 0 or 1 (half equals the distance to it); say so
        // rather than print 0.9999999999999999.
        double lower = none ? 0.0 : Math.max(0.0, center - half);
        double upper = all ? 1.0 : Math.min(1.0, center + half);
        return new double[] {lower, upper};
    }
}
