package io.assay.aggregator.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * AlpacaEval 2's length-controlled win rate (Dubois, Galambosi, Liang &amp; Hashimoto 2024,
 * <i>Length-Controlled AlpacaEval: A Simple Way to Debias Automatic Evaluators</i>, §3; upstream
 * {@code get_length_controlled_winrate} and {@code _get_featurized_data} in
 * {@code src/alpaca_eval/metrics/glm_winrate.py}, tatsu-lab/alpaca_eval, glm {@code length_controlled_v1}).
 *
 * <p>One GLM per model, fitted on that model's preferences against the baseline only (so adding a
 * model never moves another's number), with upstream's formula
 * {@code np.tanh(std_delta_len) + instruction_difficulty + not_gamed_baseline − 1} (no intercept):
 *
 * <pre>
 * P(model preferred on row i) = σ( θ_len·tanh(std_delta_len_i) + θ_instr·γ_x(i) + θ_model·not_gamed_baseline_i )
 * std_delta_len_i = (len_baseline_i − len_model_i) / sd(len_baseline − len_model)
 * y_i = p_i − 1 ∈ [0, 1], a draw (p = 0) counts 0.5          (soft labels)
 * length_controlled_winrate = 100 · mean_i σ( θ_instr·γ_x(i) + θ_model )   (length term set to 0)
 * </pre>
 *
 * Lengths are in Unicode code points (upstream: Python's {@code str.len}); the delta is baseline minus
 * model as upstream ({@code output_1} is the baseline's), so a judge that prefers longer answers gives
 * θ_len &lt; 0; sd is the sample standard deviation (pandas' {@code std}, ddof 1) over the model's own
 * rows, not centred. Where every delta is equal (sd 0 or undefined) there is no length to control and
 * the length feature is 0 (upstream would divide by zero).
 *
 * <p><b>Regularisation towards the baseline</b> (λ = 0.2): upstream adds the preferences of the
 * <i>gamed baselines</i> — the baseline prompted to be verbose or concise, judged against the baseline
 * — as extra rows with {@code not_gamed_baseline} = 0 and weight λ/2 each (two gamed baselines), so the
 * length and instruction slopes are pulled towards the baseline's own. Assay does the same when the
 * benchmark has such models: a model whose id contains the baseline's id and {@code verbose} or
 * {@code concise} (upstream's rule, {@code fn_is_gamed_baseline} in {@code notebooks/notebook_helpers.py})
 * is a gamed baseline, and its rows weigh λ divided by the number of gamed baselines; each gamed
 * baseline's deltas are standardised by its own sd. Without them the fit is unregularised towards the
 * baseline (upstream's {@code regularize_to_baseline_lambda=None} path).
 *
 * <p>The fit is {@link PenalizedLogistic}: L1 penalty with C chosen by 5-fold cross-validation, as
 * upstream's {@code fit_LogisticRegressionCV}; optimiser and tolerance are documented there. Rows: the
 * gamed baselines' first (by model id), then the model's, each in the order given (slot-key order).
 *
 * <p><b>Instruction difficulty</b> γ_x comes from item metadata when every row has it. Otherwise it is
 * estimated as upstream estimated it ({@code notebooks/instruction_difficulty.ipynb}, "Joint fitting to
 * compute instruction_difficulty"): one joint fit over every model's rows against the baseline, formula
 * {@code C(model):np.tanh(std_delta_len) + C(model) + C(index) − 1}: a length slope and a bias per
 * model and a coefficient per item, the first item (by id) fixed at 0 by the reduced-rank coding, with
 * the same L1-penalised fit; γ_x is the item's coefficient. Rows: models by id, each model's rows
 * in the order given. Upstream's joint formula also has {@code not_gamed_baseline}, but with a bias per
 * model that column is the sum of the non-gamed models' bias columns: collinear, it leaves the L1
 * solution non-unique, so Assay leaves it out. And the notebook cross-validates C, but a fold that holds
 * out every row of the reference item makes the item columns collinear with the model biases, so the
 * fold's predictions (and the chosen C) are not unique: Assay fits with {@link #JOINT_C}. The joint fit's
 * Newton steps are cubic in the number of items (about 50 s for 805 items × 10 models on a shared
 * 2-core machine): at AlpacaEval's size give γ in the items' metadata; the view refuses to estimate over
 * more than {@link #MAX_ESTIMATED_ITEMS}.
 *
 * <p><b>Standard error</b>: upstream's {@code lc_standard_error} (in {@code get_length_controlled_winrate} from
 * tatsu-lab/alpaca_eval commit 19866ff, {@code pd.Series(predicted_preferences).sem() * 100}; a column of its
 * AlpacaEval 2 leaderboards since): 100 · the standard error of the mean of the same predictions over the model's
 * rows ({@link #lcStandardError}). It measures how the predictions spread over the items (through γ), not the
 * fit's estimation error, so it is smaller than the raw win rate's {@code standard_error} (upstream's
 * {@code weighted_alpaca_eval_gpt4_turbo} leaderboard: 0.4–0.9 points where the raw one is 1.1–1.5, 805 items).
 *
 * <p><b>Interval</b>: upstream publishes none for the LC win rate, and 1.96 of its standard error is not one (it
 * held the true LC in 45–51% of simulated benchmarks of 805 items, {@code LcIntervalCoverageBenchmark}). The view's
 * is the delta method's ({@link #interval}): LC ∓ 1.96·√(gᵀ V g + lc_standard_error²), clipped to [0, 100], where
 * g = ∂LC/∂θ and V = H⁺ B H⁺ is the sandwich (robust) covariance of the fit's coefficients at the fitted θ over every
 * row of the fit, the gamed baselines' included with their weights: H = Σ w·p(1 − p)·x xᵀ, B = Σ w²·(y − p)²·x xᵀ,
 * H⁺ the Moore–Penrose inverse (a column that is zero or collinear, such as γ when every item has the same
 * difficulty, carries no variance of its own). The penalty is left out of V, γ is taken as given (an estimated γ
 * too, as the bootstrap before held it), and the items' spread is added as upstream's standard error.
 * On simulated preferences it held the true LC in 94–98% of 400 benchmarks of 40, 100 and 805 items (two draws),
 * where the bootstrap percentile interval Assay gave before (200 resamples, each refitted with the C chosen on all
 * rows) held it in 94–96% at 805 items but 86–88% at 100 and 58–72% at 40, too narrow (18–21 points wide at
 * 40 items against 31); and it costs one pass over the rows instead of 200 refits.
 */
public final class LengthControlled {
    /** Upstream's {@code regularize_to_baseline_lambda}. */
    public static final double LAMBDA = 0.2;
    /**
     * The L1 strength of the joint instruction-difficulty fit: upstream's {@code C} when it does not
     * cross-validate ({@code fit_LogisticRegressionCV(..., C=100)} with {@code n_splits=0}).
     */
    public static final double JOINT_C = 100;
    /**
     * The most items whose instruction difficulties are estimated jointly: each Newton step of that fit
     * factorises a dense matrix of a column per item, so its time is cubic in the items (about 50 s for
     * AlpacaEval's 805 on a shared 2-core machine) and its Hessian quadratic (10,000 items: 830 MB, more than
     * the aggregator's heap). Above it the view is refused and asks for the difficulties in the items'
     * metadata.
     */
    public static final int MAX_ESTIMATED_ITEMS = 1_000;
    /** The GLM's coefficient names, as upstream's design matrix names its columns. */
    public static final List<String> COEFFICIENTS =
            List.of("np.tanh(std_delta_len)", "instruction_difficulty", "not_gamed_baseline");

    private LengthControlled() {}

    /**
     * One preference against the baseline.
     *
     * @param itemId the item (instruction)
     * @param preference AlpacaEval's preference in [1, 2], 0 for a draw
     * @param answerChars the model's answer length in code points
     * @param baselineChars the baseline's answer length in code points
     */
    public record Pair(String itemId, double preference, int answerChars, int baselineChars) {
        /** The soft label p − 1, a draw 0.5. */
        double label() {
            return preference == 0.0 ? 0.5 : preference - 1.0;
        }
    }

    /**
     * A model's fit.
     *
     * @param lcWinRate {@code length_controlled_winrate} in percent
     * @param lcStandardError upstream's {@code lc_standard_error} in percent ({@link #lcStandardError}); NaN
     *     below two rows
     * @param theta the coefficients in the order of {@link #COEFFICIENTS}
     * @param c the L1 strength C the cross-validation chose (or was given)
     * @param n the model's rows
     * @param gamedRows the gamed baselines' rows added to regularise it
     */
    public record Fit(double lcWinRate, double lcStandardError, double[] theta, double c, int n, int gamedRows) {}

    /** Whether {@code model} is a gamed baseline of {@code baseline} (upstream's naming rule). */
    public static boolean isGamedBaseline(String model, String baseline) {
        return baseline != null
                && !model.equals(baseline)
                && model.contains(baseline)
                && (model.contains("verbose") || model.contains("concise"));
    }

    /**
     * The cross-validated fit of one model; {@code null} with fewer rows than folds.
     *
     * @param model the model's preferences against the baseline
     * @param gamed the gamed baselines' preferences, by model id (empty: no regularisation)
     * @param difficulty γ by item id, for every item of {@code model} and {@code gamed}
     */
    public static Fit fit(List<Pair> model, Map<String, List<Pair>> gamed, Map<String, Double> difficulty) {
        return fit(Rows.of(model, difficulty), gamed(gamed, difficulty));
    }

    /**
     * The cross-validated fit of one model's rows with the gamed baselines' ({@link #gamed}); {@code null} with
     * fewer rows than folds.
     */
    public static Fit fit(Rows model, List<Standardized> gamed) {
        Problem p = problem(model, gamed);
        if (p.y.length < PenalizedLogistic.FOLDS || model.size() == 0) {
            return null;
        }
        PenalizedLogistic.Choice choice = PenalizedLogistic.crossValidated(p.x, p.y, p.w);
        return result(model, choice.theta(), choice.c(), p);
    }

    /** The fit of one model with a given C (no cross-validation); {@code null} without rows. */
    public static Fit fit(List<Pair> model, Map<String, List<Pair>> gamed, Map<String, Double> difficulty, double c) {
        if (model.isEmpty()) {
            return null;
        }
        Rows rows = Rows.of(model, difficulty);
        Problem p = problem(rows, gamed(gamed, difficulty));
        return result(rows, PenalizedLogistic.fit(p.x, p.y, p.w, c), c, p);
    }

    /**
     * The 95% interval of the LC win rate by the delta method (see the class comment): LC ∓ 1.96·√(gᵀ V g +
     * lc_standard_error²) within [0, 100]; NaN bounds below two rows.
     *
     * @param model the model's preferences against the baseline
     * @param gamed the gamed baselines' preferences, by model id, as the fit had them
     * @param difficulty γ by item id
     * @param fit the model's fit on them
     */
    public static double[] interval(
            List<Pair> model, Map<String, List<Pair>> gamed, Map<String, Double> difficulty, Fit fit) {
        return interval(Rows.of(model, difficulty), gamed(gamed, difficulty), fit);
    }

    /**
     * Whether every one of the model's verdicts prefers it fully (every label 1), or prefers the baseline fully (every
     * label 0): the likelihood then grows without end along the model's own coefficient, so its maximum is at
     * infinity and the fit is held only by the L1 penalty. The LC win rate the fit gives is then the penalty's, not
     * the data's, and the delta method's interval has no width ({@code g} is 0 where every prediction is 0 or 1):
     * the view gives such a model no interval ({@code metrics.separated}), as {@code bt} gives none to a model that
     * won or lost every battle. (Albert &amp; Anderson 1984, complete separation; here by the intercept-like
     * column alone, as the gamed baselines' rows have 0 in it.)
     */
    public static boolean separated(Rows model) {
        double[] y = model.label();
        if (y.length == 0) {
            return false;
        }
        boolean all1 = true;
        boolean all0 = true;
        for (double v : y) {
            all1 &= v == 1.0;
            all0 &= v == 0.0;
        }
        return all1 || all0;
    }

    /** {@link #interval(List, Map, Map, Fit)} of one model's rows with the gamed baselines' ({@link #gamed}). */
    public static double[] interval(Rows model, List<Standardized> gamed, Fit fit) {
        int n = model.size();
        if (n < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] theta = fit.theta();
        int p = COEFFICIENTS.size();
        double[][] h = new double[p][p];
        double[][] b = new double[p][p];
        double gamedWeight = gamed.isEmpty() ? 0 : LAMBDA / gamed.size();
        for (Standardized g : gamed) {
            addRows(h, b, g, 0.0, gamedWeight, theta);
        }
        addRows(h, b, Standardized.of(model), 1.0, 1.0, theta);
        // g = ∂LC/∂θ: the length term is not in LC
        double[] grad = new double[p];
        for (double gamma : model.gamma()) {
            double s = PenalizedLogistic.sigmoid(theta[1] * gamma + theta[2]);
            double d = 100.0 * s * (1 - s) / n;
            grad[1] += d * gamma;
            grad[2] += d;
        }
        // gᵀ H⁺ B H⁺ g = uᵀ B u with u = H⁺ g (H⁺ symmetric)
        double[] u = multiply(pseudoInverse(h), grad);
        double variance = fit.lcStandardError() * fit.lcStandardError();
        for (int j = 0; j < p; j++) {
            for (int k = 0; k < p; k++) {
                variance += u[j] * b[j][k] * u[k];
            }
        }
        double half = Wilson.Z_95 * Math.sqrt(variance);
        return new double[] {Math.max(0, fit.lcWinRate() - half), Math.min(100, fit.lcWinRate() + half)};
    }

    /** Adds a block's rows to H = Σ w·p(1 − p)·x xᵀ and B = Σ w²·(y − p)²·x xᵀ at θ. */
    private static void addRows(
            double[][] h, double[][] b, Standardized block, double notGamed, double weight, double[] theta) {
        double[] tanh = block.tanh();
        double[] gamma = block.rows().gamma();
        double[] label = block.rows().label();
        double[] x = new double[3];
        for (int i = 0; i < tanh.length; i++) {
            x[0] = tanh[i];
            x[1] = gamma[i];
            x[2] = notGamed;
            double prob = PenalizedLogistic.sigmoid(theta[0] * x[0] + theta[1] * x[1] + theta[2] * x[2]);
            double curvature = weight * prob * (1 - prob);
            double residual = weight * (label[i] - prob);
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    h[j][k] += curvature * x[j] * x[k];
                    b[j][k] += residual * residual * x[j] * x[k];
                }
            }
        }
    }

    /**
     * The Moore–Penrose inverse of a symmetric positive semi-definite matrix, by Jacobi's eigenvalue method: eigenvalues
     * at most 10⁻¹² of the largest count as zero (a zero or collinear column).
     */
    static double[][] pseudoInverse(double[][] symmetric) {
        int n = symmetric.length;
        double[][] a = new double[n][];
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i] = symmetric[i].clone();
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diagonal = 0;
            for (int i = 0; i < n; i++) {
                diagonal += a[i][i] * a[i][i];
                for (int j = i + 1; j < n; j++) {
                    off += a[i][j] * a[i][j];
                }
            }
            if (off <= 1e-32 * diagonal || off == 0) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    // the rotation that zeroes a[p][q]: tan 2φ = 2·a_pq / (a_qq − a_pp)
                    double phi = 0.5 * Math.atan2(2 * a[p][q], a[q][q] - a[p][p]);
                    double c = Math.cos(phi);
                    double s = Math.sin(phi);
                    for (int k = 0; k < n; k++) {
                        double kp = a[k][p];
                        double kq = a[k][q];
                        a[k][p] = c * kp - s * kq;
                        a[k][q] = s * kp + c * kq;
                    }
                    for (int k = 0; k < n; k++) {
                        double pk = a[p][k];
                        double qk = a[q][k];
                        a[p][k] = c * pk - s * qk;
                        a[q][k] = s * pk + c * qk;
                        double vp = v[k][p];
                        double vq = v[k][q];
                        v[k][p] = c * vp - s * vq;
                        v[k][q] = s * vp + c * vq;
                    }
                }
            }
        }
        double largest = 0;
        for (int i = 0; i < n; i++) {
            largest = Math.max(largest, Math.abs(a[i][i]));
        }
        double[][] inverse = new double[n][n];
        for (int e = 0; e < n; e++) {
            double lambda = a[e][e];
            if (Math.abs(lambda) <= 1e-12 * largest || lambda == 0) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    inverse[i][j] += v[i][e] * v[j][e] / lambda;
                }
            }
        }
        return inverse;
    }

    private static double[] multiply(double[][] m, double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                out[i] += m[i][j] * x[j];
            }
        }
        return out;
    }

    /**
     * Instruction difficulty estimated by the joint fit over every model (see the class comment).
     *
     * @param byModel each model's preferences against the baseline (the baseline itself left out),
     *     gamed baselines included
     * @return γ by item id
     */
    public static Map<String, Double> estimateDifficulty(Map<String, List<Pair>> byModel) {
        List<String> models = List.copyOf(new TreeSet<>(byModel.keySet()));
        TreeSet<String> itemSet = new TreeSet<>();
        byModel.values().forEach(ps -> ps.forEach(p -> itemSet.add(p.itemId())));
        List<String> items = List.copyOf(itemSet);
        Map<String, Integer> itemColumn = new TreeMap<>();
        int m = models.size();
        for (int k = 1; k < items.size(); k++) {
            itemColumn.put(items.get(k), 2 * m + k - 1);
        }
        int p = 2 * m + Math.max(0, items.size() - 1);
        List<List<Integer>> rows = new ArrayList<>();
        List<List<Double>> vals = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            rows.add(new ArrayList<>());
            vals.add(new ArrayList<>());
        }
        List<Double> y = new ArrayList<>();
        int r = 0;
        for (int mi = 0; mi < m; mi++) {
            List<Pair> ps = byModel.get(models.get(mi));
            double[] t = tanhStdDelta(ps);
            for (int i = 0; i < ps.size(); i++, r++) {
                add(rows, vals, 2 * mi, r, t[i]);
                add(rows, vals, 2 * mi + 1, r, 1.0);
                Integer col = itemColumn.get(ps.get(i).itemId());
                if (col != null) {
                    add(rows, vals, col, r, 1.0);
                }
                y.add(ps.get(i).label());
            }
        }
        Map<String, Double> gamma = new TreeMap<>();
        items.forEach(it -> gamma.put(it, 0.0));
        if (r < PenalizedLogistic.FOLDS) {
            return gamma;
        }
        PenalizedLogistic.Design x = design(r, rows, vals);
        double[] w = new double[r];
        java.util.Arrays.fill(w, 1.0);
        double[] theta = PenalizedLogistic.fit(x, unbox(y), w, JOINT_C);
        itemColumn.forEach((it, col) -> gamma.put(it, theta[col]));
        return gamma;
    }

    /** tanh(std_delta_len) of one model's rows: (baseline − model)/sd, sd the sample sd; 0 where sd is 0. */
    static double[] tanhStdDelta(List<Pair> ps) {
        double[] delta = new double[ps.size()];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = ps.get(i).baselineChars() - ps.get(i).answerChars();
        }
        return tanhStd(delta);
    }

    /** tanh(delta/sd), sd the sample sd of {@code delta}; 0 where sd is 0 or undefined. */
    private static double[] tanhStd(double[] delta) {
        double sd = Stats.sampleSd(delta);
        double[] t = new double[delta.length];
        if (Double.isNaN(sd) || sd == 0) {
            return t;
        }
        for (int i = 0; i < t.length; i++) {
            t[i] = Math.tanh(delta[i] / sd);
        }
        return t;
    }

    /**
     * One model's rows as the fits read them, a primitive array a feature: per row the length delta (baseline
     * − model), the soft label and the item's γ. A fit is a function of them (and of the gamed baselines'), so
     * rows {@link #sameAs} a fit's have that fit.
     */
    public record Rows(double[] delta, double[] label, double[] gamma) {
        /** The rows of {@code ps}, each item's γ from {@code difficulty} (which has every item of them). */
        public static Rows of(List<Pair> ps, Map<String, Double> difficulty) {
            double[] delta = new double[ps.size()];
            double[] label = new double[delta.length];
            double[] gamma = new double[delta.length];
            for (int i = 0; i < delta.length; i++) {
                Pair p = ps.get(i);
                delta[i] = p.baselineChars() - p.answerChars();
                label[i] = p.label();
                gamma[i] = difficulty.get(p.itemId());
            }
            return new Rows(delta, label, gamma);
        }

        /** The number of rows. */
        public int size() {
            return delta.length;
        }

        /** Whether these are {@code other}'s rows, in the same order, to the bit. */
        public boolean sameAs(Rows other) {
            return Arrays.equals(delta, other.delta)
                    && Arrays.equals(label, other.label)
                    && Arrays.equals(gamma, other.gamma);
        }

        /** An estimate of their heap: three arrays of a double a row. */
        public long bytes() {
            return 16 + 3 * (16 + 8L * delta.length);
        }
    }

    /**
     * A block of rows with their length feature: tanh(std_delta_len), each block standardised by its own sd.
     * The gamed baselines' are computed once per model.
     */
    public record Standardized(Rows rows, double[] tanh) {
        static Standardized of(Rows rows) {
            return new Standardized(rows, tanhStd(rows.delta()));
        }
    }

    /** The gamed baselines' rows, in the order of their model ids, to regularise every model's fit with. */
    public static List<Standardized> gamed(Map<String, List<Pair>> gamed, Map<String, Double> difficulty) {
        return new TreeMap<>(gamed)
                .values().stream()
                        .map(ps -> Standardized.of(Rows.of(ps, difficulty)))
                        .toList();
    }

    private record Problem(PenalizedLogistic.Design x, double[] y, double[] w, int gamedRows) {}

    /**
     * The design, labels and weights of one fit: the gamed baselines' rows (by model id), then the model's,
     * written straight into the design's columns (a zero entry left out, as a sparse column does).
     */
    private static Problem problem(Rows model, List<Standardized> gamed) {
        int n = model.size();
        for (Standardized g : gamed) {
            n += g.rows().size();
        }
        Columns columns = new Columns(n);
        double gamedWeight = gamed.isEmpty() ? 0 : LAMBDA / gamed.size();
        for (Standardized g : gamed) {
            columns.add(g, 0.0, gamedWeight);
        }
        int gamedRows = columns.filled;
        columns.add(Standardized.of(model), 1.0, 1.0);
        return new Problem(columns.design(), columns.y, columns.w, gamedRows);
    }

    /** The GLM's three columns, sparse, filled row by row; labels and weights beside them. */
    private static final class Columns {
        private final int[][] rows = new int[COEFFICIENTS.size()][];
        private final double[][] values = new double[COEFFICIENTS.size()][];
        private final int[] nonZero = new int[COEFFICIENTS.size()];
        private final double[] y;
        private final double[] w;
        private int filled;

        Columns(int n) {
            for (int j = 0; j < rows.length; j++) {
                rows[j] = new int[n];
                values[j] = new double[n];
            }
            y = new double[n];
            w = new double[n];
        }

        void add(Standardized block, double notGamed, double weight) {
            Rows r = block.rows();
            double[] t = block.tanh();
            for (int i = 0; i < t.length; i++, filled++) {
                put(0, t[i]);
                put(1, r.gamma()[i]);
                put(2, notGamed);
                y[filled] = r.label()[i];
                w[filled] = weight;
            }
        }

        private void put(int column, double v) {
            if (v != 0) {
                rows[column][nonZero[column]] = filled;
                values[column][nonZero[column]++] = v;
            }
        }

        PenalizedLogistic.Design design() {
            int[][] r = new int[rows.length][];
            double[][] v = new double[rows.length][];
            for (int j = 0; j < r.length; j++) {
                r[j] = Arrays.copyOf(rows[j], nonZero[j]);
                v[j] = Arrays.copyOf(values[j], nonZero[j]);
            }
            return new PenalizedLogistic.Design(y.length, r, v);
        }
    }

    private static Fit result(Rows model, double[] theta, double c, Problem p) {
        double[] predictions = predictions(model, theta);
        return new Fit(lc(predictions), lcStandardError(predictions), theta, c, model.size(), p.gamedRows);
    }

    /** σ(θ_instr·γ + θ_model) on each of the model's rows: its predictions with the length term at zero. */
    private static double[] predictions(Rows model, double[] theta) {
        double[] gamma = model.gamma();
        double[] p = new double[gamma.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = PenalizedLogistic.sigmoid(theta[1] * gamma[i] + theta[2]);
        }
        return p;
    }

    /** 100 · the mean of the predictions: {@code length_controlled_winrate}. */
    private static double lc(double[] predictions) {
        double sum = 0;
        for (double p : predictions) {
            sum += p;
        }
        return 100.0 * sum / predictions.length;
    }

    /**
     * Upstream's {@code lc_standard_error}: 100 · the standard error of the mean of the same predictions
     * σ(θ_instr·γ + θ_model) over the model's rows, pandas' {@code Series.sem()} (sample sd, divisor n − 1, over
     * √n); NaN below two rows, as pandas gives.
     */
    static double lcStandardError(Rows model, double[] theta) {
        return lcStandardError(predictions(model, theta));
    }

    /** {@link #lcStandardError(Rows, double[])} of the predictions: two passes, the mean then the squares about it. */
    private static double lcStandardError(double[] predictions) {
        int n = predictions.length;
        if (n < 2) {
            return Double.NaN;
        }
        double sum = 0;
        for (double p : predictions) {
            sum += p;
        }
        double mean = sum / n;
        double squares = 0;
        for (double p : predictions) {
            squares += (p - mean) * (p - mean);
        }
        return 100.0 * Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
    }

    private static void add(List<List<Integer>> rows, List<List<Double>> vals, int col, int row, double v) {
        if (v != 0) {
            rows.get(col).add(row);
            vals.get(col).add(v);
        }
    }

    private static PenalizedLogistic.Design design(int n, List<List<Integer>> rows, List<List<Double>> vals) {
        int[][] r = new int[rows.size()][];
        double[][] v = new double[rows.size()][];
        for (int j = 0; j < r.length; j++) {
            r[j] = rows.get(j).stream().mapToInt(Integer::intValue).toArray();
            v[j] = unbox(vals.get(j));
        }
        return new PenalizedLogistic.Design(n, r, v);
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The models of {@code byModel} that are gamed baselines of {@code baseline}. */
    public static Set<String> gamedBaselines(Set<String> models, String baseline) {
        TreeSet<String> out = new TreeSet<>();
        models.stream().filter(m -> isGamedBaseline(m, baseline)).forEach(out::add);
        return out;
    }
}
