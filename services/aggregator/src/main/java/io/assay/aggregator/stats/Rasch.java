package io.assay.aggregator.stats;

import java.util.Arrays;

/**
 * The Rasch (one-parameter logistic) item response model (Rasch 1960): model m answers item i correctly with
 * probability {@code P(θ_m, b_i) = σ(θ_m − b_i)}, θ_m the model's ability and b_i the item's difficulty on the
 * logit scale. The issue this answers (#17) follows LiveXiv (Shabtay et al. 2024, <i>LiveXiv – A Multi-Modal
 * Live Benchmark Based on Arxiv Papers Content</i>), which evaluates a few models on each new release and
 * estimates the others' accuracy with IRT; the estimator is the textbook one.
 *
 * <p><b>Data.</b> One cell per evaluated (model, item): y ∈ [0, 1], the share of the cell's verdicts that are
 * correct (one verdict per prompt variant). A cell counts once whatever its number of variants: variants of one
 * item are not independent trials (the clustered intervals of {@code accuracy} say the same), so weighting a
 * cell by them would make the ability intervals too narrow. With one variant y is 0 or 1 and the likelihood is
 * the ordinary Bernoulli one; with several it is its fractional (quasi-likelihood) extension.
 *
 * <p><b>Estimator: penalised (Bayesian modal) maximum likelihood</b> (Baker &amp; Kim 2004, <i>Item Response
 * Theory: Parameter Estimation Techniques</i>, 2nd ed., ch. 7; Mislevy 1986, <i>Bayes modal estimation in item
 * response models</i>, Psychometrika 51). Maximise
 *
 * <pre>
 * ℓ(θ, b, μ) = Σ_cells [ y·log P + (1 − y)·log(1 − P) ] − Σ_m θ_m² / (2·{@value #ABILITY_SD}²)
 *              − Σ_i (b_i − μ)² / (2·{@value #DIFFICULTY_SD}²) − μ² / (2·{@value #MEAN_DIFFICULTY_SD}²)
 * </pre>
 *
 * with μ the benchmark's mean difficulty. The priors fix the scale's origin (the likelihood depends on θ − b
 * only), keep the abilities of models that got every item right (or wrong), the difficulties of items every
 * model got right (or wrong) and μ of a benchmark nobody ever failed finite, and shrink an item seen by few
 * models towards the benchmark's mean difficulty rather than towards 0. ℓ is strictly concave, so the optimum
 * is unique whatever the starting point.
 *
 * <p><b>Solver: alternating Newton</b>, the joint maximum likelihood scheme of Baker &amp; Kim (ch. 5): a sweep
 * takes one Newton step for every ability with the difficulties fixed (each a one-dimensional concave problem:
 * gradient Σ(y − P) − θ/σ_θ², curvature Σ P(1 − P) + 1/σ_θ², a step at most {@value #MAX_STEP} logit so a cold
 * start never overshoots), then one for every difficulty, then sets μ to its optimum given the difficulties
 * (Σb/σ_b² over I/σ_b² + 1/σ_μ²), then shifts every θ, b and μ by the same c, the optimum of the priors alone
 * along that direction ({@code c = −(Σθ/σ_θ² + μ/σ_μ²) / (M/σ_θ² + 1/σ_μ²)}: the likelihood and b − μ do not
 * move), the one direction in which only the weak priors are curved and which alternating steps would crawl
 * along. It stops when a sweep moves no parameter by more than {@link #TOLERANCE}. Started from the previous
 * fit of the same benchmark ({@link #fit(Matrix, Params)}), a new judgment costs a few sweeps of O(cells), each
 * cell a product and a division: {@code σ(θ − b) = 1 / (1 + e^b·e^−θ)}, with e^b and e^−θ taken once a sweep
 * (the priors keep θ and b within tens of logits, far from the exponential's range). A model's cells are read in
 * sequence (from the matrix's own arrays when its cells are in model order, as {@code irt} builds it), and so are an
 * item's, from a copy of the cells grouped by item made once a fit (which the joint steps read too): summed into
 * per-item arrays in cell order instead, a warm fit of 1,000,000 cells took 102 ms, not 67 ({@code RaschBenchmark},
 * banded). Where each item is
 * seen by a few models the sweeps converge slowly (some 100 from a warm start), so near the optimum the fit takes
 * joint Newton steps instead when they look cheaper ({@link Joint}, {@link #joint}), and sweeps again for the last
 * rounding: the same optimum and the same stopping rule, reached in a few steps.
 *
 * <p><b>Ability interval</b>: the standard error from the observed information with the difficulties taken as
 * known (Baker &amp; Kim ch. 7, the ability's posterior curvature): {@code se_m = 1 / sqrt(Σ_i P(1 − P) +
 * 1/σ_θ²)}. It leaves out the difficulties' own uncertainty, so it is narrow when items are seen by few models. The
 * curvature is the one the fit's last sweep summed for its step, at parameters that moved by at most the tolerance
 * since: the same to some 10⁻¹³ as a pass of its own at the returned ones, which it saves.
 */
