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
 * <p><b>Interval</b>: upstream publishes none for the LC win rate, and 1.96 of its standard error would not be a
 * 95% interval of the fit, so the view gives a 95% bootstrap percentile interval over the model's rows ({@link
 * Bootstrap}, 200 seeded resamples): each resample recomputes sd and refits with the C chosen on all rows (not
 * cross-validated again; from the full fit, to {@link #INTERVAL_TOLERANCE}), the gamed baselines' rows and γ held
 * fixed.
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
     * The descent's tolerance in bootstrap resamples: coefficients to 10⁻⁶ move a percentile bound by
     * far less than its own sampling error, at a fraction of the sweeps of {@link PenalizedLogistic#TOLERANCE}.
     */
    public static final double INTERVAL_TOLERANCE = 1e-6;
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
     * The 95% bootstrap percentile interval of the LC win rate: the model's rows resampled, C fixed at
     * {@code fit.c()}, {@code resamples} resamples from {@code seed}. Each item's γ is looked up once, not
     * once a resample.
     */
    public static double[] interval(
            List<Pair> model,
            Map<String, List<Pair>> gamed,
            Map<String, Double> difficulty,
            Fit fit,
            int resamples,
            long seed) {
        return interval(Rows.of(model, difficulty), gamed(gamed, difficulty), fit, resamples, seed);
    }

    /** {@link #interval(List, Map, Map, Fit, int, long)} of one model's rows with the gamed baselines' ({@link #gamed}). */
    public static double[] interval(Rows model, List<Standardized> gamed, Fit fit, int resamples, long seed) {
        return Bootstrap.interval(model.size(), resamples, seed, idx -> {
            Rows sample = model.sample(idx);
            Problem p = problem(sample, gamed);
            double[] theta = PenalizedLogistic.fit(p.x, p.y, p.w, fit.c(), fit.theta(), INTERVAL_TOLERANCE);
            return lc(sample, theta);
        });
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

        /** The rows {@code idx}, in that order. */
        Rows sample(int[] idx) {
            double[] d = new double[idx.length];
            double[] l = new double[idx.length];
            double[] g = new double[idx.length];
            for (int i = 0; i < idx.length; i++) {
                d[i] = delta[idx[i]];
                l[i] = label[idx[i]];
                g[i] = gamma[idx[i]];
            }
            return new Rows(d, l, g);
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
     * The gamed baselines' are computed once per model, not once per bootstrap resample.
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
        return new Fit(lc(model, theta), lcStandardError(model, theta), theta, c, model.size(), p.gamedRows);
    }

    /** 100 · mean over the model's rows of σ(θ_instr·γ + θ_model): the length term at zero. */
    private static double lc(Rows model, double[] theta) {
        double sum = 0;
        for (double g : model.gamma()) {
            sum += PenalizedLogistic.sigmoid(theta[1] * g + theta[2]);
        }
        return 100.0 * sum / model.size();
    }

    /**
     * Upstream's {@code lc_standard_error}: 100 · the standard error of the mean of the same predictions
     * σ(θ_instr·γ + θ_model) over the model's rows, pandas' {@code Series.sem()} (sample sd, divisor n − 1, over
     * √n); NaN below two rows, as pandas gives. Two passes (the mean, then the squares about it), so rows whose
     * predictions are all equal give 0 exactly.
     */
    static double lcStandardError(Rows model, double[] theta) {
        double[] gamma = model.gamma();
        int n = gamma.length;
        if (n < 2) {
            return Double.NaN;
        }
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = PenalizedLogistic.sigmoid(theta[1] * gamma[i] + theta[2]);
            sum += p[i];
        }
        double mean = sum / n;
        double squares = 0;
        for (double v : p) {
            squares += (v - mean) * (v - mean);
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
