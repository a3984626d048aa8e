package io.assay.aggregator.stats;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * AlpacaEval's win rate against the baseline (Li et al. 2023, AlpacaEval; {@code win_rate},
 * {@code standard_error}, {@code n_wins}, {@code n_wins_base}, {@code n_draws} in
 * {@code alpaca_eval.metrics.pairwise_to_winrate}; {@code discrete_win_rate} in {@code get_winrate}). Preferences p are in [1, 2], 2 preferring the
 * model, 1 the baseline; p = 0 (no verdict) is a draw and counts as 1.5.
 *
 * <pre>
 * win_rate       = 100 · mean(p − 1)
 * standard_error = 100 · sd(p − 1) / √n      (sample sd, divisor n − 1)
 * wins: p &gt; 1.5, losses: p &lt; 1.5, draws: p = 1.5
 * discrete_win_rate = 100 · (wins + draws/2) / n
 * </pre>
 *
 * <p><b>Interval</b> (AlpacaEval publishes none): Wilson's score interval (Wilson 1927) on the effective sample size
 * n* = min(n, p(1 − p)/v) with p = win_rate/100 and v the variance of that mean, as the {@code accuracy} view's
 * ({@link Wilson#clustered}; Korn &amp; Graubard 1998): v = Σ(x − x̄)²/n² with one preference per item, the
 * cluster-robust G/(G − 1)·Σ_g(S_g − n_g·x̄)²/n² with several (the standard error's, squared), and n* = n where v
 * is 0 (every x the same, a win rate of 0 or 100 among them). With one preference per item n* is n (x in [0, 1]
 * never spreads more than a coin's), so the interval is Wilson's at p on n: for hard preferences exactly Wilson's
 * interval of the wins, for soft ones no narrower (as {@code accuracy}'s, clustering never narrows it below the
 * binomial one). Until 2026-12-07 it was win_rate ∓ 1.96·standard_error, which has no width at 0 and 100 and held
 * the truth in 72.5% of simulated benchmarks whose models win or lose nearly every verdict (BENCHMARKS.md,
 * "Interval coverage").
 *
 * <p>Every figure is computed from order-free sums ({@link Sums}): exact sums of the x = p − 1 and of the
 * per-item sums, rounded once when read, so preferences added and taken away in any order give the same
 * bits (docs/aggregation.md, "Incremental views").
 */
public final class WinRate {
    private WinRate() {}

    /**
     * AlpacaEval's figures.
     *
     * @param winRate {@code win_rate} in percent
     * @param standardError {@code standard_error} in percent, NaN below two preferences
     * @param wins {@code n_wins}
     * @param losses {@code n_wins_base}
     * @param draws {@code n_draws}
     * @param n {@code n_total}
     * @param lower the interval's lower end in percent (see the class comment), NaN without preferences
     * @param upper its upper end
     */
    public record Result(
            double winRate,
            double standardError,
            long wins,
            long losses,
            long draws,
            long n,
            double lower,
            double upper) {
        /**
         * AlpacaEval's {@code discrete_win_rate}: the win rate of the preferences rounded to a win, a loss or a
         * draw ({@code get_winrate} in {@code alpaca_eval/metrics/winrate.py}: {@code ZeroOneScoringRule}
         * rounds p, a 1.5 or a 0 counting as a draw, then takes {@code mean(p − 1) · 100}), so
         * 100 · (n_wins + n_draws/2) / n_total, with the mean taken before the · 100 as upstream's. NaN without
         * preferences.
         */
        public double discreteWinRate() {
            return n == 0 ? Double.NaN : (wins + draws / 2.0) / n * 100;
        }
    }

    /** The figures of one model's preferences, each its own item: AlpacaEval's {@code sd/√n}. */
    public static Result of(double[] preferences) {
        Sums sums = new Sums();
        for (double p : preferences) {
            BigDecimal x = shifted(p);
            sums.add(p, x, 1);
            sums.addItem(x, 1, 1);
        }
        return sums.result();
    }

    /**
     * The figures of preferences grouped by item ({@code item[i]} the item of preference i): the win
     * rate is AlpacaEval's, the standard error is cluster-robust, because the prompt variants of one
     * item are not independent (Cameron &amp; Miller 2015, "A Practitioner's Guide to Cluster-Robust
     * Inference", <i>J. Human Resources</i> 50(2):317–372, CR1 for the mean: the regression
     * on a constant, K = 1, so the factor is G/(G−1); Miller 2024, "Adding Error Bars to Evals",
     * arXiv:2411.00640, clustered standard errors for evals):
     *
     * <pre>
     * standard_error = 100 · sqrt( G/(G−1) · Σ_g (Σ_{i∈g} (x_i − x̄))² ) / n     (x = p − 1, G items)
     * </pre>
     *
     * With one preference per item (G = n) this is algebraically AlpacaEval's {@code sd/√n}, and then
     * it is computed as that ({@link Sums#result}). NaN below two items.
     */
    public static Result of(double[] preferences, int[] item) {
        if (preferences.length != item.length) {
            throw new IllegalArgumentException("one item per preference: " + preferences.length + " vs " + item.length);
        }
        Sums sums = new Sums();
        Map<Integer, BigDecimal> itemSums = new TreeMap<>();
        Map<Integer, Long> itemCounts = new TreeMap<>();
        for (int i = 0; i < preferences.length; i++) {
            sums.add(preferences[i], 1);
            itemSums.merge(item[i], shifted(preferences[i]), BigDecimal::add);
            itemCounts.merge(item[i], 1L, Long::sum);
        }
        itemSums.forEach((g, s) -> sums.addItem(s, itemCounts.get(g), 1));
        return sums.result();
    }

    /** x = p − 1 exactly, p = 0 (no verdict) counting as 1.5. */
    public static BigDecimal shifted(double preference) {
        return new BigDecimal(preference == 0.0 ? 1.5 : preference).subtract(BigDecimal.ONE);
    }

    /** {@code win_rate} of {@code n} preferences whose x = p − 1 sum to {@code x}; NaN when n is 0. */
    public static double winRate(BigDecimal x, long n) {
        return n == 0 ? Double.NaN : 100.0 * x.doubleValue() / n;
    }

    /**
     * The sufficient statistics of the figures, kept exactly: the counts, Σx, and over the items g (with
     * S_g the sum of an item's x and n_g its count) G, Σ S_g², Σ S_g·n_g and Σ n_g², so that
     *
     * <pre>
     * Σ_g (S_g − n_g·x̄)² = (n²·Σ S_g² − 2·n·Σx·Σ S_g·n_g + (Σx)²·Σ n_g²) / n²
     * </pre>
     *
     * is exact until it is rounded once. Not thread-safe.
     */
    public static final class Sums {
        private BigDecimal x = BigDecimal.ZERO;
        private long n;
        private long wins;
        private long losses;
        private long draws;
        private long items;
        private BigDecimal itemSquares = BigDecimal.ZERO;
        private BigDecimal itemCross = BigDecimal.ZERO;
        private long itemCountSquares;

        /** Adds ({@code sign} 1) or takes away (−1) one preference; its item's sums go by {@link #addItem}. */
        public void add(double preference, int sign) {
            add(preference, shifted(preference), sign);
        }

        /** {@link #add(double, int)} given the preference's x = p − 1 ({@link #shifted}). */
        private void add(double preference, BigDecimal shifted, int sign) {
            double p = preference == 0.0 ? 1.5 : preference;
            x = x.add(sign > 0 ? shifted : shifted.negate());
            n += sign;
            if (p > 1.5) {
                wins += sign;
            } else if (p < 1.5) {
                losses += sign;
            } else {
                draws += sign;
            }
        }

        /** Adds ({@code sign} 1) or takes away (−1) an item with x summing to {@code s} over {@code count} preferences. */
        public void addItem(BigDecimal s, long count, int sign) {
            items += sign;
            BigDecimal squares = s.multiply(s);
            BigDecimal cross = s.multiply(BigDecimal.valueOf(count));
            itemSquares = sign > 0 ? itemSquares.add(squares) : itemSquares.subtract(squares);
            itemCross = sign > 0 ? itemCross.add(cross) : itemCross.subtract(cross);
            itemCountSquares += sign * count * count;
        }

        /** The preferences counted. */
        public long n() {
            return n;
        }

        /** Σ(p − 1), exact. */
        public BigDecimal x() {
            return x;
        }

        /**
         * The figures; with one preference per item (G = n) the standard error is AlpacaEval's sd/√n. The interval
         * is Wilson's on the effective sample size (see the class comment).
         */
        public Result result() {
            double se = Double.NaN;
            double lower = Double.NaN;
            double upper = Double.NaN;
            if (n > 0) {
                BigDecimal bn = BigDecimal.valueOf(n);
                BigDecimal q = bn.multiply(bn)
                        .multiply(itemSquares)
                        .subtract(BigDecimal.valueOf(2).multiply(bn).multiply(x).multiply(itemCross))
                        .add(x.multiply(x).multiply(BigDecimal.valueOf(itemCountSquares)));
                // Σ_g (S_g − n_g·x̄)², rounded once (it is never negative: q is exact).
                double ss = q.doubleValue() / ((double) n * n);
                double v = Double.NaN;
                if (items == n) {
                    se = n < 2 ? Double.NaN : 100.0 * Math.sqrt(ss / (n - 1)) / Math.sqrt(n);
                    v = ss / ((double) n * n);
                } else if (items >= 2) {
                    se = 100.0 * Math.sqrt((double) items / (items - 1) * ss) / n;
                    v = (double) items / (items - 1) * ss / ((double) n * n);
                }
                double p = Math.min(1.0, Math.max(0.0, x.doubleValue() / n));
                double effective = v > 0 ? Math.min(n, p * (1 - p) / v) : n;
                double[] bounds = Wilson.bounds(p, effective);
                lower = 100 * bounds[0];
                upper = 100 * bounds[1];
            }
            return new Result(winRate(x, n), se, wins, losses, draws, n, lower, upper);
        }
    }
}
