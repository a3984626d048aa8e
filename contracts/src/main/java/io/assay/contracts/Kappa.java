package io.assay.contracts;

import java.util.List;
import java.util.TreeSet;

/**
 * Cohen's kappa between two raters who put the same n subjects into the same k categories, with its
 * large-sample standard error and a 95% interval: J. Cohen (1960), "A coefficient of agreement for nominal
 * scales", <i>Educational and Psychological Measurement</i> 20:37–46; the standard error of J. L. Fleiss,
 * J. Cohen &amp; B. S. Everitt (1969), "Large sample standard errors of kappa and weighted kappa",
 * <i>Psychological Bulletin</i> 72:323–327 (the non-null variance, as in Fleiss, Levin &amp; Paik 2003,
 * <i>Statistical Methods for Rates and Proportions</i>, 3rd ed., §18.1).
 *
 * <p>With p_ij the proportion of subjects rater 1 put in i and rater 2 in j, p_i. and p_.j the margins,
 * p_o = Σ p_ii and p_e = Σ p_i.·p_.i: κ = (p_o − p_e)/(1 − p_e), and
 * <pre>
 * var(κ) = [ Σ_i p_ii·((1 − p_e) − (p_i. + p_.i)(1 − p_o))²
 *          + (1 − p_o)²·Σ_{i≠j} p_ij·(p_.i + p_j.)²
 *          − (p_o·p_e − 2p_e + p_o)² ] / (n·(1 − p_e)⁴)
 * </pre>
 * The interval is κ ± 1.96·se, clipped to [−1, 1]. κ is undefined (NaN) when p_e = 1: both raters used
 * one and the same category for every subject, so agreement beyond chance cannot be told. The interval is
 * undefined (NaN bounds) where the variance is 0, which it is at κ = 1 (every subject on the diagonal), at
 * κ = −1, and where one rater used a single class (κ is then 0 whatever the other said): there κ ± 0 would
 * claim a certainty that three subjects give as much as three hundred (statsmodels' {@code cohens_kappa} gives
 * that interval of no width; the agreement rate's Wilson interval has width there).
 *
 * <p>In {@code contracts} because two services compute it: the aggregator's {@code judge-agreement} view
 * (a judge against human labels) and the judge's drift check (a judge version against the one before it).
 */
public final class Kappa {
    /** The standard normal 97.5% quantile, Φ⁻¹(0.975), for the 95% interval. */
    public static final double Z_95 = 1.959963984540054;

    private Kappa() {}

    /**
     * Kappa with its interval.
     *
     * @param kappa Cohen's kappa, NaN when undefined
     * @param se its large-sample standard error
     * @param lower lower end of the 95% interval
     * @param upper upper end of the 95% interval
     * @param observed p_o, the proportion of agreement
     * @param expected p_e, the agreement expected by chance from the margins
     * @param n the subjects
     */
    public record Result(
            double kappa, double se, double lower, double upper, double observed, double expected, long n) {}

    /**
     * The square contingency table of paired classes: {@code pairs[n][0]} is rater 1's class of subject n,
     * {@code pairs[n][1]} rater 2's; the categories are every class either rater used, sorted.
     */
    public static long[][] table(List<String[]> pairs) {
        TreeSet<String> classes = new TreeSet<>();
        pairs.forEach(p -> {
            classes.add(p[0]);
            classes.add(p[1]);
        });
        List<String> order = List.copyOf(classes);
        long[][] t = new long[order.size()][order.size()];
        pairs.forEach(p -> t[order.indexOf(p[0])][order.indexOf(p[1])]++);
        return t;
    }

    /**
     * Kappa of a square contingency table: {@code table[i][j]} subjects rater 1 put in category i and
     * rater 2 in j (the same categories, in the same order, on both sides).
     */
    public static Result of(long[][] table) {
        int k = table.length;
        long n = 0;
        for (long[] row : table) {
            if (row.length != k) {
                throw new IllegalArgumentException("need a square table, got a row of " + row.length + " in " + k);
            }
            for (long x : row) {
                if (x < 0) {
                    throw new IllegalArgumentException("counts are non-negative, got " + x);
                }
                n += x;
            }
        }
        if (n == 0) {
            return new Result(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double[] rows = new double[k];
        double[] cols = new double[k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double p = (double) table[i][j] / n;
                rows[i] += p;
                cols[j] += p;
            }
        }
        double po = 0;
        double pe = 0;
        for (int i = 0; i < k; i++) {
            po += (double) table[i][i] / n;
            pe += rows[i] * cols[i];
        }
        if (1.0 - pe <= 1e-12) {
            return new Result(Double.NaN, Double.NaN, Double.NaN, Double.NaN, po, pe, n);
        }
        double kappa = (po - pe) / (1.0 - pe);
        double diagonal = 0;
        double off = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double p = (double) table[i][j] / n;
                if (i == j) {
                    double d = (1.0 - pe) - (rows[i] + cols[i]) * (1.0 - po);
                    diagonal += p * d * d;
                } else {
                    double s = cols[i] + rows[j];
                    off += p * s * s;
                }
            }
        }
        double last = po * pe - 2.0 * pe + po;
        double numerator = diagonal + (1.0 - po) * (1.0 - po) * off - last * last;
        if (numerator <= 1e-12 * (1.0 - pe) * (1.0 - pe)) {
            // zero but for rounding (its terms are of the order of (1 − p_e)²): no interval
            return new Result(kappa, 0.0, Double.NaN, Double.NaN, po, pe, n);
        }
        double se = Math.sqrt(numerator / (n * Math.pow(1.0 - pe, 4)));
        return new Result(kappa, se, Math.max(-1.0, kappa - Z_95 * se), Math.min(1.0, kappa + Z_95 * se), po, pe, n);
    }
}
