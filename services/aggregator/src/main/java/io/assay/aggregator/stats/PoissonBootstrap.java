package io.assay.aggregator.stats;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

/**
 * The Poisson bootstrap of a mean over items, the interval of the {@code score} and {@code wb-score} views
 * (and, through {@link BattleCounts}, of {@code bt})
 * (Hanley &amp; MacGibbon 2006, "Creating non-parametric bootstrap samples using Poisson frequencies",
 * <i>Computer Methods and Programs in Biomedicine</i> 83(1):57–62; Chamandy, Muralidharan, Najmi &amp; Naidu
 * 2012, "Estimating uncertainty for massive data streams", Google, §3, the Poisson bootstrap on streams).
 *
 * <p>Replicate {@code b} gives item {@code i} the weight {@code w_ib ~ Poisson(1)} instead of the number of
 * times a multinomial resample of the n items would draw it (its Binomial(n, 1/n) limit); the replicate's
 * statistic is the weighted mean {@code Σ w_ib·x_i / Σ w_ib·c_i} (with {@code c_i} = 1, a mean of items; with
 * {@code x_i} an item's sum over its prompt variants and {@code c_i} their number, the cluster bootstrap of
 * every observation's mean, Davison &amp; Hinkley 1997, §3.8). The interval is the 2.5th and 97.5th
 * percentiles of the {@link #RESAMPLES} replicates (type 7, {@link Bootstrap#percentile}); a replicate whose
 * weights are all 0 has no statistic and is left out (with one item, 37% of them). Where every replicate gives
 * the same statistic the resampling has seen no spread — one item, whose every replicate is that item, or items
 * that all agree — and the interval is undefined (NaN bounds: the views publish none) rather than a point: the
 * score of one imported judgment read {@code 8.00 [8.00, 8.00]}.
 *
 * <p>Why not the multinomial resample: it needs all n items at once, B·n draws per model per view (seconds
 * at 10,000 items × 100 models), and depends on the items' order. Here {@code w_ib} is a hash of the item id
 * and b ({@link #weight}), the same in any process and in any arrival order, so a view keeps B weighted sums
 * per model and category and updates them per judgment: an item's contribution is taken away and added anew
 * when one of its variants arrives, is revised or goes. The sums are integers — {@code x_i} is rounded to a
 * multiple of 2<sup>−24</sup> ({@link #fixed}) — so they do not depend on the order of the additions: two
 * replicas that fold the ledger in different interleavings, and the slot path, which adds the slots in key
 * order, hold the same bits. The rounding moves a replicate's mean by at most 2<sup>−25</sup>; the sums stay
 * exact while {@code |x_i|·Σ w} is below 2<sup>39</sup> (a mean of 10<sup>5</sup> over 10<sup>6</sup>
 * items).
 */
public final class PoissonBootstrap {
    /** Replicates per interval, as {@link Bootstrap#RESAMPLES}. */
    public static final int RESAMPLES = Bootstrap.RESAMPLES;

    /** The bits after the binary point of {@link #fixed}. */
    static final int FRACTION_BITS = 24;

    private static final double SCALE = 1L << FRACTION_BITS;
    /** P(Poisson(1) ≤ k) for k = 0, 1, ...; beyond the table's last entry the weight is its length. */
    private static final double[] CDF = cdf();

    private PoissonBootstrap() {}

    private static double[] cdf() {
        double[] out = new double[20];
        double p = Math.exp(-1);
        double sum = 0;
        for (int k = 0; k < out.length; k++) {
            if (k > 0) {
                p /= k;
            }
            sum += p;
            out[k] = sum;
        }
        return out;
    }

    /** Poisson(1) by inversion of {@code u} in [0, 1): the least k with {@code u < P(X ≤ k)}. */
    static int poisson(double u) {
        int k = 0;
        while (k < CDF.length && u >= CDF[k]) {
            k++;
        }
        return k;
    }

    /** A 64-bit hash of the item id, stable across JVMs (FNV-1a over its UTF-16 code units). */
    static long hash(String itemId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < itemId.length(); i++) {
            h ^= itemId.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finaliser (Steele, Lea &amp; Flood 2014): a bijection that spreads every input bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The item's weight in replicate {@code b}: Poisson(1) from a uniform hashed from the item, b and the seed. */
    static int weight(long itemHash, int b) {
        long z = mix(mix(itemHash ^ Bootstrap.SEED) + (b + 1) * 0x9e3779b97f4a7c15L);
        return poisson((z >>> 11) * 0x1.0p-53);
    }

    /** The item's weights in the {@link #RESAMPLES} replicates. */
    public static int[] weights(String itemId) {
        long h = hash(itemId);
        int[] w = new int[RESAMPLES];
        for (int b = 0; b < RESAMPLES; b++) {
            w[b] = weight(h, b);
        }
        return w;
    }

    /** {@code x} rounded to a multiple of 2<sup>−24</sup>, in those units. */
    public static long fixed(double x) {
        return Math.round(x * SCALE);
    }

    /**
     * The replicates' weighted sums of one statistic: {@code Σ w_ib·fixed(x_i)} and {@code Σ w_ib·c_i}. Not
     * thread-safe.
     */
    public static final class Sums {
        private final long[] numerators = new long[RESAMPLES];
        private final long[] denominators = new long[RESAMPLES];

        /** Adds ({@code sign} 1) or takes away (−1) an item's {@code x} and {@code c} under its weights. */
        public void add(int[] weights, double x, long c, int sign) {
            long q = sign * fixed(x);
            long n = sign * c;
            for (int b = 0; b < RESAMPLES; b++) {
                numerators[b] += weights[b] * q;
                denominators[b] += weights[b] * n;
            }
        }

        /** Replicate {@code b}'s weighted mean {@code Σ w·x / Σ w·c}; NaN when its weights are all 0. */
        public double mean(int b) {
            return denominators[b] == 0 ? Double.NaN : numerators[b] / SCALE / denominators[b];
        }

        /** Replicate {@code b}'s {@code Σ w·c}. */
        public long weight(int b) {
            return denominators[b];
        }

        /** The 95% percentile interval {@code [lower, upper]}; NaN both when no replicate has weight. */
        public double[] interval() {
            return PoissonBootstrap.interval(this::mean);
        }
    }

    /**
     * The 95% percentile interval (type 7) of a statistic of the {@link #RESAMPLES} replicates, a replicate
     * whose statistic is NaN (no weight) left out; NaN both when every one is, or when all the others are equal.
     */
    public static double[] interval(IntToDoubleFunction statistic) {
        double[] stats = new double[RESAMPLES];
        int m = 0;
        for (int b = 0; b < RESAMPLES; b++) {
            double x = statistic.applyAsDouble(b);
            if (!Double.isNaN(x)) {
                stats[m++] = x;
            }
        }
        if (m == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] sorted = Arrays.copyOf(stats, m);
        Arrays.sort(sorted);
        if (sorted[0] == sorted[m - 1]) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {Bootstrap.percentile(sorted, 0.025), Bootstrap.percentile(sorted, 0.975)};
    }
}
