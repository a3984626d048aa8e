package io.assay.aggregator.stats;

import io.assay.aggregator.stats.PenalizedLogistic.Design;

/**
 * The L1-penalised logistic objective of {@link PenalizedLogistic} for a wide, sparse design (the joint
 * instruction-difficulty fit: a bias and a length slope per model, a coefficient per item), by an
 * orthant-wise Newton method: OWL-QN's pseudo-gradient, orthant choice and projection (Andrew &amp; Gao
 * 2007, <i>Scalable Training of L1-Regularized Log-Linear Models</i>, ICML, §3.2) with the exact Hessian in
 * place of the quasi-Newton one. Each step solves H_FF·d = −pg_F over the free coefficients F (non-zero,
 * or zero with a pseudo-gradient that would move them) by Cholesky, projects θ + α·d onto the chosen
 * orthant (a coefficient that would change sign becomes 0), and backtracks α until
 * F(θ') ≤ F(θ) + 10⁻⁴·pg·(θ' − θ). Coordinate descent crawls here: the model biases and the item
 * coefficients are nearly collinear (they differ only on the reference item's rows); Newton does not
 * care. Stops when a step moves no coefficient by more than the tolerance. The Hessian is dense, p × p.
 */
final class OrthantNewton {
    private OrthantNewton() {}

    static double[] fit(Design x, double[] y, double[] w, double c, double[] start, double tolerance, int maxSteps) {
        int p = x.p();
        int[][] rowCols = rowColumns(x);
        double[][] rowVals = rowValues(x, rowCols);
        double[] theta = start.clone();
        double[] z = x.predictor(theta);
        double f = objective(z, y, w, c, theta);
        for (int step = 0; step < maxSteps; step++) {
            double[] g = new double[p];
            double[][] h = new double[p][p];
            for (int i = 0; i < z.length; i++) {
                if (w[i] == 0) {
                    continue;
                }
                double q = PenalizedLogistic.sigmoid(z[i]);
                double r = c * w[i] * (q - y[i]);
                double v = c * w[i] * q * (1 - q);
                for (int a = 0; a < rowCols[i].length; a++) {
                    g[rowCols[i][a]] += r * rowVals[i][a];
                    for (int b = 0; b < rowCols[i].length; b++) {
                        h[rowCols[i][a]][rowCols[i][b]] += v * rowVals[i][a] * rowVals[i][b];
                    }
                }
            }
            double[] pg = new double[p];
            double[] orthant = new double[p];
            int[] free = new int[p];
            int nf = 0;
            for (int j = 0; j < p; j++) {
                if (theta[j] != 0) {
                    pg[j] = g[j] + Math.signum(theta[j]);
                    orthant[j] = Math.signum(theta[j]);
                } else if (g[j] + 1 < 0) {
                    pg[j] = g[j] + 1;
                    orthant[j] = 1;
                } else if (g[j] - 1 > 0) {
                    pg[j] = g[j] - 1;
                    orthant[j] = -1;
                }
                if (theta[j] != 0 || pg[j] != 0) {
                    free[nf++] = j;
                }
            }
            if (nf == 0) {
                break;
            }
            double[][] hf = new double[nf][nf];
            double[] rhs = new double[nf];
            for (int a = 0; a < nf; a++) {
                for (int b = 0; b < nf; b++) {
                    hf[a][b] = h[free[a]][free[b]];
                }
                hf[a][a] += 1e-10;
                rhs[a] = -pg[free[a]];
            }
            double[] d = solve(hf, rhs);
            double alpha = 1;
            double[] next = theta.clone();
            double[] zNext = z;
            double fNext = f;
            for (int tries = 0; tries < 60; tries++) {
                double decrease = 0;
                for (int a = 0; a < nf; a++) {
                    int j = free[a];
                    double v = theta[j] + alpha * d[a];
                    next[j] = Math.signum(v) == orthant[j] ? v : 0;
                    decrease += pg[j] * (next[j] - theta[j]);
                }
                zNext = x.predictor(next);
                fNext = objective(zNext, y, w, c, next);
                if (fNext <= f + 1e-4 * decrease) {
                    break;
                }
                alpha /= 2;
            }
            double moved = 0;
            for (int j = 0; j < p; j++) {
                moved = Math.max(moved, Math.abs(next[j] - theta[j]));
            }
            theta = next;
            z = zNext;
            f = fNext;
            if (moved <= tolerance) {
                break;
            }
        }
        return theta;
    }

    /** Solves A·x = b for symmetric positive definite A by Cholesky (A is overwritten). */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        for (int j = 0; j < n; j++) {
            double s = a[j][j];
            for (int k = 0; k < j; k++) {
                s -= a[j][k] * a[j][k];
            }
            a[j][j] = Math.sqrt(Math.max(s, 1e-300));
            for (int i = j + 1; i < n; i++) {
                double t = a[i][j];
                for (int k = 0; k < j; k++) {
                    t -= a[i][k] * a[j][k];
                }
                a[i][j] = t / a[j][j];
            }
        }
        double[] x = b.clone();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < i; k++) {
                x[i] -= a[i][k] * x[k];
            }
            x[i] /= a[i][i];
        }
        for (int i = n - 1; i >= 0; i--) {
            for (int k = i + 1; k < n; k++) {
                x[i] -= a[k][i] * x[k];
            }
            x[i] /= a[i][i];
        }
        return x;
    }

    static double objective(double[] z, double[] y, double[] w, double c, double[] theta) {
        double f = 0;
        for (double t : theta) {
            f += Math.abs(t);
        }
        for (int i = 0; i < z.length; i++) {
            if (w[i] != 0) {
                f += c * w[i] * PenalizedLogistic.loss(z[i], y[i]);
            }
        }
        return f;
    }

    private static int[][] rowColumns(Design x) {
        int[] count = new int[x.n()];
        for (int[] rows : x.rows()) {
            for (int r : rows) {
                count[r]++;
            }
        }
        int[][] cols = new int[x.n()][];
        for (int i = 0; i < x.n(); i++) {
            cols[i] = new int[count[i]];
            count[i] = 0;
        }
        for (int j = 0; j < x.p(); j++) {
            for (int r : x.rows()[j]) {
                cols[r][count[r]++] = j;
            }
        }
        return cols;
    }

    private static double[][] rowValues(Design x, int[][] cols) {
        double[][] vals = new double[x.n()][];
        int[] filled = new int[x.n()];
        for (int i = 0; i < x.n(); i++) {
            vals[i] = new double[cols[i].length];
        }
        for (int j = 0; j < x.p(); j++) {
            for (int k = 0; k < x.rows()[j].length; k++) {
                int r = x.rows()[j][k];
                vals[r][filled[r]++] = x.values()[j][k];
            }
        }
        return vals;
    }
}