public final class Rasch {
    /** Prior standard deviation of an ability, in logits. */
    public static final double ABILITY_SD = 2.0;
    /** Prior standard deviation of a difficulty around the benchmark's mean difficulty, in logits. */
    public static final double DIFFICULTY_SD = 2.0;
    /** Prior standard deviation of the benchmark's mean difficulty μ, in logits. */
    public static final double MEAN_DIFFICULTY_SD = 2.0;
    /** Largest parameter change in a sweep at which the fit stops. */
    public static final double TOLERANCE = 1e-12;
    /** Sweeps before a fit gives up (it then returns where it is, {@link Fit#converged()} false). */
    public static final int MAX_SWEEPS = 5_000;
    /** Largest Newton step of one parameter in one sweep, in logits. */
    public static final double MAX_STEP = 1.0;
    /**
     * Largest parameter change in a sweep below which the fit may take joint Newton steps instead ({@link #joint}):
     * close enough to the optimum for them to converge quadratically.
     */
    static final double JOINT_FROM = 1e-2;
    /** The most models for joint Newton steps: they solve a dense system of one more than the models. */
    static final int JOINT_MODELS = 400;
    /** Joint Newton steps from {@link #JOINT_FROM} to the tolerance, as {@link #joint} counts them. */
    private static final int JOINT_STEPS = 4;
    /** The most Newton steps {@link #settled} takes on one item. */
    private static final int SETTLE_STEPS = 50;

    private static final double ABILITY_PRECISION = 1.0 / (ABILITY_SD * ABILITY_SD);
    private static final double DIFFICULTY_PRECISION = 1.0 / (DIFFICULTY_SD * DIFFICULTY_SD);
    private static final double MEAN_PRECISION = 1.0 / (MEAN_DIFFICULTY_SD * MEAN_DIFFICULTY_SD);

    private Rasch() {}

    /**
     * The observed model × item matrix as a list of cells.
     *
     * @param models the number of models (indices 0 … models − 1)
     * @param items the number of items
     * @param model per cell, its model
     * @param item per cell, its item
     * @param y per cell, the share correct in [0, 1]
     */
    public record Matrix(int models, int items, int[] model, int[] item, double[] y) {
        /** Checks the cells. */
        public Matrix {
            if (model.length != item.length || model.length != y.length) {
                throw new IllegalArgumentException("cells of unequal length");
            }
            for (int c = 0; c < y.length; c++) {
                if (model[c] < 0 || model[c] >= models || item[c] < 0 || item[c] >= items) {
                    throw new IllegalArgumentException("cell " + c + " outside the matrix");
                }
                if (!(y[c] >= 0 && y[c] <= 1)) {
                    throw new IllegalArgumentException("cell " + c + " has y outside [0, 1]: " + y[c]);
                }
            }
        }

        /** The number of evaluated cells. */
        public int cells() {
            return y.length;
        }
    }

    /**
     * Parameters of the model: a starting point or a fit's.
     *
     * @param ability per model θ
     * @param difficulty per item b
     * @param meanDifficulty μ
     * @param crawl how much a sweep shrank the change the last time this board was fitted, near the optimum where
     *     the slowest direction sets it ({@link Fit#crawl}), NaN if unknown: the design sets it, so a warm fit can
     *     take joint steps from its first sweep rather than after sweeping again to measure it
     */
    public record Params(double[] ability, double[] difficulty, double meanDifficulty, double crawl) {
        /** A start whose sweeps' contraction is unknown. */
        public Params(double[] ability, double[] difficulty, double meanDifficulty) {
            this(ability, difficulty, meanDifficulty, Double.NaN);
        }
    }

    /**
     * A fit.
     *
     * @param ability per model θ
     * @param difficulty per item b
     * @param meanDifficulty μ
     * @param abilitySe per model the standard error of θ from the observed information (difficulties known); NaN
     *     when the fit was asked for none
     * @param sweeps the sweeps it took
     * @param converged whether the last sweep moved no parameter by more than {@link #TOLERANCE}
     * @param crawl the sweeps' contraction (a sweep's largest change over the one before's) the fit went by: the one
     *     that chose its first joint step (the slower of its own sweeps' and the start's), or without one the slowest
     *     it measured; the start's when it measured none; NaN if neither
     */
    public record Fit(
            double[] ability,
            double[] difficulty,
            double meanDifficulty,
            double[] abilitySe,
            int sweeps,
            boolean converged,
            double crawl) {

        /** The fitted parameters, to start the next fit from. */
        public Params params() {
            return new Params(ability.clone(), difficulty.clone(), meanDifficulty, crawl);
        }

        /** P(correct) of model m on item i. */
        public double probability(int m, int i) {
            return Rasch.probability(ability[m], difficulty[i]);
        }
    }

