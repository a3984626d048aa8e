package io.assay.aggregator.stats;

/**
 * L1-penalised logistic regression on soft labels, without intercept, with the penalty strength chosen
 * by grouped k-fold cross-validation: the estimator AlpacaEval's length-controlled win rate is fitted
 * with ({@code fit_LogisticRegressionCV} in {@code src/alpaca_eval/metrics/glm_winrate.py},
 * tatsu-lab/alpaca_eval: scikit-learn's {@code LogisticRegressionCV(penalty="l1", solver="liblinear",
 * fit_intercept=False)}, {@code GroupKFold(n_splits=5)}, the default grid of ten C in
 * [10⁻⁴, 10⁴], scored by the weighted soft-label log loss, refitted on all rows with the best C).
 *
 * <p>Upstream turns a soft label y ∈ [0, 1] into two rows, one labelled 1 with weight y·w and one
 * labelled 0 with weight (1 − y)·w, in the same group; that is exactly the soft-label loss used here:
 *
 * <pre>
 * minimise  F(θ) = Σ_j |θ_j| + C · Σ_i w_i · [ −y_i·log σ(x_i·θ) − (1 − y_i)·log(1 − σ(x_i·θ)) ]
 * </pre>
 *
 * (liblinear's L1 objective, sample weights scaling each row's C). <b>Optimiser</b>: for a narrow design
 * (the per-model GLM's three columns) proximal Newton, liblinear's own method for this objective
 * ({@link #newton}); for a wide one (the joint instruction-difficulty fit, a column per item) the
 * orthant-wise Newton method of {@link OrthantNewton}. <b>Tolerance</b>: both stop when a Newton step
 * moves no coefficient by more than {@link #TOLERANCE} (at most {@link #MAX_STEPS} steps). F is convex, and strictly convex in the linear predictor, so
 * the fitted probabilities are unique whatever the solver.
 *
 * <p><b>Cross-validation</b>: rows are their own groups (upstream's {@code group} is the row before
 * duplication); row r is in fold r mod k (GroupKFold spreads equal-size groups round-robin; Assay fixes
 * the order as the rows arrive, in slot-key order). A fold's score is −Σ_test w_i·CE_i / n_test (upstream's
 * {@code logloss_continuous}: the mean over test rows, probabilities clipped to [10⁻¹⁵, 1 − 10⁻¹⁵]); the
 * chosen C is the first of the grid with the highest mean score over folds (numpy's argmax). A training
 * fold is all rows with the test rows' weights set to zero, which is the same objective as leaving
 * them out.
 */
public final class PenalizedLogistic {
    /** Upstream's {@code n_splits}. */
    public static final int FOLDS = 5;
    /** scikit-learn's default {@code Cs=10}: {@code np.logspace(-4, 4, 10)}. */
    public static final double[] CS = grid();
    /** Largest coefficient change in a Newton step at which a fit stops. */
    public static final double TOLERANCE = 1e-10;
    /** Designs with at most this many columns are fitted by proximal Newton, wider ones by {@link OrthantNewton}. */
    public static final int NEWTON_MAX_COLUMNS = 8;
    /** Newton steps before a fit gives up (it then returns where it is). */
    public static final int MAX_STEPS = 1_000;

    private static final double CLIP = 1e-15;

    private PenalizedLogistic() {}

    /**
     * A design matrix by columns, sparse: column j has {@code values[j][k]} at row {@code rows[j][k]}.
     *
     * @param n rows
     * @param rows per column, the rows with a non-zero entry
     * @param values per column, those entries
     */
    public record Design(int n, int[][] rows, double[][] values) {
        /** Columns. */
        public int p() {
            return rows.length;
        }

        /** The linear predictor Xθ. */
        public double[] predictor(double[] theta) {
            double[] z = new double[n];
            for (int j = 0; j < p(); j++) {
                for (int k = 0; k < rows[j].length; k++) {
                    z[rows[j][k]] += values[j][k] * theta[j];
                }
            }
            return z;
        }
    }

    /**
     * The cross-validated fit.
     *
     * @param c the chosen C
     * @param theta the coefficients refitted on all rows with it
     * @param scores the mean fold score of each C of {@link #CS}
     */
    public record Choice(double c, double[] theta, double[] scores) {}

