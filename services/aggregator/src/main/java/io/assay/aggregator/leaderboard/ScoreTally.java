package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.ExactSum;
import io.assay.aggregator.stats.PoissonBootstrap;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One model's {@code score} row kept up to date verdict by verdict ({@link ScoreBuilder} over the slots and
 * {@link BenchmarkTallies} over the fold both add the verdicts to one): overall and per category, the mean
 * over items of each item's mean score and its Poisson bootstrap interval ({@link PoissonBootstrap}). Every
 * sum is order-free — an item's mean adds its scores in ascending order, the mean of item means is an
 * {@link ExactSum}, the replicates are integers — so the row is the same bits whatever order the verdicts
 * arrive or go in. Not thread-safe.
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

    /** Adds ({@code sign} 1) or takes away (−1) a parsed score; {@code weights} from {@link #weights}. */
    void add(Slot s, int[] weights, int sign) {
        judgments += sign;
        overall.add(item(s), s.score(), weights, sign);
        for (String c : s.categoriesOrSingle()) {
            Item cell = categories.computeIfAbsent(c, x -> new Item(intervals));
            cell.add(item(s), s.score(), weights, sign);
            if (cell.items.isEmpty()) {
                categories.remove(c);
            }
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

    /** The overall mean without the scores in {@code taken} (per item), NaN when no item is left. */
    double meanWithout(Map<String, List<Double>> taken) {
        return overall.meanWithout(taken);
    }

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

    /** {@code scores} (sorted, or null for none) with {@code x}, sorted. */
    static double[] with(double[] scores, double x) {
        if (scores == null) {
            return new double[] {x};
        }
        double[] out = Arrays.copyOf(scores, scores.length + 1);
        out[scores.length] = x;
        Arrays.sort(out);
        return out;
    }

    /** {@code scores} (sorted) without one {@code x}. */
    static double[] without(double[] scores, double x) {
        int at = Arrays.binarySearch(scores, x);
        double[] out = new double[scores.length - 1];
        System.arraycopy(scores, 0, out, 0, at);
        System.arraycopy(scores, at + 1, out, at, scores.length - at - 1);
        return out;
    }

    /** One cell: per item its sorted scores, the exact sum of the item means and the replicates' sums. */
    private static final class Item {
        private final Map<String, double[]> items = new HashMap<>();
        private final ExactSum means = new ExactSum();
        private final PoissonBootstrap.Sums replicates;

        Item(boolean intervals) {
            this.replicates = intervals ? new PoissonBootstrap.Sums() : null;
        }

        void add(String item, double score, int[] weights, int sign) {
            double[] old = items.get(item);
            double[] now = sign > 0 ? with(old, score) : without(old, score);
            if (old != null) {
                double mean = itemMean(old);
                means.add(mean, -1);
                if (replicates != null) {
                    replicates.add(weights, mean, 1, -1);
                }
            }
            if (now.length == 0) {
                items.remove(item);
                return;
            }
            items.put(item, now);
            double mean = itemMean(now);
            means.add(mean, 1);
            if (replicates != null) {
                replicates.add(weights, mean, 1, 1);
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

        double meanWithout(Map<String, List<Double>> taken) {
            ExactSum left = means.copy();
            taken.forEach((item, scores) -> {
                double[] now = items.get(item);
                left.add(itemMean(now), -1);
                for (double x : scores) {
                    now = without(now, x);
                }
                if (now.length > 0) {
                    left.add(itemMean(now), 1);
                }
            });
            return left.mean();
        }
    }
}