    /** σ(θ − b), computed without overflow. */
    public static double probability(double ability, double difficulty) {
        double z = ability - difficulty;
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** The fit from a cold start (every ability and difficulty 0). */
    public static Fit fit(Matrix x) {
        return fit(x, null);
    }

    /**
     * The fit started from {@code start} ({@code null}: all zeros). Its arrays must have the matrix's
     * dimensions; a caller warm-starting a grown matrix fills new models with 0 and new items with μ, or with their
     * optimum given the start ({@link #settled}), which saves the sweeps that would take them there.
     */
    public static Fit fit(Matrix x, Params start) {
        double[] theta =
                start == null ? new double[x.models()] : start.ability().clone();
        double[] b = start == null ? new double[x.items()] : start.difficulty().clone();
        double mu = start == null ? 0.0 : start.meanDifficulty();
        if (theta.length != x.models() || b.length != x.items()) {
            throw new IllegalArgumentException("start of other dimensions than the matrix");
        }
        Grouped byModel = Grouped.of(x.model(), x.item(), x.y(), x.models());
        Grouped byItem = byModel.transposed(x.items());
        // σ(θ − b) = 1 / (1 + e^b · e^−θ): with e^b of every item and e^−θ of every model taken once a sweep, a
        // cell costs a product and a division instead of an exponential (the fit's cost, O(cells) a sweep).
        double[] expB = new double[b.length];
        double[] expMinusTheta = new double[theta.length];
        // Each ability's curvature at the last sweep (its observed information with the difficulties known), and
        // whether the fit's last step was a sweep.
        double[] information = new double[theta.length];
        boolean swept = false;
        // Joint Newton steps take over from the sweeps when they look cheaper to the tolerance ({@link #joint}).
        boolean jointSteps = theta.length <= JOINT_MODELS;
        Joint joint = null;
        Joint built = null;
        // Whether the next joint step is a chord step (the last full step's curvature, {@link Joint#step}).
        boolean again = false;
        long pairs = -1;
        double joined = Double.POSITIVE_INFINITY;
        double last = Double.POSITIVE_INFINITY;
        // The contraction the start brings (the last fit's), and the one this fit goes by: the slowest measured here
        // until its first joint step, then the one that chose it.
        double known = start == null ? Double.NaN : start.crawl();
        double crawl = 0;
        boolean jointed = false;
        int sweeps = 0;
        boolean converged = false;
        while (sweeps < MAX_SWEEPS && !converged) {
            sweeps++;
            if (joint != null) {
                swept = false;
                double moved = joint.step(theta, b, mu, again);
                if (Double.isFinite(moved) && moved < joined && moved <= MAX_STEP) {
                    mu = joint.apply(theta, b, mu);
                    converged = moved <= TOLERANCE;
                    if (joined <= MAX_STEP && (moved * moved / joined <= TOLERANCE || moved > joined / 10)) {
                        // The next step, a chord step contracting about as this one did (δ / δ_before), would be under
                        // the tolerance, or this one hardly contracted: what is left is the solve's rounding (some
                        // 10⁻¹¹ where the system is ill-conditioned), which further steps only repeat and a sweep or
                        // two take out. Sweeps from here (they may come back).
                        joint = null;
                    }
                    joined = moved;
                    again = true;
                    continue;
                }
                if (again) {
                    // The chord step did not contract (its curvature taken too far from here): a full step instead.
                    again = false;
                    continue;
                }
                // Not converging as Newton does near the optimum (rounding, say): sweeps only from here.
                joint = null;
                jointSteps = false;
            }
            for (int i = 0; i < b.length; i++) {
                expB[i] = Math.exp(b[i]);
            }
            swept = true;
            double moved = abilitySteps(byModel, expB, theta, expMinusTheta, information);
            moved = Math.max(moved, difficultySteps(byItem, expB, expMinusTheta, b, mu));
            double newMu = sum(b) * DIFFICULTY_PRECISION / (b.length * DIFFICULTY_PRECISION + MEAN_PRECISION);
            moved = Math.max(moved, Math.abs(newMu - mu));
            mu = newMu;
            double shift = -(sum(theta) * ABILITY_PRECISION + mu * MEAN_PRECISION)
                    / (theta.length * ABILITY_PRECISION + MEAN_PRECISION);
            for (int m = 0; m < theta.length; m++) {
                theta[m] += shift;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] += shift;
            }
            mu += shift;
            moved = Math.max(moved, Math.abs(shift));
            converged = moved <= TOLERANCE;
            if (!converged && jointSteps && moved <= JOINT_FROM && moved < last) {
                pairs = pairs < 0 ? Joint.pairs(byItem) : pairs;
                double rate = moved / last;
                if (!jointed && last < Double.POSITIVE_INFINITY) {
                    crawl = Math.max(crawl, rate);
                }
                // Until the first joint step, the last fit's contraction where it is slower than this fit's first
                // sweeps show (they shrink the fast directions too): the slowest direction's, which the design sets,
                // barely moves between fits.
                double expected = jointed || Double.isNaN(known) ? rate : Math.max(rate, known);
                if (joint(expected, moved, x.cells(), pairs)) {
                    crawl = jointed ? crawl : expected;
                    jointed = true;
                    built = built == null ? new Joint(x.models(), byItem, expB, expMinusTheta) : built;
                    joint = built;
                    joined = Double.POSITIVE_INFINITY;
                    again = false;
                }
            }
            last = moved;
        }
        crawl = crawl > 0 ? crawl : known;
        double[] se = new double[theta.length];
        // The information the last sweep summed, at parameters that moved by at most the tolerance since (a converged
        // fit ends on a sweep): a pass over the cells fewer. Otherwise a pass of its own, P as the sweeps take it.
        if (!swept) {
            for (int i = 0; i < b.length; i++) {
                expB[i] = Math.exp(b[i]);
            }
            abilitySteps(byModel, expB, theta.clone(), expMinusTheta, information); // steps on a copy, not taken
        }
        for (int m = 0; m < theta.length; m++) {
            se[m] = 1.0 / Math.sqrt(information[m]);
        }
        return new Fit(theta, b, mu, se, sweeps, converged, crawl);
    }

