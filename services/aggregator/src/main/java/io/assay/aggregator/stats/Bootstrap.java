package io.assay.aggregator.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Seeded nonparametric bootstrap (Efron &amp; Tibshirani 1993, <i>An Introduction to the Bootstrap</i>,
 * ch. 13, the percentile interval): draw {@code resamples} samples of the n observations with
 * replacement, compute the statistic on each, and take the 2.5th and 97.5th percentiles of the
 * resampled statistics. Percentiles interpolate linearly between order statistics, as numpy's
 * default {@code percentile} (Hyndman &amp; Fan 1996, type 7): position {@code (B − 1)·q}.
 *
 * <p>The random stream is a {@link SplittableRandom} seeded with {@code seed}, and the observations
 * arrive in a deterministic order (store key order), so the same judgments always give the same
 * interval: a replay reproduces it to the last digit.
 */
public final class Bootstrap {
    /** Resamples the views use: enough for stable 95% percentile bounds on a live board. */
    public static final int RESAMPLES = 200;
    /** The seed the views use. */
    public static final long SEED = 20240601L;

    private Bootstrap() {}

    /**
     * The percentile interval of {@code statistic} over resamples of indices {@code 0..n-1}.
     * Returns {@code [lower, upper]}; with {@code n == 0} both are NaN.
     */
    public static double[] interval(int n, int resamples, long seed, ToDoubleFunction<int[]> statistic) {
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] stats = new double[resamples];
        int[] sample = new int[n];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++) {
                sample[i] = random.nextInt(n);
            }
            stats[b] = statistic.applyAsDouble(sample);
        }
        Arrays.sort(stats);
        return new double[] {percentile(stats, 0.025), percentile(stats, 0.975)};
    }

    /** The mean of {@code values} with its 95% bootstrap percentile interval ({@link #RESAMPLES}, {@link #SEED}). */
    public static Estimate mean(double[] values) {
        return mean(values, RESAMPLES, SEED);
    }

    /** The mean of {@code values} with its 95% bootstrap percentile interval. */
    public static Estimate mean(double[] values, int resamples, long seed) {
        if (values.length == 0) {
            return new Estimate(0.0, 0.0, 0.0, 0);
        }
        double[] bounds = interval(values.length, resamples, seed, idx -> {
            double sum = 0;
            for (int i : idx) {
                sum += values[i];
            }
            return sum / idx.length;
        });
        return new Estimate(Stats.mean(values), bounds[0], bounds[1], values.length);
    }

    /** The q-th quantile of sorted values, linear interpolation between order statistics (type 7). */
    public static double percentile(double[] sorted, double q) {
        if (sorted.length == 1) {
            return sorted[0];
        }
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        if (h == lo || sorted[lo] == sorted[hi]) {
            return sorted[lo];
        }
        // Between an infinity and a finite value, the infinity (its arithmetic would give NaN for −∞).
        if (Double.isInfinite(sorted[lo])) {
            return sorted[lo];
        }
        if (Double.isInfinite(sorted[hi])) {
            return sorted[hi];
        }
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
