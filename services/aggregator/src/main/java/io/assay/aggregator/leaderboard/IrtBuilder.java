package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Rasch;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code irt}: a Rasch fit ({@link Rasch}: σ(θ_m − b_i), penalised maximum likelihood, Baker &amp; Kim 2004) on
 * the observed model × item matrix of the view's reference verdicts, and per model its ability and its
 * <b>predicted accuracy on the whole benchmark</b>: the mean over every item with a verdict (of any model) of
 * the model's observed share correct where it was evaluated and of P(correct | θ_m, b_i) where it was not
 * ({@link Rasch#predictedAccuracy}: full evaluation would have measured the observed cells exactly, so only the
 * missing ones are predicted; a model evaluated on every item gets its observed accuracy back). The idea is
 * LiveXiv's (Shabtay et al. 2024): evaluate a few models on each new item, estimate the others.
 *
 * <p>Correct means the reference judgment's {@code correct}: the choice scorer's letter, exact or numeric match,
 * regex, contains, and for the graded scorers (F1, ROUGE-L) a full match; a (model, item) cell is the share of
 * its parseable verdicts (one per prompt variant) that are correct. Unparseable verdicts and slots without an
 * item id are left out. Pairwise, preference and score benchmarks have no such verdicts: the table is empty.
 *
 * <p>value = predicted accuracy, an estimate of the model's expected accuracy on the benchmark's items (the mean
 * over them of its probability of a correct verdict); lower/upper = value + the change in the mean over every item
 * of P(correct | θ, b_i) when θ goes to θ ∓ 1.96·se, clamped to [0, 1], se from the observed information with the
 * difficulties known (narrow when items are seen by few models). That is the delta method with the observed cells'
 * own noise in: θ̂ − θ ≈ S/I, S = Σ_obs (y_i − p_i) and I = Σ_obs p(1 − p), so the value's error, (S + D·(θ̂ −
 * θ))/N with D = Σ_unobs p(1 − p), is S·(I + D)/(I·N), of standard deviation (I + D)/N · se: the slope of the mean
 * P over all N items times se. Until 2026-12-07 only the predicted cells moved, which gave a model evaluated on
 * every item an interval of no width. With several verdicts a cell (prompt variants), se is the sandwich's ({@link
 * #se}). n = the model's parseable verdicts. Metrics: {@code ability} θ with {@code abilityLower}/{@code abilityUpper}, {@code items}
 * evaluated, {@code benchmarkItems}, {@code observed} (mean share correct over the evaluated items; with one
 * variant per item, {@code accuracy}'s value). Every model with a parseable verdict has a row, however few.
 *
 * <p><b>Warm start.</b> Each fit starts from the last fit of the same benchmark, judge version and filters (new
 * models at 0, new items at their optimum given the last abilities, {@link Rasch#settled}; and how fast its sweeps
 * crawled, {@link Rasch.Params#crawl}), so a new judgment costs a few sweeps and joint steps. Figures are published
 * rounded to 10⁻⁶: fits converged to {@link Rasch#TOLERANCE} from different starting points differ by far
 * less, so the view stays a function of the slots, not of the order the fits ran in.
 */
final class IrtBuilder implements ViewBuilder {
    /** Warm starts kept (benchmark × judge version × filters), least recently used evicted. */
    static final int WARM_STARTS = 64;

    private static final double Z95 = 1.959963984540054;
    private static final double ROUNDING = 1e6;

    private final Map<String, Warm> warm = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Warm> eldest) {
            return size() > WARM_STARTS;
        }
    };

    /** A fit's parameters by id (sorted), to start the next fit of the same board from. */
    private record Warm(
            String[] models, double[] ability, String[] items, double[] difficulty, double mean, double crawl) {}

    @Override
    public List<Row> rows(Input in) {
        List<Slot> usable = in.usable().stream().filter(s -> s.itemId() != null).toList();
        if (usable.isEmpty()) {
            return List.of();
        }
        Slot any = usable.get(0);
        return rows(in, cells(usable), any.judgeId(), any.judgeVersion());
    }

    /** The cells of {@code usable}, parseable verdicts of one judge version, each with an item id. */
    static Cells cells(List<Slot> usable) {
        String[] models = new TreeSet<>(usable.stream().map(Slot::modelId).toList()).toArray(String[]::new);
        String[] items = new TreeSet<>(usable.stream().map(Slot::itemId).toList()).toArray(String[]::new);
        Map<String, Integer> modelIndex = index(models);
        Map<String, Integer> itemIndex = index(items);
        // Each verdict as its cell key m·I + i, shifted left, with its correct bit: sorted, a cell's verdicts are
        // a run in cell order (slot-key order is not), in a primitive array of a long a verdict.
        long[] keyed = new long[usable.size()];
        long[] verdicts = new long[models.length];
        for (int v = 0; v < keyed.length; v++) {
            Slot s = usable.get(v);
            int m = modelIndex.get(s.modelId());
            keyed[v] = ((long) m * items.length + itemIndex.get(s.itemId())) << 1 | (s.correct() ? 1 : 0);
            verdicts[m]++;
        }
        Arrays.sort(keyed);
        int n = 0;
        for (int v = 0; v < keyed.length; v++) {
            n += v == 0 || keyed[v] >> 1 != keyed[v - 1] >> 1 ? 1 : 0;
        }
        int[] cm = new int[n];
        int[] ci = new int[n];
        double[] cy = new double[n];
        int[] ck = new int[n];
        for (int v = 0, k = 0; v < keyed.length; k++) {
            long cell = keyed[v] >> 1;
            long correct = 0;
            long all = 0;
            for (; v < keyed.length && keyed[v] >> 1 == cell; v++) {
                correct += keyed[v] & 1;
                all++;
            }
            cm[k] = (int) (cell / items.length);
            ci[k] = (int) (cell % items.length);
            cy[k] = (double) correct / all;
            ck[k] = (int) all;
        }
        return new Cells(models, items, new Rasch.Matrix(models.length, items.length, cm, ci, cy), ck, verdicts);
    }

    /**
     * A board's cells as {@link #rows(Input)} makes them of its slots: the models and items with a cell (sorted),
     * the matrix with its cells in (model, item) order, each cell's verdicts (its share correct is of them), and each
     * model's verdicts in them.
     */
    record Cells(String[] models, String[] items, Rasch.Matrix matrix, int[] counts, long[] verdicts) {
        /** Checks that the cells are in model order. */
        Cells {
            int[] model = matrix.model();
            for (int c = 1; c < model.length; c++) {
                if (model[c - 1] > model[c]) {
                    throw new IllegalArgumentException("cell " + c + " out of model order");
                }
            }
        }
    }

    /**
     * The rows of {@code cells}, the verdicts of {@code judge} at {@code version} ({@link IrtCells} keeps them from
     * one computation to the next): the fit warm-started as {@link #rows(Input)} starts it.
     */
    List<Row> rows(Input in, Cells cells, String judge, String version) {
        if (cells.models().length == 0) {
            return List.of();
        }
        String[] models = cells.models();
        String[] items = cells.items();
        Rasch.Matrix x = cells.matrix();
        String key = key(in, judge, version);
        Rasch.Fit fit = Rasch.fit(x, start(key, models, items, x));
        if (in.intervals()) {
            // the stability tau's earlier ranking (no intervals) starts from this fit but does not replace it
            synchronized (warm) {
                warm.put(
                        key,
                        new Warm(models, fit.ability(), items, fit.difficulty(), fit.meanDifficulty(), fit.crawl()));
            }
        }
        return rows(in, x, fit, models, cells.counts(), cells.verdicts());
    }

    /** The rows of the fit of {@code x}, whose cells are in model order: model m's are {@code start[m]} on. */
    private static List<Row> rows(
            Input in, Rasch.Matrix x, Rasch.Fit fit, String[] models, int[] counts, long[] verdicts) {
        int[] start = new int[models.length + 1];
        for (int m : x.model()) {
            start[m + 1]++;
        }
        for (int m = 0; m < models.length; m++) {
            start[m + 1] += start[m];
        }
        Rasch.Predictions predict = new Rasch.Predictions(fit.difficulty());
        double[] se = in.intervals() ? se(x, fit, predict, counts, start) : null;
        // Each model's ability, and with intervals θ ∓ 1.96·se: every one's Σ_i P in one pass over the items.
        int per = in.intervals() ? 3 : 1;
        double[] abilities = new double[models.length * per];
        for (int m = 0; m < models.length; m++) {
            double half = in.intervals() ? Z95 * se[m] : 0;
            abilities[m * per] = fit.ability()[m];
            if (in.intervals()) {
                abilities[m * per + 1] = fit.ability()[m] - half;
                abilities[m * per + 2] = fit.ability()[m] + half;
            }
        }
        double[] sums = predict.sums(abilities);
        List<Row> rows = new ArrayList<>(models.length);
        for (int m = 0; m < models.length; m++) {
            double sum = 0;
            for (int c = start[m]; c < start[m + 1]; c++) {
                sum += x.y()[c];
            }
            double theta = fit.ability()[m];
            double half = in.intervals() ? Z95 * se[m] : 0;
            int at = m * per;
            double value = predict.accuracy(theta, sums[at], x.item(), x.y(), start[m], start[m + 1]);
            // The value moves as the mean P over every item does when θ goes to its bounds: the observed cells'
            // noise is what moved θ, so they move with it (the class comment).
            double lower = in.intervals() ? Math.max(0, value + (sums[at + 1] - sums[at]) / x.items()) : value;
            double upper = in.intervals() ? Math.min(1, value + (sums[at + 2] - sums[at]) / x.items()) : value;
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("ability", round(theta));
            metrics.put("abilityLower", round(theta - half));
            metrics.put("abilityUpper", round(theta + half));
            metrics.put("items", (long) (start[m + 1] - start[m]));
            metrics.put("benchmarkItems", (long) x.items());
            metrics.put("observed", sum / (start[m + 1] - start[m]));
            rows.add(Rows.row(
                    models[m],
                    in.ctx(),
                    round(value),
                    round(lower),
                    round(upper),
                    verdicts[m],
                    Map.of(),
                    metrics,
                    in.intervals()));
        }
        return rows;
    }

    /**
     * Each model's standard error of θ: the fit's, 1/√J with J = Σ_c P(1 − P) + 1/σ_θ² its curvature, which takes
     * every cell for one verdict; where a model has cells of several verdicts (prompt variants), whose share correct
     * varies by some P(1 − P)/k_c only, the sandwich √(Σ_c P(1 − P)/k_c + 1/σ_θ²)/J instead (the prior counted as
     * a pseudo-observation of its own variance), which is the fit's se again when every k_c is 1.
     */
    private static double[] se(Rasch.Matrix x, Rasch.Fit fit, Rasch.Predictions predict, int[] counts, int[] start) {
        double[] se = fit.abilitySe().clone();
        for (int m = 0; m < se.length; m++) {
            boolean several = false;
            for (int c = start[m]; c < start[m + 1] && !several; c++) {
                several = counts[c] > 1;
            }
            if (several) {
                double j = 1 / (se[m] * se[m]);
                double meat = predict.information(fit.ability()[m], x.item(), counts, start[m], start[m + 1])
                        + 1 / (Rasch.ABILITY_SD * Rasch.ABILITY_SD);
                se[m] = Math.sqrt(meat) / j;
            }
        }
        return se;
    }

    /**
     * The last fit of this board mapped onto today's models and items of {@code x}, its new items settled on their own
     * cells ({@link Rasch#settled}: otherwise they start at μ and take the sweeps' clamped steps, 12 passes over the
     * cells instead of 7 for 30 new items at 1,000,000 cells), or {@code null} for a cold start.
     */
    private Rasch.Params start(String key, String[] models, String[] items, Rasch.Matrix x) {
        Warm w;
        synchronized (warm) {
            w = warm.get(key);
        }
        if (w == null) {
            return null;
        }
        double[] difficulty = carried(w.items(), w.difficulty(), items, Double.NaN);
        boolean[] fresh = new boolean[items.length];
        for (int i = 0; i < items.length; i++) {
            fresh[i] = Double.isNaN(difficulty[i]);
            difficulty[i] = fresh[i] ? w.mean() : difficulty[i];
        }
        return Rasch.settled(
                x,
                new Rasch.Params(carried(w.models(), w.ability(), models, 0.0), difficulty, w.mean(), w.crawl()),
                fresh);
    }

    /**
     * Per id of {@code ids}, its value in {@code before} (of {@code beforeIds}), or {@code otherwise} for an id not
     * there: both sorted, so one walk down the two (none when they are the same ids, as {@link IrtCells} keeps them
     * until one is added or left without a cell).
     */
    static double[] carried(String[] beforeIds, double[] before, String[] ids, double otherwise) {
        if (beforeIds == ids) {
            return before.clone();
        }
        double[] out = new double[ids.length];
        for (int i = 0, at = 0; i < ids.length; i++) {
            while (at < beforeIds.length && beforeIds[at].compareTo(ids[i]) < 0) {
                at++;
            }
            out[i] = at < beforeIds.length && beforeIds[at].equals(ids[i]) ? before[at] : otherwise;
        }
        return out;
    }

    /** The board a fit belongs to: benchmark, judge version and the filters that change its slots. */
    private static String key(Input in, String judge, String version) {
        return String.join(
                "|",
                String.valueOf(in.benchmark()),
                String.valueOf(judge),
                String.valueOf(version),
                String.valueOf(in.query().restrictToPostCutoff()),
                String.valueOf(in.query().window()));
    }

    private static Map<String, Integer> index(String[] ids) {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            out.put(ids[i], i);
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * ROUNDING) / ROUNDING;
    }
}