    /**
     * A sweep's Newton step for every ability, the difficulties fixed (e^b given, {@code expB}): each model's cells in
     * sequence; fills {@code expMinusTheta} at the new abilities and {@code information} with each ability's curvature
     * before its step, and returns the largest step.
     */
    private static double abilitySteps(
            Grouped byModel, double[] expB, double[] theta, double[] expMinusTheta, double[] information) {
        double moved = 0;
        for (int m = 0; m < theta.length; m++) {
            double g = -theta[m] * ABILITY_PRECISION;
            double h = ABILITY_PRECISION;
            double e = Math.exp(-theta[m]);
            for (int k = byModel.start()[m]; k < byModel.start()[m + 1]; k++) {
                double p = 1.0 / (1.0 + expB[byModel.other()[k]] * e);
                g += byModel.y()[k] - p;
                h += p * (1 - p);
            }
            double step = clamp(g / h);
            information[m] = h;
            theta[m] += step;
            expMinusTheta[m] = Math.exp(-theta[m]);
            moved = Math.max(moved, Math.abs(step));
        }
        return moved;
    }

    /**
     * A sweep's Newton step for every difficulty, the abilities fixed (e^b and e^−θ given), each item's cells in
     * sequence; returns the largest step.
     */
    private static double difficultySteps(
            Grouped byItem, double[] expB, double[] expMinusTheta, double[] b, double mu) {
        double moved = 0;
        for (int i = 0; i < b.length; i++) {
            double g = -(b[i] - mu) * DIFFICULTY_PRECISION;
            double h = DIFFICULTY_PRECISION;
            for (int k = byItem.start()[i]; k < byItem.start()[i + 1]; k++) {
                double p = 1.0 / (1.0 + expB[i] * expMinusTheta[byItem.other()[k]]);
                g += p - byItem.y()[k];
                h += p * (1 - p);
            }
            double step = clamp(g / h);
            b[i] += step;
            moved = Math.max(moved, Math.abs(step));
        }
        return moved;
    }

