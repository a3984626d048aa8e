package io.assay.aggregator.stats;

import java.util.SplittableRandom;

/**
 * Exact multinomial and binomial draws in time that grows with the number of cells, not with the
 * number of trials, so a bootstrap of a million battles over a few thousand (pair, outcome) cells
 * costs a few thousand draws.
 *
 * <p>A multinomial draw is a chain of conditional binomials: cell c gets
 * {@code Binomial(n − Σ_{d<c} x_d, w_c / Σ_{d≥c} w_d)} (Devroye 1986, <i>Non-Uniform Random Variate
 * Generation</i>, XI.1.4). A binomial draw with {@code n·p} below {@link #INVERSION_MEAN} is by
 * sequential inversion of its cumulative distribution; above it, by the order-statistic split of
 * Knuth (TAOCP vol. 2, 3rd ed., §3.4.1 F, "binomial distribution"): the a-th smallest of n uniforms
 * is {@code X ~ Beta(a, n + 1 − a)}; if {@code p < X} the count below p is {@code Binomial(a − 1, p/X)},
 * else it is {@code a + Binomial(n − a, (p − X)/(1 − X))}; halving n each step. Beta from two
 * Marsaglia–Tsang (2000) gamma variates. Every draw is exact, none an approximation.
 */
public final class Multinomial {
    /** Below this mean, inversion (expected n·p steps) beats another split. */
    static final double INVERSION_MEAN = 30.0;

    private Multinomial() {}

    /** Counts over cells with probabilities proportional to {@code weights}, summing to {@code n}. */
    public static long[] sample(SplittableRandom random, long[] weights, long n) {
        long[] out = new long[weights.length];
        long massLeft = 0;
        for (long w : weights) {
            massLeft += w;
        }
        long left = n;
        for (int c = 0; c < weights.length && left > 0; c++) {
            if (weights[c] == 0) {
                continue;
            }
            long x = weights[c] >= massLeft ? left : binomial(random, left, (double) weights[c] / massLeft);
            out[c] = x;
            left -= x;
            massLeft -= weights[c];
        }
        return out;
    }

    /** One {@code Binomial(n, p)} variate. */
    public static long binomial(SplittableRandom random, long n, double p) {
        // result = acc + sign · Binomial(n, p), narrowed step by step
        long acc = 0;
        long sign = 1;
        while (true) {
            if (n == 0 || p <= 0) {
                return acc;
            }
            if (p >= 1) {
                return acc + sign * n;
            }
            if (p > 0.5) {
                // Binomial(n, p) = n − Binomial(n, 1 − p): keeps inversion short
                acc += sign * n;
                sign = -sign;
                p = 1 - p;
                continue;
            }
            if (n * p < INVERSION_MEAN) {
                return acc + sign * inversion(random, n, p);
            }
            long a = n / 2 + 1;
            double x = beta(random, a, n + 1 - a);
            if (p < x) {
                n = a - 1;
                p = p / x;
            } else {
                acc += sign * a;
                n = n - a;
                p = (p - x) / (1 - x);
            }
        }
    }

    private static long inversion(SplittableRandom random, long n, double p) {
        double ratio = p / (1 - p);
        double f = Math.exp(n * Math.log1p(-p));
        double u = random.nextDouble();
        long x = 0;
        while (u > f && x < n) {
            u -= f;
            f *= ratio * (n - x) / (x + 1);
            x++;
        }
        return x;
    }

    private static double beta(SplittableRandom random, double a, double b) {
        double g = gamma(random, a);
        return g / (g + gamma(random, b));
    }

    /** Marsaglia &amp; Tsang (2000), "A simple method for generating gamma variables", shape ≥ 1. */
    private static double gamma(SplittableRandom random, double shape) {
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9 * d);
        while (true) {
            double z = random.nextGaussian();
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}
