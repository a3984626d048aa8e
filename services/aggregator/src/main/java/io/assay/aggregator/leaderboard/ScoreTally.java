package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.ExactSum;
import io.assay.aggregator.stats.PoissonBootstrap;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * One model's {@code score} row kept up to date verdict by verdict ({@link ScoreBuilder} over the slots and
 * {@link BenchmarkTallies} over the fold both add the verdicts to one): overall and per category, the mean
 * over items of each item's mean score and its Poisson bootstrap interval ({@link PoissonBootstrap}). Every
 * sum is order-free — an item's mean adds its scores in ascending order, the mean of item means is an
 * {@link ExactSum}, the replicates are integers — so the row is the same bits whatever order the verdicts
 * arrive or go in. The items' scores are not kept here: whoever adds a score says which scores its item has
 * besides it ({@link #add}; the tallies read them from the {@code slots} store, where they sit beside it), so a
 * row is a few sums per category however many items (docs/aggregation.md, "Incremental views"). Not
 * thread-safe.
 */
final class ScoreTally {
    private final boolean intervals;
    private final Item overall;
    private final TreeMap<String, Item> categories = new TreeMap<>();
    private long judgments;

    /** A row with intervals or, for the stability tau's earlier ranking, without. */
    ScoreTally(boolean intervals) {
        this.intervals = intervals;
        this.overall = new Item(intervals);
    }

    /** The weights of the slot's item in the bootstrap replicates, {@code null} without intervals. */
    int[] weights(Slot s) {
        return intervals ? PoissonBootstrap.weights(item(s)) : null;
    }

    /** The slot's item: its id, or for a slot without one (an item of its own, as {@link Rows#byItem}) its judgment's. */
    static String item(Slot s) {
        return s.itemId() != null ? s.itemId() : "\u0000" + s.judgmentId();
    }

    /**
     * Adds ({@code sign} 1) or takes away (−1) a parsed score; {@code weights} from {@link #weights}. {@code
     * others} are the item's other scores in the model's row ({@link BenchmarkTallies#itemScores}: of its judge
     * version, scale, model and item), from which each cell reads the item's scores before and after rather
     * than keeping them per item; the category cells pick those in their category.
     */
    void add(Slot s, int[] weights, int sign, Collection<Slot> others) {
        judgments += sign;
        overall.add(s.score(), scores(others, null), weights, sign);
        for (String c : s.categoriesOrSingle()) {
            Item cell = categories.computeIfAbsent(c, x -> new Item(intervals));
            cell.add(s.score(), scores(others, c), weights, sign);
            if (cell.means.count() == 0) {
                categories.remove(c);
            }
        }
    }

    /** The scores of {@code slots}, of those in {@code category} unless {@code null}. */
    static double[] scores(Collection<Slot> slots, String category) {
        return slots.stream()
                .filter(o -> category == null || o.categoriesOrSingle().contains(category))
                .mapToDouble(Slot::score)
                .toArray();
    }

    /**
     * Hands each of {@code slots} (parsed scores of one judge version and scale) to {@code add} with the slots of
     * its model and item handed before it: the slot path's others, as the store gives them to the tallies.
     */
    static void withOthers(List<Slot> slots, BiConsumer<Slot, List<Slot>> add) {
        Map<List<String>, List<Slot>> before = new HashMap<>();
        for (Slot s : slots) {
            List<Slot> others = before.computeIfAbsent(List.of(s.modelId(), item(s)), x -> new ArrayList<>());
            add.accept(s, others);
            others.add(s);
        }
    }

    /** The parsed scores counted. */
    long judgments() {
        return judgments;
    }

    /** The model's row, before {@code Leaderboards.rows} adds its unparseable and failed counts. */
    Row row(String model, Leaderboards.Context ctx) {
        Estimate e = overall.estimate();
        Map<String, Cell> cells = new TreeMap<>();
        categories.forEach((c, cell) -> cells.put(c, Rows.cell(cell.estimate())));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", e.value());
        m.put("judgments", judgments);
        return Rows.row(model, ctx, e.value(), e.lower(), e.upper(), e.n(), cells, m, intervals);
    }

    /**
     * The overall mean with {@code changed} items' scores changed (each its current scores in the row and those
     * taken away), NaN when no item is left.
     */
    double meanWithout(Collection<Taken> changed) {
        return overall.meanWithout(changed);
    }

    /** An item's current scores in a row and those of them taken away (the stability tau's latest verdicts). */
    record Taken(double[] scores, List<Double> taken) {}

    /** The mean of an item's scores ({@code scores} sorted), {@link #itemSum} over their number. */
    static double itemMean(double[] scores) {
        return itemSum(scores) / scores.length;
    }

    /** The sum of an item's scores added in ascending order (sorts {@code scores}): the same in any order. */
    static double itemSum(double[] scores) {
        Arrays.sort(scores);
        double sum = 0;
        for (double x : scores) {
            sum += x;
        }
        return sum;
    }

    /** {@code scores} and {@code x}: an item's scores once {@code x} is added, whose sums sort them. */
    static double[] with(double[] scores, double x) {
        double[] out = Arrays.copyOf(scores, scores.length + 1);
        out[scores.length] = x;
        return out;
    }

    /**
     * {@code scores} (sorted) without one {@code x}; {@code scores} itself when it has none (a streamed view
     * reads its items from the store after its scan, so a write in between can leave one: the view is
     * recomputed for that write's version anyway).
     */
    private static double[] without(double[] scores, double x) {
        int at = Arrays.binarySearch(scores, x);
        if (at < 0) {
            return scores;
        }
        double[] out = new double[scores.length - 1];
        System.arraycopy(scores, 0, out, 0, at);
        System.arraycopy(scores, at + 1, out, at, scores.length - at - 1);
        return out;
    }

    /** One cell: the exact sum of the item means and the replicates' sums. */
    private static final class Item {
        private final ExactSum means = new ExactSum();
        private final PoissonBootstrap.Sums replicates;

        Item(boolean intervals) {
            this.replicates = intervals ? new PoissonBootstrap.Sums() : null;
        }

        /** Moves the item from {@code others} to {@code others} and {@code score} (sign 1), or back (−1). */
        void add(double score, double[] others, int[] weights, int sign) {
            double[] with = with(others, score);
            move(sign > 0 ? others : with, -1, weights);
            move(sign > 0 ? with : others, 1, weights);
        }

        /** Adds ({@code sign} 1) or takes away (−1) an item's mean, none for no scores. */
        private void move(double[] scores, int sign, int[] weights) {
            if (scores.length == 0) {
                return;
            }
            double mean = itemMean(scores);
            means.add(mean, sign);
            if (replicates != null) {
                replicates.add(weights, mean, 1, sign);
            }
        }

        Estimate estimate() {
            double value = means.mean();
            if (replicates == null) {
                return new Estimate(value, 0, 0, means.count());
            }
            double[] bounds = replicates.interval();
            return new Estimate(value, bounds[0], bounds[1], means.count());
        }

        double meanWithout(Collection<Taken> changed) {
            ExactSum left = means.copy();
            for (Taken item : changed) {
                double[] now = item.scores().clone();
                left.add(itemMean(now), -1);
                for (double x : item.taken()) {
                    now = without(now, x);
                }
                if (now.length > 0) {
                    left.add(itemMean(now), 1);
                }
            }
            return left.mean();
        }
    }
}