    /**
     * A model's accuracy over every item of the matrix: the mean over items of {@code observed[i]} where the
     * model was evaluated (not NaN) and of P(θ, b_i) elsewhere. Observed cells keep their outcome because full
     * evaluation would have measured exactly that outcome there: replacing it by the model's expectation only
     * adds the fit's error (and a model evaluated on every item gets its observed accuracy back).
     *
     * @param ability θ
     * @param difficulty every item's b
     * @param observed per item the model's share correct, NaN where it was not evaluated
     */
    public static double predictedAccuracy(double ability, double[] difficulty, double[] observed) {
        int n = 0;
        for (double o : observed) {
            n += Double.isNaN(o) ? 0 : 1;
        }
        int[] item = new int[n];
        double[] y = new double[n];
        for (int i = 0, c = 0; i < observed.length; i++) {
            if (!Double.isNaN(observed[i])) {
                item[c] = i;
                y[c++] = observed[i];
            }
        }
        Predictions predict = new Predictions(difficulty);
        return predict.accuracy(ability, predict.sums(new double[] {ability})[0], item, y, 0, n);
    }

    /**
     * {@code start} with the difficulty of every {@code fresh} item (one the last fit did not have, started at μ)
     * taken to its optimum given the start's abilities and μ: Newton steps on each such item's own cells, at most
     * {@value #MAX_STEP} logit each, as a sweep's item step. A warm start's new items are otherwise settled by the
     * fit's sweeps, one clamped step a sweep over every cell, and keep it from its joint steps until they have.
     */
    public static Params settled(Matrix x, Params start, boolean[] fresh) {
        boolean any = false;
        for (int i = 0; i < fresh.length && !any; i++) {
            any = fresh[i];
        }
        if (!any) {
            // No new item (the stability tau's matrix never has one): no pass over the cells.
            return start;
        }
        double[] b = start.difficulty().clone();
        int[] count = new int[b.length];
        int n = 0;
        for (int c = 0; c < x.y().length; c++) {
            if (fresh[x.item()[c]]) {
                count[x.item()[c]]++;
                n++;
            }
        }
        if (n == 0) {
            return start;
        }
        // The fresh items' cells, grouped by item: their models' e^−θ and their y.
        int[] at = new int[b.length + 1];
        for (int i = 0; i < b.length; i++) {
            at[i + 1] = at[i] + count[i];
        }
        double[] e = new double[n];
        double[] yy = new double[n];
        int[] next = at.clone();
        for (int c = 0; c < x.y().length; c++) {
            int i = x.item()[c];
            if (fresh[i]) {
                e[next[i]] = Math.exp(-start.ability()[x.model()[c]]);
                yy[next[i]++] = x.y()[c];
            }
        }
        double mu = start.meanDifficulty();
        for (int i = 0; i < b.length; i++) {
            for (int step = 0; fresh[i] && step < SETTLE_STEPS; step++) {
                double expB = Math.exp(b[i]);
                double g = -(b[i] - mu) * DIFFICULTY_PRECISION;
                double h = DIFFICULTY_PRECISION;
                for (int k = at[i]; k < at[i + 1]; k++) {
                    double p = 1.0 / (1.0 + expB * e[k]);
                    g += p - yy[k];
                    h += p * (1 - p);
                }
                double d = clamp(g / h);
                b[i] += d;
                if (Math.abs(d) <= TOLERANCE) {
                    break;
                }
            }
        }
        return new Params(start.ability(), b, mu, start.crawl());
    }

    /**
     * {@link #predictedAccuracy} of any number of abilities on the same items: e^b of every item is taken once, so
     * that P(θ, b_i) = 1 / (1 + e^{b_i}·e^{−θ}) costs a product and a division, as in the fit, not an exponential;
     * and every ability's Σ_i P is summed in one pass over the items ({@link #sums}), which the JIT vectorises.
     */
    public static final class Predictions {
        private final double[] expDifficulty;

        /** Predictions on items of {@code difficulty}. */
        public Predictions(double[] difficulty) {
            expDifficulty = new double[difficulty.length];
            for (int i = 0; i < difficulty.length; i++) {
                expDifficulty[i] = Math.exp(difficulty[i]);
            }
        }

        /**
         * Per ability of {@code abilities}, Σ_i P(ability, b_i) over every item, each summed in item order. The items
         * are the outer loop and the abilities the inner one: the same products, sums and divisions as a pass over
         * the items per ability, but on consecutive abilities, so the JIT does several in one instruction (6–7×
         * faster at 300 abilities and 100,000 items, {@code RaschBenchmark}).
         */
        public double[] sums(double[] abilities) {
            double[] expMinusTheta = new double[abilities.length];
            for (int a = 0; a < abilities.length; a++) {
                expMinusTheta[a] = Math.exp(-abilities[a]);
            }
            double[] sum = new double[abilities.length];
            for (double expB : expDifficulty) {
                for (int a = 0; a < sum.length; a++) {
                    sum[a] += 1.0 / (1.0 + expB * expMinusTheta[a]);
                }
            }
            return sum;
        }

