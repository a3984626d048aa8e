package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Bootstrap;
import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.Stats;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code score}: the mean over items of each item's mean score (one value per item when there is
 * one variant), with a 95% seeded bootstrap percentile interval over items ({@link Bootstrap},
 * Efron &amp; Tibshirani 1993, ch. 13), overall and per category.
 */
final class ScoreBuilder implements ViewBuilder {

    @Override
    public List<Row> rows(Input in) {
        List<Row> rows = new ArrayList<>();
        Rows.byModel(in.usable()).forEach((model, ss) -> {
            Estimate e = mean(ss, in.intervals());
            Map<String, Cell> categories = new TreeMap<>();
            Rows.byCategory(ss).forEach((c, cs) -> categories.put(c, Rows.cell(mean(cs, in.intervals()))));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mean", e.value());
            m.put("judgments", (long) ss.size());
            rows.add(Rows.row(model, in.ctx(), e.value(), e.lower(), e.upper(), e.n(), categories, m, in.intervals()));
        });
        return rows;
    }

    /** The mean of the item means, with its bootstrap interval when asked for. */
    private static Estimate mean(List<Slot> slots, boolean intervals) {
        double[] items = itemMeans(slots);
        return intervals ? Bootstrap.mean(items) : new Estimate(Stats.mean(items), 0, 0, items.length);
    }

    private static double[] itemMeans(List<Slot> slots) {
        Map<String, double[]> sums = new TreeMap<>();
        for (Slot s : slots) {
            double[] acc = sums.computeIfAbsent(s.itemId(), i -> new double[2]);
            acc[0] += s.score();
            acc[1]++;
        }
        return sums.values().stream().mapToDouble(a -> a[0] / a[1]).toArray();
    }
}
