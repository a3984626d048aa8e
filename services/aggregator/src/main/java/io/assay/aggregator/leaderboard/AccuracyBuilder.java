package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.Stats;
import io.assay.aggregator.stats.Wilson;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code accuracy} (and {@code post-cutoff} by default): correct / n per model with the 95% Wilson
 * interval ({@link Wilson}, Wilson 1927; with several prompt variants per item, on the effective
 * sample size of {@link Wilson#clustered}), the same per category, and
 * {@code macro = Σ w_c·acc_c / Σ w_c} with the benchmark's category weights (absent: 1).
 * Unparseable verdicts are left out of n; a model with nothing else still has its row (n = 0).
 */
final class AccuracyBuilder implements ViewBuilder {

    @Override
    public List<Row> rows(Input in) {
        Map<String, Double> weights = in.ctx().weights(Map.of());
        List<Row> rows = new ArrayList<>();
        Rows.byModel(in.slots()).forEach((model, ss) -> {
            Estimate overall = accuracy(ss);
            Map<String, Cell> categories = new TreeMap<>();
            Map<String, Double> perCategory = new TreeMap<>();
            Rows.byCategory(ss).forEach((c, cs) -> {
                Estimate e = accuracy(cs);
                categories.put(c, Rows.cell(e));
                perCategory.put(c, e.value());
            });
            long correct =
                    ss.stream().filter(s -> !s.unparseable() && s.correct()).count();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("correct", correct);
            m.put("incorrect", overall.n() - correct);
            m.put("unparseable", in.unparseable().getOrDefault(model, 0L));
            if (!categories.isEmpty()) {
                m.put("macro", Stats.weightedMean(perCategory, weights, 1.0));
            }
            rows.add(Rows.row(
                    model,
                    in.ctx(),
                    overall.value(),
                    overall.lower(),
                    overall.upper(),
                    overall.n(),
                    categories,
                    m,
                    true));
        });
        return rows;
    }

    /**
     * The share of correct verdicts among the parseable ones, with its Wilson interval clustered by
     * item ({@link Wilson#clustered}: Wilson's own with one variant per item).
     */
    static Estimate accuracy(List<Slot> slots) {
        List<List<Slot>> items =
                Rows.byItem(slots.stream().filter(s -> !s.unparseable()).toList());
        long[] correct = new long[items.size()];
        long[] counts = new long[items.size()];
        for (int i = 0; i < items.size(); i++) {
            correct[i] = items.get(i).stream().filter(Slot::correct).count();
            counts[i] = items.get(i).size();
        }
        return Wilson.clustered(correct, counts);
    }
}