        /**
         * Σ P(1 − P)/k over the cells {@code from … to − 1} of a model at {@code ability}: cell c on item {@code
         * item[c]}, of {@code counts[c]} verdicts; the variance of the cells' shares correct summed, were P the truth
         * and a cell's verdicts independent.
         */
        public double information(double ability, int[] item, int[] counts, int from, int to) {
            double expMinusTheta = Math.exp(-ability);
            double sum = 0;
            for (int c = from; c < to; c++) {
                double p = 1.0 / (1.0 + expDifficulty[item[c]] * expMinusTheta);
                sum += p * (1 - p) / counts[c];
            }
            return sum;
        }

        /**
         * {@link #predictedAccuracy} of a model at {@code ability} evaluated on the items {@code item[from …
         * to − 1]} (each once) with shares correct {@code y[from … to − 1]}, given {@code sum}, its Σ_i P over every
         * item ({@link #sums}): its shares there, and elsewhere P, which is {@code sum} less the P of its items. A
         * model evaluated on every item gets its observed accuracy back exactly (nothing is predicted).
         */
        public double accuracy(double ability, double sum, int[] item, double[] y, int from, int to) {
            if (expDifficulty.length == 0) {
                return Double.NaN;
            }
            double expMinusTheta = Math.exp(-ability);
            double observed = 0;
            double there = 0;
            for (int c = from; c < to; c++) {
                observed += y[c];
                there += 1.0 / (1.0 + expDifficulty[item[c]] * expMinusTheta);
            }
            double elsewhere = to - from == expDifficulty.length ? 0 : sum - there;
            return (observed + elsewhere) / expDifficulty.length;
        }
    }

    /**
     * Joint Newton steps on every θ, b and μ at once, for the last stretch of a fit, where alternating sweeps crawl
     * (linear convergence: some 100 sweeps from a warm start to {@link #TOLERANCE}) and Newton converges
     * quadratically (three or four steps). The negative Hessian of ℓ has the difficulties' block diagonal (an item's
     * curvature Σ P(1 − P) + 1/σ_b²), so they are eliminated: the step solves the Schur complement's dense system in
     * the abilities and μ (one more than the models, by Cholesky: ℓ is strictly concave, so it is positive definite),
     * then gives each difficulty its step. Building the system costs, per item, the pairs of its cells (the pairs of
     * models on it, each once: the lower triangle, which is all the Cholesky factorisation reads), read from the
     * fit's cells by item, each item's models in sequence; that pass takes each cell's P once, for its item's
     * gradient and curvature and its model's. The steps after the first are chord steps: a new
     * gradient, the first step's curvature, so no pairs and no factorisation; near the optimum they contract almost
     * as Newton's do (a warm fit at 1,000,000 banded cells: 62 against 67 ms, {@code RaschBenchmark}). Once the
     * next step is predicted under the tolerance, or a step hardly contracts, the fit goes back to sweeps: what is
     * left is the solve's rounding, some 10⁻¹¹ where the system is ill-conditioned (items shared by neighbouring
     * models only), which further steps would only repeat.
     */
    private static final class Joint {
        private final int models;
        /**
         * The cells by item, each as its model ({@link Grouped#transposed}: in model order), read in sequence by each
         * step.
         */
        private final Grouped byItem;
        /** Per item, the sum of its cells' y: its gradient's constant part. */
        private final double[] itemY;
        /**
         * The system in the abilities and μ (row-major, {@code models + 1} square) and its right-hand side; only its
         * lower triangle is filled and read.
         */
        private final double[] s;

        private final double[] r;
        /** The fit's arrays, used as scratch: e^b and e^−θ. */
        private final double[] expB;

        private final double[] expMinusTheta;
        /** Per item, its gradient at the last step and its curvature at the last full step (chord steps keep it). */
        private final double[] gradB;

        private final double[] curvB;
        private final double[] stepB;
        /** Per cell (by item), P(1 − P) at the last full step: its coupling of the item and the model. */
        private final double[] weight;

        private double stepMu;

        Joint(int models, Grouped byItem, double[] expB, double[] expMinusTheta) {
            this.models = models;
            this.byItem = byItem;
            this.expB = expB;
            this.expMinusTheta = expMinusTheta;
            int items = byItem.start().length - 1;
            gradB = new double[items];
            curvB = new double[items];
            itemY = new double[items];
            for (int i = 0; i < items; i++) {
                for (int k = byItem.start()[i]; k < byItem.start()[i + 1]; k++) {
                    itemY[i] += byItem.y()[k];
                }
            }
            int n = models + 1;
            s = new double[n * n];
            r = new double[n];
            stepB = new double[items];
            weight = new double[byItem.y().length];
        }

