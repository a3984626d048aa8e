package io.assay.aggregator.stats;

import java.util.Arrays;

/**
 * Newton's method with backtracking on the Bradley–Terry log-likelihood (natural scale ln 10), and chord
 * steps for fits near one already made.
 *
 * <p>The Newton system is solved by block elimination (the Schur complement; Golub &amp; Van Loan,
 * <i>Matrix Computations</i>, 4th ed. 2013, §3.2, block LU): the free models fall into an independent set T of the comparison graph (no pair
 * between two of them, picked greedily from the fewest pairs up) and the rest S. H_TT is then diagonal,
 * so eliminating T leaves the dense |S| × |S| system {@code (H_SS − H_ST·D⁻¹·H_TS)·x_S = g_S − H_ST·D⁻¹·g_T},
 * solved by Cholesky, and {@code x_T = D⁻¹·(g_T − H_TS·x_S)}. In Assay battles are mostly model against
 * baseline: T is the models, S the few baselines, and a step costs the pairs, not models³. All against
 * all, S is all but one model and the step is a dense |S|³/6 factorisation.
 *
 * <p><b>Chord steps</b> ({@link #maximise(BattleCounts.Pairs, double[], Factor)}; Kelley, <i>Iterative
 * Methods for Linear and Nonlinear Equations</i>, 1995, §5.4, the chord method): a bootstrap replicate's
 * counts are a resample's noise away from the point's, and so is its maximum, so its fit keeps the point
 * fit's factorised system and only re-evaluates the gradient: a step costs a pass over the pairs (one
 * exponential each, no logarithm) and two triangular solves, not a factorisation. The chord converges
 * linearly, at the rate of the Hessians' difference (a few percent per step here); it is kept only while
 * each step is at most half the one before, which makes the steps' sum converge to a point where the
 * gradient is zero, the maximum (the objective is strictly concave on the free models); otherwise the fit
 * goes back to the point the last step started from and runs Newton from there. Either stops at a step
 * below {@link #TOLERANCE}, which the chord's remaining error (at most the last step times rate/(1 − rate),
 * so below the step) keeps.
 */
final class BradleyTerryNewton {
    /** ln 10: P(i beats j) = σ(ln 10 · (r_i − r_j)), r in units of 400 Elo points. */
    static final double ALPHA = Math.log(10);
    /** Stop when no rating moves more than this (units of 400 Elo points: 4e-9 points). */
    static final double TOLERANCE = 1e-11;

    static final int MAX_ITERATIONS = 200;

    private BradleyTerryNewton() {}

    /**
     * Which pairs the objective counts and how its free models split: the pairs' models {@code i} and
     * {@code j}; {@code slot[x]} is model x's index among the free models or −1; {@code dense[f]} free
     * model f's index in S, or −1 for a member of T; {@code neighbours[f]} f's counted pairs to other free
     * models.
     */
    private record Layout(int[] i, int[] j, int[] slot, boolean[] counted, int[] dense, int s, int[][] neighbours) {
        /** The free models' count. */
        int free() {
            return dense.length;
        }

        /** The free model (its slot) at the other end of pair {@code q} from slot {@code x}. */
        int other(int q, int x) {
            return BradleyTerryNewton.other(i, j, slot, q, x);
        }
    }

    /**
     * The Newton system at the end of a fit, factorised: S's Cholesky factor (lower triangle), T's
     * diagonal and each pair's curvature, with what the fit maximised ({@code free}, {@code active},
     * {@code ridge}). Chord steps of fits with the same free and active models reuse it.
     */
    static final class Factor {
        private final Layout layout;
        private final boolean[] free;
        private final boolean[] active;
        private final double ridge;
        private final double[][] cholesky;
        private final double[] d;
        private final double[] curvature;

