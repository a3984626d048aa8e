package io.assay.aggregator.stats;

import java.util.Arrays;

/** Newton's method with backtracking on the Bradley–Terry log-likelihood (natural scale ln 10). */
final class BradleyTerryNewton {
    /** ln 10: P(i beats j) = σ(ln 10 · (r_i − r_j)), r in units of 400 Elo points. */
    static final double ALPHA = Math.log(10);
    /** Stop when no rating moves more than this (units of 400 Elo points: 4e-9 points). */
    static final double TOLERANCE = 1e-11;

    static final int MAX_ITERATIONS = 200;

    private BradleyTerryNewton() {}

    /**
     * Maximises, over the {@code free} models, the log-likelihood of the pairs whose models are both
     * {@code active}, minus {@code ridge/2·Σ r²} over the free models; others stay as they are.
     */
    static void maximise(BattleCells.Pairs p, double[] r, boolean[] free, boolean[] active, double ridge) {
        int k = r.length;
        int[] slot = new int[k];
        int m = 0;
        for (int x = 0; x < k; x++) {
            slot[x] = free[x] ? m++ : -1;
        }
        if (m == 0) {
            return;
        }
        double[] g = new double[m];
        double[][] h = new double[m][m];
        double[] step = new double[m];
        double[] trial = new double[k];
        double current = objective(p, r, free, active, ridge);
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            Arrays.fill(g, 0);
            for (double[] row : h) {
                Arrays.fill(row, 0);
            }
            for (int q = 0; q < p.i().length; q++) {
                int i = p.i()[q];
                int j = p.j()[q];
                if (p.n()[q] == 0 || !active[i] || !active[j] || (slot[i] < 0 && slot[j] < 0)) {
                    continue;
                }
                double prob = sigmoid(ALPHA * (r[i] - r[j]));
                double grad = ALPHA * (p.scoreI()[q] - p.n()[q] * prob);
                double curv = ALPHA * ALPHA * p.n()[q] * prob * (1 - prob);
                if (slot[i] >= 0) {
                    g[slot[i]] += grad;
                    h[slot[i]][slot[i]] += curv;
                }
                if (slot[j] >= 0) {
                    g[slot[j]] -= grad;
                    h[slot[j]][slot[j]] += curv;
                }
                if (slot[i] >= 0 && slot[j] >= 0) {
                    h[slot[i]][slot[j]] -= curv;
                    h[slot[j]][slot[i]] -= curv;
                }
            }
            for (int x = 0; x < k; x++) {
                if (slot[x] >= 0) {
                    g[slot[x]] -= ridge * r[x];
                    h[slot[x]][slot[x]] += ridge;
                }
            }
            solveSpd(h, g, step);
            double t = 1.0;
            double next = Double.NEGATIVE_INFINITY;
            for (int half = 0; half < 60; half++) {
                for (int x = 0; x < k; x++) {
                    trial[x] = slot[x] >= 0 ? r[x] + t * step[slot[x]] : r[x];
                }
                next = objective(p, trial, free, active, ridge);
                if (next >= current - 1e-12 * Math.abs(current)) {
                    break;
                }
                t /= 2;
            }
            double largest = 0;
            for (double s : step) {
                largest = Math.max(largest, Math.abs(t * s));
            }
            System.arraycopy(trial, 0, r, 0, k);
            current = next;
            if (largest < TOLERANCE) {
                return;
            }
        }
    }

    private static double objective(BattleCells.Pairs p, double[] r, boolean[] free, boolean[] active, double ridge) {
        double sum = 0;
        for (int q = 0; q < p.i().length; q++) {
            int i = p.i()[q];
            int j = p.j()[q];
            if (p.n()[q] == 0 || !active[i] || !active[j] || (!free[i] && !free[j])) {
                continue;
            }
            double d = ALPHA * (r[i] - r[j]);
            double s = p.scoreI()[q];
            sum += s * logSigmoid(d) + (p.n()[q] - s) * logSigmoid(-d);
        }
        for (int x = 0; x < r.length; x++) {
            if (free[x]) {
                sum -= ridge / 2 * r[x] * r[x];
            }
        }
        return sum;
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    private static double logSigmoid(double x) {
        return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
    }

    /** Solves {@code h·x = b} for symmetric positive definite {@code h} (Cholesky; h is overwritten). */
    static void solveSpd(double[][] h, double[] b, double[] x) {
        int m = b.length;
        for (int c = 0; c < m; c++) {
            double d = h[c][c];
            for (int t = 0; t < c; t++) {
                d -= h[c][t] * h[c][t];
            }
            // a pivot at rounding level means a direction the data do not constrain: leave it still
            d = Math.sqrt(Math.max(d, 1e-300));
            h[c][c] = d;
            for (int row = c + 1; row < m; row++) {
                double v = h[row][c];
                for (int t = 0; t < c; t++) {
                    v -= h[row][t] * h[c][t];
                }
                h[row][c] = v / d;
            }
        }
        for (int row = 0; row < m; row++) {
            double v = b[row];
            for (int t = 0; t < row; t++) {
                v -= h[row][t] * x[t];
            }
            x[row] = v / h[row][row];
        }
        for (int row = m - 1; row >= 0; row--) {
            double v = x[row];
            for (int t = row + 1; t < m; t++) {
                v -= h[t][row] * x[t];
            }
            x[row] = v / h[row][row];
        }
    }
}