        /** Σ over items of c(c + 1)/2, c its cells: the pairs of cells (each pair once) a step's system adds up. */
        static long pairs(Grouped byItem) {
            long pairs = 0;
            for (int i = 0; i + 1 < byItem.start().length; i++) {
                long c = byItem.start()[i + 1] - byItem.start()[i];
                pairs += c * (c + 1) / 2;
            }
            return pairs;
        }

        /**
         * The Newton step at (θ, b, μ), kept for {@link #apply}; the largest parameter change, NaN if none. With
         * {@code again}, a chord step: the gradient at (θ, b, μ) solved with the last full step's curvature (its
         * cells' weights P(1 − P), items' curvatures and factorised system), which costs no pairs of cells and no
         * factorisation. Near the optimum it contracts almost as a Newton step does: by about the size of the full
         * step its curvature was taken at, some 10⁻⁴ by the time the fit takes joint steps.
         */
        double step(double[] theta, double[] b, double mu, boolean again) {
            int n = models + 1;
            if (!again) {
                java.util.Arrays.fill(s, 0);
            }
            java.util.Arrays.fill(r, 0);
            for (int i = 0; i < b.length; i++) {
                expB[i] = Math.exp(b[i]);
            }
            // Each cell's P taken once, in the pass over the items: it adds to its item's gradient and curvature, and
            // to its model's (r, and a full step's curvature in the system's diagonal).
            for (int m = 0; m < models; m++) {
                expMinusTheta[m] = Math.exp(-theta[m]);
                r[m] = -theta[m] * ABILITY_PRECISION;
                if (!again) {
                    s[m * n + m] = ABILITY_PRECISION;
                }
            }
            int muAt = models;
            double sumB = 0;
            for (int i = 0; i < b.length; i++) {
                sumB += b[i];
                double g = -(b[i] - mu) * DIFFICULTY_PRECISION - itemY[i];
                double h = DIFFICULTY_PRECISION;
                int from = byItem.start()[i];
                int to = byItem.start()[i + 1];
                for (int k = from; k < to; k++) {
                    int m = byItem.other()[k];
                    double p = 1.0 / (1.0 + expB[i] * expMinusTheta[m]);
                    g += p;
                    r[m] += byItem.y()[k] - p;
                    if (!again) {
                        weight[k] = p * (1 - p);
                        h += weight[k];
                        s[m * n + m] += weight[k];
                    }
                }
                gradB[i] = g;
                if (again) {
                    h = curvB[i];
                } else {
                    curvB[i] = h;
                }
                // Eliminating b_i: its coupling to θ_m is −w (a cell), to μ −1/σ_b². The item's models ascend, so
                // the pairs up to the cell itself are the lower triangle's.
                for (int k = from; k < to; k++) {
                    int m = byItem.other()[k];
                    double wk = weight[k] / h;
                    if (!again) {
                        int row = m * n;
                        for (int l = from; l <= k; l++) {
                            s[row + byItem.other()[l]] -= wk * weight[l];
                        }
                        s[muAt * n + m] -= wk * DIFFICULTY_PRECISION;
                    }
                    r[m] += wk * g;
                }
                if (!again) {
                    s[muAt * n + muAt] -= DIFFICULTY_PRECISION * DIFFICULTY_PRECISION / h;
                }
                r[muAt] += DIFFICULTY_PRECISION * g / h;
            }
            if (!again) {
                s[muAt * n + muAt] += b.length * DIFFICULTY_PRECISION + MEAN_PRECISION;
                if (!factorised(s, n)) {
                    return Double.NaN;
                }
            }
            r[muAt] += (sumB - b.length * mu) * DIFFICULTY_PRECISION - mu * MEAN_PRECISION;
            solve(s, r, n);
            stepMu = r[muAt];
            double moved = Math.abs(stepMu);
            for (int m = 0; m < models; m++) {
                moved = Math.max(moved, Math.abs(r[m]));
            }
            for (int i = 0; i < b.length; i++) {
                double g = gradB[i] + DIFFICULTY_PRECISION * stepMu;
                for (int k = byItem.start()[i]; k < byItem.start()[i + 1]; k++) {
                    g += weight[k] * r[byItem.other()[k]];
                }
                stepB[i] = g / curvB[i];
                moved = Math.max(moved, Math.abs(stepB[i]));
            }
            return moved;
        }

        /** Takes the last step: θ and b in place; the new μ. */
        double apply(double[] theta, double[] b, double mu) {
            for (int m = 0; m < models; m++) {
                theta[m] += r[m];
            }
            for (int i = 0; i < b.length; i++) {
                b[i] += stepB[i];
            }
            return mu + stepMu;
        }