        private Factor(
                Layout layout,
                boolean[] free,
                boolean[] active,
                double ridge,
                double[][] cholesky,
                double[] d,
                double[] curvature) {
            this.layout = layout;
            this.free = free;
            this.active = active;
            this.ridge = ridge;
            this.cholesky = cholesky;
            this.d = d;
            this.curvature = curvature;
        }

        /** Whether a fit of these pairs, free and active models can take chord steps with this factor. */
        boolean fits(BattleCounts.Pairs p, boolean[] free, boolean[] active) {
            return Arrays.equals(layout.i(), p.i())
                    && Arrays.equals(layout.j(), p.j())
                    && Arrays.equals(this.free, free)
                    && Arrays.equals(this.active, active);
        }
    }

    /**
     * Maximises, over the {@code free} models, the log-likelihood of the pairs whose models are both
     * {@code active}, minus {@code ridge/2·Σ r²} over the free models; others stay as they are. Returns
     * the last Newton system, factorised (null when no model is free).
     */
    static Factor maximise(BattleCounts.Pairs p, double[] r, boolean[] free, boolean[] active, double ridge) {
        Layout l = layout(p, free, active);
        int m = l.free();
        if (m == 0) {
            return null;
        }
        int k = r.length;
        int pairs = p.i().length;
        double[] g = new double[m];
        double[] d = new double[m];
        double[] curvature = new double[pairs];
        double[][] h = new double[l.s()][l.s()];
        double[] xs = new double[l.s()];
        double[] step = new double[m];
        double[] trial = new double[k];
        // The objective, gradient and curvatures at r, in one pass over the pairs (one exponential each).
        double current = evaluate(p, r, l, free, ridge, g, d, curvature, h);
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            factorise(l, r, ridge, g, d, curvature, h);
            solve(l, h, d, curvature, g, xs, step);
            double largest = largest(step);
            if (largest < TOLERANCE) {
                // converged: the last step is below rounding of any rating, its objective not needed
                add(l, step, 1, r, r);
                return new Factor(l, free, active, ridge, h, d, curvature);
            }
            double t = 1.0;
            double next = Double.NEGATIVE_INFINITY;
            for (int half = 0; half < 60; half++) {
                add(l, step, t, r, trial);
                next = evaluate(p, trial, l, free, ridge, g, d, curvature, h);
                if (next >= current - 1e-12 * Math.abs(current)) {
                    break;
                }
                t /= 2;
            }
            System.arraycopy(trial, 0, r, 0, k);
            current = next;
            if (largest * t < TOLERANCE) {
                break;
            }
        }
        factorise(l, r, ridge, g, d, curvature, h);
        return new Factor(l, free, active, ridge, h, d, curvature);
    }

    /**
     * Maximises the objective {@code near} was made for ({@link #maximise(BattleCounts.Pairs, double[],
     * boolean[], boolean[], double)}) under other counts {@code p}, from {@code r}: chord steps with
     * {@code near}'s factorised system while each is at most half the one before, else Newton from the
     * point the failing step started from (see the class comment).
     */
    static void maximise(BattleCounts.Pairs p, double[] r, Factor near) {
        Layout l = near.layout;
        int m = l.free();
        double[] g = new double[m];
        double[] xs = new double[l.s()];
        double[] step = new double[m];
        double[] pi = new double[r.length];
        double[] from = r.clone();
        double last = Double.POSITIVE_INFINITY;
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            if (!gradient(p, r, l, near.free, near.active, near.ridge, pi, g)) {
                System.arraycopy(from, 0, r, 0, r.length);
                break;
            }
            solve(l, near.cholesky, near.d, near.curvature, g, xs, step);
            double largest = largest(step);
            if (!(largest <= last / 2)) {
                // not contracting (or not finite): the chord's matrix is too far from this fit's Hessian
                System.arraycopy(from, 0, r, 0, r.length);
                break;
            }
            System.arraycopy(r, 0, from, 0, r.length);
            add(l, step, 1, r, r);
            if (largest < TOLERANCE) {
                return;
            }
            last = largest;
        }
        maximise(p, r, near.free, near.active, near.ridge);
    }

    /** The pairs counted and the free models' split into T and S (see the class comment). */
    private static Layout layout(BattleCounts.Pairs p, boolean[] free, boolean[] active) {
        int k = free.length;
        int[] slot = new int[k];
        int m = 0;
        for (int x = 0; x < k; x++) {
            slot[x] = free[x] ? m++ : -1;
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
                apart &= !inT[other(p.i(), p.j(), slot, q, x)];
            }
            inT[x] = apart;
        }
        int[] dense = new int[m];
        int s = 0;
        for (int x = 0; x < m; x++) {
            dense[x] = inT[x] ? -1 : s++;
        }
        return new Layout(p.i(), p.j(), slot, counted, dense, s, neighbours);
    }

    /** The free model (its slot) at the other end of pair {@code q} (models i[q], j[q]) from slot {@code x}. */
    private static int other(int[] i, int[] j, int[] slot, int q, int x) {
        return slot[i[q]] == x ? slot[j[q]] : slot[i[q]];
    }

    /**
     * Turns what {@link #evaluate} left at {@code r} into the factorised Newton system: the ridge into
     * {@code g} and {@code d}, T eliminated from S's block {@code h} (each member's pairs, all to S, add
     * −h_ta·h_tb / d_t), and {@code h} overwritten by its Cholesky factor.
     */
    private static void factorise(
            Layout l, double[] r, double ridge, double[] g, double[] d, double[] curvature, double[][] h) {
        int[] slot = l.slot();
        int[] dense = l.dense();
        for (int x = 0; x < r.length; x++) {
            if (slot[x] >= 0) {
                g[slot[x]] -= ridge * r[x];
                d[slot[x]] += ridge;
            }
        }
        for (int x = 0; x < l.free(); x++) {
            if (dense[x] >= 0) {
                h[dense[x]][dense[x]] += d[x];
            } else {
                // a pivot at rounding level: a direction the data do not constrain (as cholesky)
                d[x] = Math.max(d[x], 1e-300);
            }
        }
        int[][] neighbours = l.neighbours();
        for (int t = 0; t < l.free(); t++) {
            if (dense[t] >= 0) {
                continue;
            }
            for (int qa : neighbours[t]) {
                double[] row = h[dense[l.other(qa, t)]];
                double ca = curvature[qa] / d[t];
                for (int qb : neighbours[t]) {
                    row[dense[l.other(qb, t)]] -= ca * curvature[qb];
                }
            }
        }
        cholesky(h);
    }

    /**
     * The step {@code step} (per free model) of the system factorised in {@code cholesky}, {@code d} and
     * {@code curvature} for the gradient {@code g}: S's right-hand side {@code g_S − H_ST·D⁻¹·g_T}, the two
     * triangular solves into {@code xs}, then T's {@code D⁻¹·(g_T − H_TS·x_S)}.
     */
    private static void solve(
            Layout l, double[][] cholesky, double[] d, double[] curvature, double[] g, double[] xs, double[] step) {
        int[] dense = l.dense();
        int[][] neighbours = l.neighbours();
        for (int x = 0; x < l.free(); x++) {
            if (dense[x] >= 0) {
                xs[dense[x]] = g[x];
            }
        }
        for (int t = 0; t < l.free(); t++) {
            if (dense[t] >= 0) {
                continue;
            }
            for (int q : neighbours[t]) {
                xs[dense[l.other(q, t)]] += curvature[q] / d[t] * g[t];
            }
        }
        substitute(cholesky, xs);
        for (int x = 0; x < l.free(); x++) {
            if (dense[x] >= 0) {
                step[x] = xs[dense[x]];
                continue;
            }
            double v = g[x];
            for (int q : neighbours[x]) {
                v += curvature[q] * xs[dense[l.other(q, x)]];
            }
            step[x] = v / d[x];
        }
    }

    /** The largest absolute value. */
    private static double largest(double[] step) {
        double largest = 0;
        for (double x : step) {
            largest = Math.max(largest, Math.abs(x));
        }
        return largest;
    }

    /** {@code to = r + t·step} on the free models, {@code r} elsewhere ({@code to} may be {@code r}). */
    private static void add(Layout l, double[] step, double t, double[] r, double[] to) {
        int[] slot = l.slot();
        for (int x = 0; x < r.length; x++) {
            to[x] = slot[x] >= 0 ? r[x] + t * step[slot[x]] : r[x];
        }
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
            Layout l,
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
        boolean[] counted = l.counted();
        int[] slot = l.slot();
        int[] dense = l.dense();
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
     * At {@code r}, into {@code g}: the gradient of the objective {@link #evaluate} returns, alone (a chord
     * step's pass), with σ(α·(r_i − r_j)) = π_i / (π_i + π_j) for π = e^(α·(r − top)), top the largest
     * active rating: one exponential per model instead of one per pair, and no logarithm. Returns false,
     * leaving {@code g} undefined, when a π would be subnormal (active ratings more than 300 units, 120,000
     * Elo points, apart), where the quotient loses precision.
     */
    private static boolean gradient(
            BattleCounts.Pairs p,
            double[] r,
            Layout l,
            boolean[] free,
            boolean[] active,
            double ridge,
            double[] pi,
            double[] g) {
        double top = Double.NEGATIVE_INFINITY;
        for (int x = 0; x < r.length; x++) {
            top = active[x] ? Math.max(top, r[x]) : top;
        }
        for (int x = 0; x < r.length; x++) {
            double exponent = ALPHA * (r[x] - top);
            if (active[x] && !(exponent > -700)) {
                return false;
            }
            pi[x] = active[x] ? Math.exp(exponent) : 0;
        }
        Arrays.fill(g, 0);
        boolean[] counted = l.counted();
        int[] slot = l.slot();
        for (int q = 0; q < counted.length; q++) {
            if (!counted[q]) {
                continue;
            }
            int i = p.i()[q];
            int j = p.j()[q];
            double grad = ALPHA * (p.scoreI()[q] - p.n()[q] * (pi[i] / (pi[i] + pi[j])));
            if (slot[i] >= 0) {
                g[slot[i]] += grad;
            }
            if (slot[j] >= 0) {
                g[slot[j]] -= grad;
            }
        }
        for (int x = 0; x < r.length; x++) {
            if (free[x]) {
                g[slot[x]] -= ridge * r[x];
            }
        }
        return true;
    }

    /**
     * Σ a[t]·b[t] over t &lt; n, in four interleaved partial sums: the inner loop of the Cholesky
     * factorisation and of the forward solve (a sum in one accumulator waits on each addition; four keep the floating-point units busy, and the
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

    /** Overwrites the symmetric positive definite {@code h}'s lower triangle with its Cholesky factor. */
    static void cholesky(double[][] h) {
        int m = h.length;
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
    }

    /**
     * Overwrites {@code b} with {@code x} solving {@code L·Lᵀ·x = b}, L the lower triangle {@link #cholesky}
     * left, reading L by rows both ways: forward, each x_row after an inner product of L's row (in
     * {@link #dot}'s partial sums); backward, each x_row then taken out of the rows above (a loop without a
     * carried sum, which the JIT vectorises). A chord step is these two solves and a pass over the pairs.
     */
    static void substitute(double[][] factor, double[] b) {
        int m = b.length;
        for (int row = 0; row < m; row++) {
            b[row] = (b[row] - dot(factor[row], b, row)) / factor[row][row];
        }
        for (int row = m - 1; row >= 0; row--) {
            double[] l = factor[row];
            double x = b[row] / l[row];
            b[row] = x;
            for (int t = 0; t < row; t++) {
                b[t] -= l[t] * x;
            }
        }
    }
}