    /** The minimiser of F for one C, from θ = 0. */
    public static double[] fit(Design x, double[] y, double[] w, double c) {
        return fit(x, y, w, c, new double[x.p()]);
    }

    /** The minimiser of F for one C, starting from {@code start} (not modified). */
    public static double[] fit(Design x, double[] y, double[] w, double c, double[] start) {
        if (x.p() <= NEWTON_MAX_COLUMNS) {
            return newton(x, y, w, c, start, TOLERANCE);
        }
        return OrthantNewton.fit(x, y, w, c, start, TOLERANCE, MAX_STEPS);
    }

    /** C chosen by {@link #FOLDS}-fold cross-validation over {@link #CS}, then refitted on all rows. */
    public static Choice crossValidated(Design x, double[] y, double[] w) {
        double[] scores = new double[CS.length];
        for (int f = 0; f < FOLDS; f++) {
            double[] train = w.clone();
            int nTest = 0;
            for (int i = f; i < x.n(); i += FOLDS) {
                train[i] = 0;
                nTest++;
            }
            double[] theta = new double[x.p()];
            for (int k = 0; k < CS.length; k++) {
                // Warm start along the grid: the optimum is the same, it is only reached sooner.
                theta = fit(x, y, train, CS[k], theta);
                double[] z = x.predictor(theta);
                double loss = 0;
                for (int i = f; i < x.n(); i += FOLDS) {
                    double q = Math.min(1 - CLIP, Math.max(CLIP, sigmoid(z[i])));
                    loss += w[i] * -(y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q));
                }
                scores[k] += -loss / nTest / FOLDS;
            }
        }
        int best = 0;
        for (int k = 1; k < CS.length; k++) {
            if (scores[k] > scores[best]) {
                best = k;
            }
        }
        return new Choice(CS[best], fit(x, y, w, CS[best]), scores);
    }

    /**
     * Proximal Newton (newGLMNET; Yuan, Ho &amp; Lin 2012, <i>An Improved GLMNET for L1-regularized Logistic
     * Regression</i>, JMLR 13, §3): the full Hessian, the L1 subproblem on the quadratic model solved by
     * cyclic coordinate descent to 10⁻¹⁴, then an Armijo line search on F; stops when the step moves no
     * coefficient by more than {@code tolerance}.
     *
     * <p>Each evaluation of F keeps e<sup>−|z|</sup> of every row, which is all the next step's σ(z) needs:
     * one exponential a row and step fewer than computing it again, and the same bits ({@link #sigmoid} and
     * {@link #loss} take that same exponential). The predictors are written into two arrays reused across steps.
     */
    private static double[] newton(Design x, double[] y, double[] w, double c, double[] start, double tolerance) {
        int p = x.p();
        int n = x.n();
        double[] theta = start.clone();
        // Row i's entries at i·p: one array, not a row object each (a fit per fold and C).
        double[] dense = new double[n * p];
        for (int j = 0; j < p; j++) {
            for (int k = 0; k < x.rows()[j].length; k++) {
                dense[x.rows()[j][k] * p + j] = x.values()[j][k];
            }
        }
        double[] z = new double[n];
        double[] e = new double[n];
        predict(dense, p, theta, z);
        double f = objective(z, y, w, c, theta, e);
        double[] zNext = new double[n];
        double[] eNext = new double[n];
        for (int iter = 0; iter < MAX_STEPS; iter++) {
            double[] g = new double[p];
            double[][] h = new double[p][p];
            for (int i = 0; i < n; i++) {
                if (w[i] == 0) {
                    continue;
                }
                double q = z[i] >= 0 ? 1 / (1 + e[i]) : e[i] / (1 + e[i]);
                double r = w[i] * (q - y[i]);
                double v = w[i] * q * (1 - q);
                for (int a = 0; a < p; a++) {
                    g[a] += c * r * dense[i * p + a];
                    for (int b = 0; b < p; b++) {
                        h[a][b] += c * v * dense[i * p + a] * dense[i * p + b];
                    }
                }
            }
            double[] d = new double[p];
            double[] hd = new double[p];
            for (int sweep = 0; sweep < 10_000; sweep++) {
                double moved = 0;
                for (int j = 0; j < p; j++) {
                    double a = h[j][j] + 1e-12;
                    double b = g[j] + hd[j] - h[j][j] * d[j];
                    double u = softThreshold(theta[j] - b / a, 1 / a);
                    double change = u - theta[j] - d[j];
                    if (change != 0) {
                        d[j] += change;
                        for (int k = 0; k < p; k++) {
                            hd[k] += h[k][j] * change;
                        }
                        moved = Math.max(moved, Math.abs(change));
                    }
                }
                if (moved <= 1e-14) {
                    break;
                }
            }
            double predicted = 0;
            for (int j = 0; j < p; j++) {
                predicted += g[j] * d[j] + Math.abs(theta[j] + d[j]) - Math.abs(theta[j]);
            }
            double alpha = 1;
            double[] next = new double[p];
            double fNext = f;
            for (int tries = 0; tries < 60; tries++) {
                for (int j = 0; j < p; j++) {
                    next[j] = theta[j] + alpha * d[j];
                }
                predict(dense, p, next, zNext);
                fNext = objective(zNext, y, w, c, next, eNext);
                if (fNext - f <= 0.01 * alpha * predicted) {
                    break;
                }
                alpha /= 2;
            }
            double moved = 0;
            for (int j = 0; j < p; j++) {
                moved = Math.max(moved, Math.abs(next[j] - theta[j]));
            }
            theta = next;
            double[] swap = z;
            z = zNext;
            zNext = swap;
            swap = e;
            e = eNext;
            eNext = swap;
            f = fNext;
            if (moved <= tolerance) {
                break;
            }
        }
        return theta;
    }

    /**
     * Xθ of a dense design into {@code z}: each row's non-zero entries added in column order, as {@link
     * Design#predictor} adds them (the same bits).
     */
    private static void predict(double[] dense, int p, double[] theta, double[] z) {
        for (int i = 0; i < z.length; i++) {
            double s = 0;
            for (int j = 0; j < p; j++) {
                double v = dense[i * p + j];
                if (v != 0) {
                    s += v * theta[j];
                }
            }
            z[i] = s;
        }
    }

    /**
     * F at θ (as {@link OrthantNewton#objective}, the same bits), keeping e<sup>−|z|</sup> of each row with a
     * weight in {@code e} for the next step's σ(z).
     */
    private static double objective(double[] z, double[] y, double[] w, double c, double[] theta, double[] e) {
        double f = 0;
        for (double t : theta) {
            f += Math.abs(t);
        }
        for (int i = 0; i < z.length; i++) {
            if (w[i] != 0) {
                e[i] = Math.exp(z[i] > 0 ? -z[i] : z[i]);
                f += c * w[i] * loss(z[i], y[i], e[i]);
            }
        }
        return f;
    }

    private static double softThreshold(double v, double t) {
        return v > t ? v - t : v < -t ? v + t : 0;
    }

    /** The logistic function, computed without overflow. */
    public static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }

    /** −y·log σ(z) − (1 − y)·log(1 − σ(z)), stable for large |z|. */
    static double loss(double z, double y) {
        return loss(z, y, Math.exp(z > 0 ? -z : z));
    }

    /** {@link #loss(double, double)} given {@code e} = e<sup>−|z|</sup>. */
    private static double loss(double z, double y, double e) {
        // log σ(z) = −log(1 + e^−z) and log(1 − σ(z)) = −log(1 + e^z): each softplus(v) is v⁺ + log1p(e^−|z|)
        // (v = ∓z), so that one term is computed once, not twice: the same bits, half the exp and log1p calls
        // that the fits spend most of their time in.
        double l = Math.log1p(e);
        return y * (-z > 0 ? -z + l : l) + (1 - y) * (z > 0 ? z + l : l);
    }

    private static double[] grid() {
        double[] cs = new double[10];
        for (int k = 0; k < cs.length; k++) {
            cs[k] = Math.pow(10, -4 + 8.0 * k / 9);
        }
        return cs;
    }
}