        /**
         * Factorises {@code a}, symmetric positive definite, as L·Lᵀ (Cholesky) in place: reads only its lower
         * triangle and overwrites it with L; false when it is not positive definite (rounding).
         */
        private static boolean factorised(double[] a, int n) {
            for (int j = 0; j < n; j++) {
                double d = a[j * n + j];
                for (int k = 0; k < j; k++) {
                    d -= a[j * n + k] * a[j * n + k];
                }
                if (!(d > 0)) {
                    return false;
                }
                d = Math.sqrt(d);
                a[j * n + j] = d;
                for (int i = j + 1; i < n; i++) {
                    double v = a[i * n + j];
                    for (int k = 0; k < j; k++) {
                        v -= a[i * n + k] * a[j * n + k];
                    }
                    a[i * n + j] = v / d;
                }
            }
            return true;
        }

        /** Solves L·Lᵀ·x = {@code rhs} in place, L in the lower triangle of {@code a} ({@link #factorised}). */
        private static void solve(double[] a, double[] rhs, int n) {
            for (int i = 0; i < n; i++) {
                double v = rhs[i];
                for (int k = 0; k < i; k++) {
                    v -= a[i * n + k] * rhs[k];
                }
                rhs[i] = v / a[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double v = rhs[i];
                for (int k = i + 1; k < n; k++) {
                    v -= a[k * n + i] * rhs[k];
                }
                rhs[i] = v / a[i * n + i];
            }
        }
    }

    /**
     * Whether joint Newton steps ({@link Joint}) reach the tolerance sooner than sweeps converging at {@code rate} a
     * sweep (the last sweep's change over the one before's) from {@code moved}: a sweep costs two passes over the
     * {@code cells}, a joint step about four and the pairs of cells on one item, each pair once ({@code pairs}), and
     * {@value #JOINT_STEPS} of them (two or three steps and the two sweeps after them) reach it from {@link #JOINT_FROM}. Where each item is seen by every model the sweeps
     * converge in a few (the joint steps' pairs are many); where each is seen by a few, they crawl (some 100 from a
     * warm start) and the pairs are few.
     */
    private static boolean joint(double rate, double moved, int cells, long pairs) {
        double sweepsLeft = Math.log(TOLERANCE / moved) / Math.log(rate);
        return sweepsLeft * 2.0 * cells > JOINT_STEPS * (pairs + 4.0 * cells);
    }

    private static double clamp(double step) {
        return Math.max(-MAX_STEP, Math.min(MAX_STEP, step));
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s;
    }

    /**
     * The cells grouped by one of their indices (the models, or the items), each group's contiguous in cell order, so
     * a sweep reads them in sequence: group g's are {@code start[g]} to {@code start[g + 1] − 1}, each with its other
     * index ({@code other}: the item of a model's cell, the model of an item's) and its y. Cells already in group
     * order are read from their own arrays.
     */
    private record Grouped(int[] start, int[] other, double[] y) {
        static Grouped of(int[] group, int[] other, double[] y, int groups) {
            int[] start = new int[groups + 1];
            boolean inOrder = true;
            for (int c = 0; c < group.length; c++) {
                start[group[c] + 1]++;
                inOrder &= c == 0 || group[c - 1] <= group[c];
            }
            for (int g = 0; g < groups; g++) {
                start[g + 1] += start[g];
            }
            if (inOrder) {
                return new Grouped(start, other, y);
            }
            int[] next = Arrays.copyOf(start, groups);
            int[] others = new int[group.length];
            double[] ys = new double[group.length];
            for (int c = 0; c < group.length; c++) {
                int k = next[group[c]]++;
                others[k] = other[c];
                ys[k] = y[c];
            }
            return new Grouped(start, others, ys);
        }

        /**
         * The same cells grouped by their other index (of {@code groups} values), each with its group as its other:
         * the cells by item, each item's in model order (which the joint steps' lower triangle needs) and, when the
         * matrix's cells are in model order, in cell order, so an item's sums add its cells in the same order either
         * way.
         */
        Grouped transposed(int groups) {
            int[] to = new int[groups + 1];
            for (int g : other) {
                to[g + 1]++;
            }
            for (int g = 0; g < groups; g++) {
                to[g + 1] += to[g];
            }
            int[] next = Arrays.copyOf(to, groups);
            int[] others = new int[other.length];
            double[] ys = new double[other.length];
            for (int g = 0; g + 1 < start.length; g++) {
                for (int k = start[g]; k < start[g + 1]; k++) {
                    int at = next[other[k]]++;
                    others[at] = g;
                    ys[at] = y[k];
                }
            }
            return new Grouped(to, others, ys);
        }
    }
}
