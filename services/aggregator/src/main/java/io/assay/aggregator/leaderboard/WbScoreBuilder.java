package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Bootstrap;
import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.WbScore;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code wb-score}: WildBench's WB-Score ({@link WbScore}; Lin et al. 2024, §3.3, the leaderboard's
 * {@code WB_score} columns) over scores on the 1–10 scale, its formula's (other scales have no rows).
 * The interval is the bootstrap interval of the mean score, transformed; the resamples draw items
 * with all their prompt variants ({@link Bootstrap#clusteredMean}; with one variant per item, the
 * scores themselves). WildBench publishes no interval.
 */
final class WbScoreBuilder implements ViewBuilder {

    @Override
    public List<Row> rows(Input in) {
        List<Slot> onScale = in.usable().stream().filter(Slot::onWildBenchScale).toList();
        Map<String, Double> weights = Rows.macroWeights(onScale, in.ctx(), WbScore.DEFAULT_WEIGHTS);
        List<Row> rows = new ArrayList<>();
        Rows.byModel(onScale).forEach((model, ss) -> {
            WbScore.Result r = WbScore.of(
                    ss.stream()
                            .map(s -> new WbScore.Scored(s.score(), s.categoriesOrSingle(), s.truncatedOrEmpty()))
                            .toList(),
                    weights);
            double lower = r.wbScore();
            double upper = r.wbScore();
            if (in.intervals()) {
                Estimate e = meanByItem(ss);
                lower = WbScore.fromMean(e.lower());
                upper = WbScore.fromMean(e.upper());
            }
            Map<String, Cell> categories = new TreeMap<>();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("WB_score", r.wbScore());
            m.put("WB_score.task_macro", r.taskMacro());
            r.perCategory().forEach((c, v) -> {
                categories.put(c, Rows.cell(v, v, v, r.categoryCounts().get(c)));
                m.put("WB_score." + c, v);
            });
            rows.add(Rows.row(model, in.ctx(), r.wbScore(), lower, upper, r.n(), categories, m, in.intervals()));
        });
        return rows;
    }

    /** The mean of every score, its interval from resampling items. */
    private static Estimate meanByItem(List<Slot> slots) {
        List<List<Slot>> items = Rows.byItem(slots);
        double[] sums = new double[items.size()];
        long[] counts = new long[items.size()];
        for (int i = 0; i < items.size(); i++) {
            sums[i] = items.get(i).stream().mapToDouble(Slot::score).sum();
            counts[i] = items.get(i).size();
        }
        return Bootstrap.clusteredMean(sums, counts);
    }
}
