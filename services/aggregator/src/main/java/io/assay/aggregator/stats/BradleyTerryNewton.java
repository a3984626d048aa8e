package io.assay.aggregator.stats;

import java.util.Arrays;

/**
 * Newton's method with backtracking on the Bradley–Terry log-likelihood (natural scale ln 10).
 *
 * <p>The Newton system is solved by block elimination (the Schur complement; Golub &amp; Van Loan,
 * <i>Matrix Computations</i>, 4th ed. 2013, §3.2, block LU): the free models fall into an independent set T of the comparison graph (no pair
 * between two of them, picked greedily from the fewest pairs up) and the rest S. H_TT is then diagonal,
 * so eliminating T leaves the dense |S| × |S| system {@code (H_SS − H_ST·D⁻¹·H_TS)·x_S = g_S − H_ST·D⁻¹·g_T},
 * solved by Cholesky, and {@code x_T = D⁻¹·(g_T − H_TS·x_S)}. In Assay battles are mostly model against
 * baseline: T is the models, S the few baselines, and a step costs the pairs, not models³. All against
 * all, S is all but one model and the step is the dense solve it always was.
 */
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
    static void maximise(BattleCounts.Pairs p, double[] r, boolean[] free, boolean[] active, double ridge) {
        int k = r.length;
        int[] slot = new int[k];
        int m = 0;
        for (int x = 0; x < k; x++) {
            slot[x] = free[x] ? m++ : -1;
        }
        if (m == 0) {
            return;
        }
        int pairs = p.i().length;
        boolean[] counted = new boolean[pairs];
        // The pairs between two free models: the Hessian's off-diagonal entries.
        int[] degree = new int[m];
        for (int q = 0; q < pairs; q++) {
            int i = p.i()[q];
            int j = p.j()[q];
            counted[q] = p.n()[q] != 0 && active[i] && active[j] && (slot[i] >= 0 || slot[j] >= 0);
            if (counted[q] && slot[i] >= 0 && slot[j] >= 0) {
                degree[slot[i]]++;
                degree[slot[j]]++;
            }
        }
        Integer[] byDegree = new Integer[m];
        for (int x = 0; x < m; x++) {
            byDegree[x] = x;
        }
        Arrays.sort(byDegree, (a, b) -> degree[a] != degree[b] ? degree[a] - degree[b] : a - b);
        int[][] neighbours = new int[m][];
        for (int x = 0; x < m; x++) {
            neighbours[x] = new int[degree[x]];
        }
        int[] filled = new int[m];
        for (int q = 0; q < pairs; q++) {
            int i = slot[p.i()[q]];
            int j = slot[p.j()[q]];
            if (counted[q] && i >= 0 && j >= 0) {
                neighbours[i][filled[i]++] = q;
                neighbours[j][filled[j]++] = q;
            }
        }
        // T: an independent set, fewest pairs first; dense[x] is x's index in S, or −1 for a member of T.
        boolean[] inT = new boolean[m];
        for (int x : byDegree) {
            boolean apart = true;
            for (int q : neighbours[x]) {
                apart &= !inT[other(p, slot, q, x)];
            }
            inT[x] = apart;
        }
        int[] dense = new int[m];
        int s = 0;
        for (int x = 0; x < m; x++) {
            dense[x] = inT[x] ? -1 : s++;
        }
        double[] g = new double[m];
        double[] d = new double[m];
        double[] curvature = new double[pairs];
        double[][] h = new double[s][s];
        double[] rhs = new double[s];
        double[] xs = new double[s];
        double[] step = new double[m];
        double[] trial = new double[k];
        // The objective, gradient and curvatures at r, in one pass over the pairs (one exponential each).
        double current = evaluate(p, r, counted, slot, dense, free, ridge, g, d, curvature, h);
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            for (int x = 0; x < k; x++) {
                if (slot[x] >= 0) {
                    g[slot[x]] -= ridge * r[x];
                    d[slot[x]] += ridge;
                }
            }
            for (int x = 0; x < m; x++) {
                if (dense[x] >= 0) {
                    h[dense[x]][dense[x]] += d[x];
                    rhs[dense[x]] = g[x];
                } else {
                    // a pivot at rounding level: a direction the data do not constrain (as solveSpd)
                    d[x] = Math.max(d[x], 1e-300);
                }
            }
            // Eliminate T: each member's pairs (all to S) add −h_ta·h_tb / d_t to S's block.
            for (int t = 0; t < m; t++) {
                if (dense[t] >= 0) {
                    continue;
                }
                for (int qa : neighbours[t]) {
                    int sa = dense[other(p, slot, qa, t)];
                    double ca = curvature[qa] / d[t];
                    rhs[sa] += ca * g[t];
                    for (int qb : neighbours[t]) {
                        h[sa][dense[other(p, slot, qb, t)]] -= ca * curvature[qb];
                    }
                }
            }
            solveSpd(h, rhs, xs);
            for (int x = 0; x < m; x++) {
                if (dense[x] >= 0) {
                    step[x] = xs[dense[x]];
                    continue;
                }
                double v = g[x];
                for (int q : neighbours[x]) {
                    v += curvature[q] * xs[dense[other(p, slot, q, x)]];
                }
                step[x] = v / d[x];
            }
            double largest = 0;
            for (double x : step) {
                largest = Math.max(largest, Math.abs(x));
            }
            if (largest < TOLERANCE) {
                // converged: the last step is below rounding of any rating, its objective not needed
                for (int x = 0; x < k; x++) {
                    r[x] = slot[x] >= 0 ? r[x] + step[slot[x]] : r[x];
                }
                return;
            }
            double t = 1.0;
            double next = Double.NEGATIVE_INFINITY;
            for (int half = 0; half < 60; half++) {
                for (int x = 0; x < k; x++) {
                    trial[x] = slot[x] >= 0 ? r[x] + t * step[slot[x]] : r[x];
                }
                next = evaluate(p, trial, counted, slot, dense, free, ridge, g, d, curvature, h);
                if (next >= current - 1e-12 * Math.abs(current)) {
                    break;
                }
                t /= 2;
            }
            System.arraycopy(trial, 0, r, 0, k);
            current = next;
            if (largest * t < TOLERANCE) {
                return;
            }
        }
    }

    /** The free model (its slot) at the other end of pair {@code q} from slot {@code x}. */
    private static int other(BattleCounts.Pairs p, int[] slot, int q, int x) {
        return slot[p.i()[q]] == x ? slot[p.j()[q]] : slot[p.i()[q]];
    }

    /**
     * At {@code r}: the objective (the log-likelihood of the counted pairs minus the ridge), and into
     * {@code g}, {@code d}, {@code curvature} and {@code h} the gradient, the diagonal, each pair's
     * curvature and S's off-diagonal block (zeroed first). One pass over the pairs and one exponential
     * and one logarithm per pair: the line search's trial point, once accepted, is the next step's point.
     */
    private static double evaluate(
            BattleCounts.Pairs p,
            double[] r,
            boolean[] counted,
            int[] slot,
            int[] dense,
            boolean[] free,
            double ridge,
            double[] g,
            double[] d,
            double[] curvature,
            double[][] h) {
        Arrays.fill(g, 0);
        Arrays.fill(d, 0);
        for (double[] row : h) {
            Arrays.fill(row, 0);
        }
        double sum = 0;
        for (int q = 0; q < counted.length; q++) {
            if (!counted[q]) {
                continue;
            }
            int i = p.i()[q];
            int j = p.j()[q];
            double x = ALPHA * (r[i] - r[j]);
            // σ(x) and log σ(x) from one exponential, e^(−|x|), which neither overflows
            double e = Math.exp(-Math.abs(x));
            double prob = x >= 0 ? 1 / (1 + e) : e / (1 + e);
            double logProb = x >= 0 ? -Math.log1p(e) : x - Math.log1p(e);
            double n = p.n()[q];
            double score = p.scoreI()[q];
            // s·log σ(x) + (n − s)·log σ(−x), with log σ(−x) = log σ(x) − x
            sum += n * logProb - (n - score) * x;
            double grad = ALPHA * (score - n * prob);
            double curv = ALPHA * ALPHA * n * prob * (1 - prob);
            curvature[q] = curv;
            int si = slot[i];
            int sj = slot[j];
            if (si >= 0) {
                g[si] += grad;
                d[si] += curv;
            }
            if (sj >= 0) {
                g[sj] -= grad;
                d[sj] += curv;
            }
            if (si >= 0 && sj >= 0 && dense[si] >= 0 && dense[sj] >= 0) {
                h[dense[si]][dense[sj]] -= curv;
                h[dense[sj]][dense[si]] -= curv;
            }
        }
        for (int x = 0; x < r.length; x++) {
            if (free[x]) {
                sum -= ridge / 2 * r[x] * r[x];
            }
        }
        return sum;
    }

    /**
     * Σ a[t]·b[t] over t &lt; n, in four interleaved partial sums: the Cholesky factorisation's inner loop
     * (a sum in one accumulator waits on each addition; four keep the floating-point units busy, and the
     * JIT does not reorder a floating-point sum itself).
     */
    private static double dot(double[] a, double[] b, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int t = 0;
        for (; t + 3 < n; t += 4) {
            s0 += a[t] * b[t];
            s1 += a[t + 1] * b[t + 1];
            s2 += a[t + 2] * b[t + 2];
            s3 += a[t + 3] * b[t + 3];
        }
        for (; t < n; t++) {
            s0 += a[t] * b[t];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Solves {@code h·x = b} for symmetric positive definite {@code h} (Cholesky; h is overwritten). */
    static void solveSpd(double[][] h, double[] b, double[] x) {
        int m = b.length;
        for (int c = 0; c < m; c++) {
            double[] hc = h[c];
            // a pivot at rounding level means a direction the data do not constrain: leave it still
            double d = Math.sqrt(Math.max(hc[c] - dot(hc, hc, c), 1e-300));
            hc[c] = d;
            for (int row = c + 1; row < m; row++) {
                double[] hr = h[row];
                hr[c] = (hr[c] - dot(hr, hc, c)) / d;
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
