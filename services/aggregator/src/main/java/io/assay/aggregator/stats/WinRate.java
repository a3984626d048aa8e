package io.assay.aggregator.stats;

import java.util.Map;
import java.util.TreeMap;

/**
 * AlpacaEval's win rate against the baseline (Li et al. 2023, AlpacaEval; {@code win_rate},
 * {@code standard_error}, {@code n_wins}, {@code n_wins_base}, {@code n_draws} in
 * {@code alpaca_eval.metrics.pairwise_to_winrate}). Preferences p are in [1, 2], 2 preferring the
 * model, 1 the baseline; p = 0 (no verdict) is a draw and counts as 1.5.
 *
 * <pre>
 * win_rate       = 100 · mean(p − 1)
 * standard_error = 100 · sd(p − 1) / √n      (sample sd, divisor n − 1)
 * wins: p &gt; 1.5, losses: p &lt; 1.5, draws: p = 1.5
 * </pre>
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
     */
    public record Result(double winRate, double standardError, long wins, long losses, long draws, long n) {}

    /** The figures of one model's preferences. */
    public static Result of(double[] preferences) {
        double[] shifted = new double[preferences.length];
        long wins = 0;
        long losses = 0;
        long draws = 0;
        for (int i = 0; i < preferences.length; i++) {
            double p = preferences[i] == 0.0 ? 1.5 : preferences[i];
            shifted[i] = p - 1.0;
            if (p > 1.5) {
                wins++;
            } else if (p < 1.5) {
                losses++;
            } else {
                draws++;
            }
        }
        int n = preferences.length;
        double winRate = n == 0 ? Double.NaN : 100.0 * Stats.mean(shifted);
        double se = 100.0 * Stats.sampleSd(shifted) / Math.sqrt(n);
        return new Result(winRate, se, wins, losses, draws, n);
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
     * it is {@link #of(double[])} itself, digit for digit. NaN below two items.
     */
    public static Result of(double[] preferences, int[] item) {
        if (preferences.length != item.length) {
            throw new IllegalArgumentException("one item per preference: " + preferences.length + " vs " + item.length);
        }
        Result plain = of(preferences);
        Map<Integer, Double> residuals = new TreeMap<>();
        double mean = plain.winRate() / 100.0;
        for (int i = 0; i < preferences.length; i++) {
            double p = preferences[i] == 0.0 ? 1.5 : preferences[i];
            residuals.merge(item[i], p - 1.0 - mean, Double::sum);
        }
        int g = residuals.size();
        if (g == preferences.length) {
            return plain;
        }
        double ss = 0;
        for (double r : residuals.values()) {
            ss += r * r;
        }
        double se = g < 2 ? Double.NaN : 100.0 * Math.sqrt((double) g / (g - 1) * ss) / preferences.length;
        return new Result(plain.winRate(), se, plain.wins(), plain.losses(), plain.draws(), plain.n());
    }
}
