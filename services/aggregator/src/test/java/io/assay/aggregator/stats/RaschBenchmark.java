package io.assay.aggregator.stats;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What a Rasch fit of {@code irt} costs on a long history: 100 models, 100,000 items, each answered by 10 models
 * drawn at random (1,000,000 cells, Rasch truth as the simulator's), fitted cold and then warm after 300 and 3,000
 * cells were answered again, by {@link Rasch#fit} (the median CPU of five fits) and, as the baseline in the same run, by the same sweeps with one
 * exponential per cell visit (the solver before the exponentials were factored out). The cells are in model order, as
 * {@code irt} gives them. Prints sweeps, CPU and the
 * largest difference between the two fits. Run with {@code ./mvnw -o test -pl services/aggregator -am
 * -Dtest=RaschBenchmark -Dassay.bench=rasch -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "rasch")
class RaschBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /**
     * Item i answered by the models from 37·i on (modulo the models), as in FreshnessBenchmarkIT's history: models
     * far apart share no item, and alternating sweeps crawl (the fit takes joint steps).
     */
    private static final boolean BANDED = Boolean.getBoolean("assay.bench.banded");
    /** Fits timed per case, the median printed. */
    private static final int FITS = 5;
    /** New items (each with its models' cells) in the warm starts that add items: 300 cells, a LiveXiv release. */
    private static final int NEW = 30;

    @Test
    void fitsAMillionCells() {
        int models = Integer.getInteger("assay.bench.models", 100);
        int items = Integer.getInteger("assay.bench.items", 100_000);
        int perItem = Integer.getInteger("assay.bench.per-item", 10);
        SplittableRandom random = new SplittableRandom(1);
        double[] skill = new double[models];
        Arrays.setAll(skill, m -> random.nextGaussian() * 1.5);
        // The items, and NEW more (a release judged since: a warm start's new items).
        double[] hardness = new double[items + NEW];
        Arrays.setAll(hardness, i -> random.nextGaussian() * 1.5);
        int cells = items * perItem;
        // The cells in model order, then item, as irt gives them (IrtCells, IrtBuilder.cells).
        long[] keys = new long[(items + NEW) * perItem];
        for (int i = 0, c = 0; i < items + NEW; i++) {
            int first = (int) ((long) i * 37 % models);
            int[] chosen = BANDED
                    ? java.util.stream.IntStream.range(0, perItem)
                            .map(k -> (first + k) % models)
                            .toArray()
                    : random.ints(0, models).distinct().limit(perItem).toArray();
            for (int m : chosen) {
                keys[c++] = (long) m << 32 | i;
            }
        }
        Arrays.sort(keys);
        int[] allModel = new int[keys.length];
        int[] allItem = new int[keys.length];
        double[] allY = new double[keys.length];
        for (int c = 0; c < keys.length; c++) {
            allModel[c] = (int) (keys[c] >>> 32);
            allItem[c] = (int) keys[c];
            allY[c] = random.nextDouble() < Rasch.probability(skill[allModel[c]], hardness[allItem[c]]) ? 1 : 0;
        }
        Rasch.Matrix withNew = new Rasch.Matrix(models, items + NEW, allModel, allItem, allY);
        // The matrix before the new items: their cells left out, the others in the same order.
        int[] model = new int[cells];
        int[] item = new int[cells];
        double[] y = new double[cells];
        for (int c = 0, k = 0; c < keys.length; c++) {
            if (allItem[c] < items) {
                model[k] = allModel[c];
                item[k] = allItem[c];
                y[k++] = allY[c];
            }
        }
        Rasch.Matrix x = new Rasch.Matrix(models, items, model, item, y);
        System.out.printf(
                "rasch: %,d models, %,d items, %,d cells, %s%n",
                models,
                items,
                cells,
                BANDED ? "each item's models consecutive (banded)" : "each item's models at random");
        for (int round = 0; round < 2; round++) {
            // the second round is the one to read: the first includes JIT compilation
            Rasch.Fit cold = run("cold", x, null, round);
            Rasch.Params start = cold.params();
            predictions(cold, round);
            for (int changed : new int[] {300, 3_000}) {
                double[] again = y.clone();
                for (int k = 0; k < changed; k++) {
                    int c = random.nextInt(cells);
                    again[c] = 1 - again[c];
                }
                run(
                        "warm after " + changed + " cells",
                        new Rasch.Matrix(models, items, model, item, again),
                        start,
                        round);
            }
            // A warm start with NEW new items: at μ, as IrtBuilder started them before, and settled on their own cells.
            double[] b = Arrays.copyOf(start.difficulty(), items + NEW);
            Arrays.fill(b, items, items + NEW, start.meanDifficulty());
            boolean[] fresh = new boolean[items + NEW];
            Arrays.fill(fresh, items, items + NEW, true);
            Rasch.Params atMean = new Rasch.Params(start.ability(), b, start.meanDifficulty(), start.crawl());
            run("warm after " + NEW + " new items at the mean", withNew, atMean, round);
            run("warm after " + NEW + " new items settled", withNew, Rasch.settled(withNew, atMean, fresh), round);
        }
    }

    private static Rasch.Fit run(String what, Rasch.Matrix x, Rasch.Params start, int round) {
        // The fit five times (one is noisy on a shared machine): the median, and the range beside it.
        long[] times = new long[FITS];
        Rasch.Fit fit = null;
        for (int k = 0; k < FITS; k++) {
            long t = THREADS.getCurrentThreadCpuTime();
            fit = Rasch.fit(x, start);
            times[k] = THREADS.getCurrentThreadCpuTime() - t;
        }
        Arrays.sort(times);
        long median = times[FITS / 2];
        // The standard errors are the last sweep's curvature: against a pass of their own at the returned parameters.
        double[] se = standardErrors(x, fit);
        double seDiff = 0;
        for (int m = 0; m < se.length; m++) {
            seDiff = Math.max(seDiff, Math.abs(se[m] - fit.abilitySe()[m]) / se[m]);
        }
        if (seDiff > 1e-10) {
            throw new AssertionError("standard errors " + seDiff + " from those at the returned parameters");
        }
        System.out.printf(
                "rasch round %d, %s: standard errors within %.1e (relative) of a pass at the returned parameters%n",
                round, what, seDiff);
        long t1 = THREADS.getCurrentThreadCpuTime();
        Rasch.Fit base = baseline(x, start);
        long t2 = THREADS.getCurrentThreadCpuTime();
        double diff = Math.abs(fit.meanDifficulty() - base.meanDifficulty());
        for (int m = 0; m < fit.ability().length; m++) {
            diff = Math.max(diff, Math.abs(fit.ability()[m] - base.ability()[m]));
        }
        for (int i = 0; i < fit.difficulty().length; i++) {
            diff = Math.max(diff, Math.abs(fit.difficulty()[i] - base.difficulty()[i]));
        }
        System.out.printf(
                "rasch round %d, %s: fit %d sweeps %,.0f ms CPU (median of %d, %,.0f-%,.0f); baseline %d sweeps %,.0f"
                        + " ms CPU (%.2f×); largest parameter difference %.1e%n",
                round,
                what,
                fit.sweeps(),
                median / 1e6,
                FITS,
                times[0] / 1e6,
                times[FITS - 1] / 1e6,
                base.sweeps(),
                (t2 - t1) / 1e6,
                (double) (t2 - t1) / Math.max(1, median),
                diff);
        return fit;
    }

    /**
     * irt's predicted accuracies need Σ_i P(θ, b_i) over every item at each model's θ and θ ∓ 1.96·se: every ability's
     * sum in one pass over the items ({@link Rasch.Predictions#sums}), against a pass over the items per ability.
     */
    private static void predictions(Rasch.Fit fit, int round) {
        double[] abilities = new double[fit.ability().length * 3];
        for (int m = 0; m < fit.ability().length; m++) {
            double half = 1.959963984540054 * fit.abilitySe()[m];
            abilities[3 * m] = fit.ability()[m];
            abilities[3 * m + 1] = fit.ability()[m] - half;
            abilities[3 * m + 2] = fit.ability()[m] + half;
        }
        Rasch.Predictions predict = new Rasch.Predictions(fit.difficulty());
        double[] expB = Arrays.stream(fit.difficulty()).map(Math::exp).toArray();
        long[] sums = new long[FITS];
        long[] each = new long[FITS];
        for (int k = 0; k < FITS; k++) {
            long t = THREADS.getCurrentThreadCpuTime();
            double[] together = predict.sums(abilities);
            sums[k] = THREADS.getCurrentThreadCpuTime() - t;
            t = THREADS.getCurrentThreadCpuTime();
            for (int a = 0; a < abilities.length; a++) {
                double e = Math.exp(-abilities[a]);
                double sum = 0;
                for (double eb : expB) {
                    sum += 1.0 / (1.0 + eb * e);
                }
                if (sum != together[a]) {
                    throw new AssertionError("ability " + a + ": " + sum + " one by one, " + together[a] + " together");
                }
            }
            each[k] = THREADS.getCurrentThreadCpuTime() - t;
        }
        Arrays.sort(sums);
        Arrays.sort(each);
        System.out.printf(
                "rasch round %d, predictions: Σ P over %,d items at %,d abilities %,.1f ms CPU together (median of %d),"
                        + " %,.1f ms a pass per ability (%.1f×); the same sums to the bit%n",
                round,
                fit.difficulty().length,
                abilities.length,
                sums[FITS / 2] / 1e6,
                FITS,
                each[FITS / 2] / 1e6,
                (double) each[FITS / 2] / Math.max(1, sums[FITS / 2]));
    }

    /**
     * The abilities' standard errors at {@code fit} as {@link Rasch#fit} takes them: P = 1 / (1 + e^b·e^−θ), each
     * exponential taken once.
     */
    private static double[] standardErrors(Rasch.Matrix x, Rasch.Fit fit) {
        double[] h = new double[x.models()];
        Arrays.fill(h, 1 / (Rasch.ABILITY_SD * Rasch.ABILITY_SD));
        double[] expB = Arrays.stream(fit.difficulty()).map(Math::exp).toArray();
        double[] expMinusTheta =
                Arrays.stream(fit.ability()).map(a -> Math.exp(-a)).toArray();
        for (int c = 0; c < x.y().length; c++) {
            double p = 1.0 / (1.0 + expB[x.item()[c]] * expMinusTheta[x.model()[c]]);
            h[x.model()[c]] += p * (1 - p);
        }
        for (int m = 0; m < h.length; m++) {
            h[m] = 1.0 / Math.sqrt(h[m]);
        }
        return h;
    }

    /** The same sweeps as {@link Rasch#fit}, each cell's P with its own exponential ({@link Rasch#probability}). */
    private static Rasch.Fit baseline(Rasch.Matrix x, Rasch.Params start) {
        double[] theta =
                start == null ? new double[x.models()] : start.ability().clone();
        double[] b = start == null ? new double[x.items()] : start.difficulty().clone();
        double mu = start == null ? 0.0 : start.meanDifficulty();
        double pa = 1 / (Rasch.ABILITY_SD * Rasch.ABILITY_SD);
        double pb = 1 / (Rasch.DIFFICULTY_SD * Rasch.DIFFICULTY_SD);
        double pm = 1 / (Rasch.MEAN_DIFFICULTY_SD * Rasch.MEAN_DIFFICULTY_SD);
        int[][] byModel = index(x.model(), x.models());
        int[][] byItem = index(x.item(), x.items());
        int sweeps = 0;
        double moved = Double.POSITIVE_INFINITY;
        while (sweeps < Rasch.MAX_SWEEPS && moved > Rasch.TOLERANCE) {
            sweeps++;
            moved = 0;
            for (int m = 0; m < theta.length; m++) {
                double g = -theta[m] * pa;
                double h = pa;
                for (int c : byModel[m]) {
                    double p = Rasch.probability(theta[m], b[x.item()[c]]);
                    g += x.y()[c] - p;
                    h += p * (1 - p);
                }
                double step = Math.max(-Rasch.MAX_STEP, Math.min(Rasch.MAX_STEP, g / h));
                theta[m] += step;
                moved = Math.max(moved, Math.abs(step));
            }
            for (int i = 0; i < b.length; i++) {
                double g = -(b[i] - mu) * pb;
                double h = pb;
                for (int c : byItem[i]) {
                    double p = Rasch.probability(theta[x.model()[c]], b[i]);
                    g += p - x.y()[c];
                    h += p * (1 - p);
                }
                double step = Math.max(-Rasch.MAX_STEP, Math.min(Rasch.MAX_STEP, g / h));
                b[i] += step;
                moved = Math.max(moved, Math.abs(step));
            }
            double newMu = sum(b) * pb / (b.length * pb + pm);
            moved = Math.max(moved, Math.abs(newMu - mu));
            mu = newMu;
            double shift = -(sum(theta) * pa + mu * pm) / (theta.length * pa + pm);
            for (int m = 0; m < theta.length; m++) {
                theta[m] += shift;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] += shift;
            }
            mu += shift;
            moved = Math.max(moved, Math.abs(shift));
        }
        return new Rasch.Fit(theta, b, mu, new double[theta.length], sweeps, moved <= Rasch.TOLERANCE, Double.NaN);
    }

    /** Summed left to right, as {@link Rasch#fit} does ({@code DoubleStream.sum} compensates). */
    private static double sum(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s;
    }

    private static int[][] index(int[] group, int groups) {
        int[][] out = new int[groups][];
        int[] counts = new int[groups];
        for (int g : group) {
            counts[g]++;
        }
        for (int g = 0; g < groups; g++) {
            out[g] = new int[counts[g]];
        }
        Arrays.fill(counts, 0);
        for (int c = 0; c < group.length; c++) {
            out[group[c]][counts[group[c]]++] = c;
        }
        return out;
    }
}
