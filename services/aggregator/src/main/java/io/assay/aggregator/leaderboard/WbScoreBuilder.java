package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.PoissonBootstrap;
import io.assay.aggregator.stats.WbScore;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code wb-score}: WildBench's WB-Score ({@link WbScore}; Lin et al. 2024, §3.3, the leaderboard's
 * {@code WB_score} columns) over scores on the 1–10 scale, its formula's (other scales have no rows).
 * The interval is the Poisson bootstrap interval of the mean score ({@link PoissonBootstrap}), transformed;
 * the replicates weigh items with all their prompt variants (the cluster bootstrap; with one variant per
 * item, the scores themselves). WildBench publishes no interval. The slots are added to one
 * {@link WbScoreTally} per model, the same the incremental view keeps ({@link TalliedViews}).
 */
final class WbScoreBuilder implements ViewBuilder {

    @Override
    public List<Row> rows(Input in) {
        List<Slot> onScale = in.usable().stream().filter(Slot::onWildBenchScale).toList();
        Map<String, Double> weights = Rows.macroWeights(onScale, in.ctx(), WbScore.DEFAULT_WEIGHTS);
        Map<String, WbScoreTally> models = new TreeMap<>();
        ScoreTally.withOthers(onScale, (s, others) -> {
            int[] w = in.intervals() ? PoissonBootstrap.weights(ScoreTally.item(s)) : null;
            models.computeIfAbsent(s.modelId(), m -> new WbScoreTally(in.intervals()))
                    .add(s, w, 1, others);
        });
        List<Row> rows = new ArrayList<>();
        models.forEach((model, t) -> rows.add(t.row(model, in.ctx(), weights)));
        return rows;
    }
}
