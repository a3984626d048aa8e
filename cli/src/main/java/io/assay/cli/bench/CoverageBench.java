package io.assay.cli.bench;

import io.assay.aggregator.leaderboard.Leaderboards;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.aggregator.stats.Bootstrap;
import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.Wilson;
import io.assay.aggregator.stats.WinRate;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How often each view's nominal 95% interval covers the true value: the benchmark of
 * {@link CoverageSimulation} run {@code repetitions} times in-process, every view computed by the
 * aggregator's own code ({@link Leaderboards#build} over the slots), every model's interval checked
 * against its true value. Beside each view's coverage, the coverage of the same estimate with the
 * interval that takes every judgment as independent (Wilson on all verdicts, a bootstrap over
 * judgments, AlpacaEval's sd/√n): what clustering by item buys.
 */
public final class CoverageBench {
    /** The views measured, in the order printed. */
    public static final List<View> VIEWS =
            List.of(View.ACCURACY, View.SCORE, View.WB_SCORE, View.WINRATE, View.BT, View.WB_REWARD, View.IRT);

    private static final double NOMINAL = 0.95;

    private CoverageBench() {}

    /**
     * What to run.
     *
     * @param repetitions runs of the benchmark
     * @param items items per run
     * @param variants prompt variants per item
     * @param models simulated models (the baseline comes on top)
     * @param spread the models' abilities are evenly spaced in [−spread, spread] ({@link CoverageSimulation#SPREAD})
     * @param observed the share of the items each model is evaluated on (1: every model on every item)
     * @param seed seed of the whole bench
     */
    public record Options(
            int repetitions, int items, int variants, int models, double spread, double observed, long seed) {}

    /**
     * One view's figures over every repetition and model.
     *
     * @param view the view
     * @param intervals intervals checked (repetitions × models)
     * @param covered those that held the true value
     * @param below those wholly below it
     * @param above those wholly above it
     * @param meanWidth mean of upper − lower over the intervals bounded on both sides
     * @param meanError mean of estimate − truth
     * @param worstModel the lowest coverage of one model
     * @param bestModel the highest coverage of one model
     * @param unidentified rows the view marks {@code identified: false} (bt)
     * @param unbounded intervals with one bound only (bt: the other side infinite)
     * @param independent coverage with the interval that takes judgments as independent (NaN: none other)
     */
    public record Coverage(
            View view,
            long intervals,
            long covered,
            long below,
            long above,
            double meanWidth,
            double meanError,
            double worstModel,
            double bestModel,
            long unidentified,
            long unbounded,
            double independent) {

        /** Covered / intervals. */
        public double rate() {
            return (double) covered / intervals;
        }

        /** The Monte Carlo standard error of {@link #rate()} (binomial). */
        public double monteCarloError() {
            return Math.sqrt(rate() * (1 - rate()) / intervals);
        }
    }

    /** Runs the bench; each view's coverage in {@link #VIEWS} order. */
    public static List<Coverage> run(Options options) {
        CoverageSimulation sim = new CoverageSimulation(
                options.items(), options.variants(), options.models(), options.spread(), options.observed());
        Map<View, Tally> tallies = new LinkedHashMap<>();
        VIEWS.forEach(v -> tallies.put(v, new Tally(sim.models())));
        Leaderboards.Context ctx = new Leaderboards.Context(Map.of(), null);
        SplittableRandom root = new SplittableRandom(options.seed());
        for (int r = 0; r < options.repetitions(); r++) {
            List<Slot> slots = sim.repetition(root.split());
            for (View view : VIEWS) {
                // bt anchored at the baseline: its truth is defined against it (stability tau off: not measured).
                String anchor = view == View.BT ? CoverageSimulation.BASELINE : null;
                ViewQuery query = new ViewQuery(view, null, null, null, anchor, null, false, 0);
                LeaderboardSnapshot board = Leaderboards.build("coverage", slots, ctx, query, Instant.EPOCH);
                Tally tally = tallies.get(view);
                for (Row row : board.rows()) {
                    if (!row.modelId().equals(CoverageSimulation.BASELINE)) {
                        double truth = view == View.IRT
                                ? sim.benchmarkAccuracy(row.modelId())
                                : sim.truth(view, row.modelId());
                        tally.add(row, truth, independent(view, slots, row.modelId()));
                    }
                }
            }
        }
        List<Coverage> out = new ArrayList<>();
        tallies.forEach((view, t) -> out.add(t.coverage(view)));
        return out;
    }

    /** Prints the table and what each true value is. */
    public static void print(Options options, List<Coverage> rows, double seconds, PrintWriter out) {
        out.printf(
                Locale.ROOT,
                "Coverage of nominal %.0f%% intervals: %d repetitions × %d models (θ in [−%s, %s]); %d items × %d"
                        + " variants each%s; seed %d; %.1f s%n",
                100 * NOMINAL,
                options.repetitions(),
                options.models(),
                plain(options.spread()),
                plain(options.spread()),
                options.items(),
                options.variants(),
                options.observed() < 1
                        ? ", each model evaluated on each item with probability " + plain(options.observed())
                        : "",
                options.seed(),
                seconds);
        out.printf(
                Locale.ROOT,
                "%-9s %8s %9s %6s %7s %7s %15s %11s %10s %12s%n",
                "view",
                "nominal",
                "coverage",
                "± mc",
                "below",
                "above",
                "per model",
                "mean width",
                "mean error",
                "independent");
        for (Coverage c : rows) {
            out.printf(
                    Locale.ROOT,
                    "%-9s %7.0f%% %8.1f%% %5.1f%% %6.1f%% %6.1f%% %6.1f%% – %5.1f%% %11s %10s %12s%n",
                    c.view().wireName(),
                    100 * NOMINAL,
                    100 * c.rate(),
                    100 * c.monteCarloError(),
                    100.0 * c.below() / c.intervals(),
                    100.0 * c.above() / c.intervals(),
                    100 * c.worstModel(),
                    100 * c.bestModel(),
                    figure(c.meanWidth()),
                    figure(c.meanError()),
                    Double.isNaN(c.independent())
                            ? "= view"
                            : String.format(Locale.ROOT, "%.1f%%", 100 * c.independent()));
            if (c.unidentified() > 0) {
                out.printf(
                        Locale.ROOT,
                        "  %s: %d rows not identified (no interval, counted as not covering); of the others %.1f%%"
                                + " covered%n",
                        c.view().wireName(),
                        c.unidentified(),
                        100.0 * c.covered() / (c.intervals() - c.unidentified()));
            }
            if (c.unbounded() > 0) {
                out.printf(
                        Locale.ROOT,
                        "  %s: %d intervals bounded on one side only (not in the mean width)%n",
                        c.view().wireName(),
                        c.unbounded());
            }
        }
        out.println("coverage: share of (repetition, model) intervals holding the true value; ± mc its Monte Carlo"
                + " standard error; below/above: the interval wholly below/above it; per model: the lowest and"
                + " highest coverage of one model; independent: the same estimate's interval taking every"
                + " judgment as independent.");
        out.println(
                "true values (per model; of the population of items and variants, but irt's of the run's own items): accuracy = E σ(θ − x);"
                        + " score = 1 + 9·accuracy; wb-score = 20·(score − 5); winrate = 100·E σ(θ − θ_baseline + y);"
                        + " wb-reward = 100·E ½(σ(d − 2) + σ(d − ½) + σ(d + ½) + σ(d + 2)) − 100, d = θ − θ_baseline + y;"
                        + " bt = 1000 + 400·log10(q/(1 − q)), q the expected score against the baseline (ties half),"
                        + " anchored at the baseline; irt = the model's expected accuracy on the run's own items (those"
                        + " some model was evaluated on), the mean over them of its mean σ(θ + u − b − ε) over their"
                        + " variants: a quantity of the drawn items, as the view's. x ~ N(0, "
                        + square(CoverageSimulation.ITEM_SD) + " + " + square(CoverageSimulation.FIT_SD) + " + "
                        + square(CoverageSimulation.VARIANT_SD) + "), y ~ N(0, 2·" + square(CoverageSimulation.FIT_SD)
                        + ") (io.assay.cli.bench.CoverageSimulation).");
    }

    private static String square(double sd) {
        return String.format(Locale.ROOT, "%.2f", sd * sd);
    }

    private static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String figure(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.2f" : "%.4f", v);
    }

    /** The lower and upper bound of the estimate with judgments taken as independent; null when the view has none other. */
    private static double[] independent(View view, List<Slot> slots, String model) {
        List<Slot> mine = slots.stream()
                .filter(s -> s.modelId().equals(model) && s.kind() == view.kind())
                .toList();
        return switch (view) {
            case ACCURACY -> {
                Estimate e = Wilson.score(mine.stream().filter(Slot::correct).count(), mine.size());
                yield new double[] {e.lower(), e.upper()};
            }
            case SCORE, WB_SCORE -> {
                Estimate e =
                        Bootstrap.mean(mine.stream().mapToDouble(Slot::score).toArray());
                yield view == View.SCORE
                        ? new double[] {e.lower(), e.upper()}
                        : new double[] {20 * (e.lower() - 5), 20 * (e.upper() - 5)};
            }
            case WINRATE -> {
                WinRate.Result w =
                        WinRate.of(mine.stream().mapToDouble(Slot::preference).toArray());
                yield new double[] {w.lower(), w.upper()};
            }
            default -> null;
        };
    }

    /** Counts over repetitions of one view. */
    private static final class Tally {
        private final List<String> models;
        private final long[] perModel;
        private final long[] perModelCovered;
        private long intervals;
        private long covered;
        private long below;
        private long above;
        private double width;
        private long bounded;
        private long unbounded;
        private double error;
        private long unidentified;
        private long independentCovered;
        private boolean hasIndependent;

        Tally(List<String> models) {
            this.models = models;
            this.perModel = new long[models.size()];
            this.perModelCovered = new long[models.size()];
        }

        void add(Row row, double truth, double[] independent) {
            int m = models.indexOf(row.modelId());
            intervals++;
            perModel[m]++;
            // A view may publish no interval for a row (both bounds null): that row does not cover. One null bound
            // is an interval unbounded on that side (bt: a model off to that side in more than 2.5% of resamples).
            Double lower = row.lower();
            Double upper = row.upper();
            boolean none = lower == null && upper == null;
            double lo = lower == null ? Double.NEGATIVE_INFINITY : lower;
            double hi = upper == null ? Double.POSITIVE_INFINITY : upper;
            if (none) {
                // no interval: not covered, not counted below or above
            } else if (lo <= truth && truth <= hi) {
                covered++;
                perModelCovered[m]++;
            } else if (hi < truth) {
                below++;
            } else {
                above++;
            }
            if (lower != null && upper != null) {
                width += upper - lower;
                bounded++;
            } else if (!none) {
                unbounded++;
            }
            error += row.value() - truth;
            if (Boolean.FALSE.equals(row.metrics().get("identified"))) {
                unidentified++;
            }
            if (independent != null) {
                hasIndependent = true;
                independentCovered += independent[0] <= truth && truth <= independent[1] ? 1 : 0;
            }
        }

        Coverage coverage(View view) {
            double worst = 1;
            double best = 0;
            for (int m = 0; m < perModel.length; m++) {
                double rate = perModel[m] == 0 ? 0 : (double) perModelCovered[m] / perModel[m];
                worst = Math.min(worst, rate);
                best = Math.max(best, rate);
            }
            return new Coverage(
                    view,
                    intervals,
                    covered,
                    below,
                    above,
                    bounded == 0 ? Double.NaN : width / bounded,
                    error / intervals,
                    worst,
                    best,
                    unidentified,
                    unbounded,
                    hasIndependent ? (double) independentCovered / intervals : Double.NaN);
        }
    }
}
