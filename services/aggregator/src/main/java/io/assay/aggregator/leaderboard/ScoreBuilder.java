package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.PoissonBootstrap;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code score}: the mean over items of each item's mean score (one value per item when there is
 * one variant), with a 95% Poisson bootstrap percentile interval over items ({@link PoissonBootstrap}),
 * overall and per category. The slots are added to one {@link ScoreTally} per model, the same the
 * incremental view keeps ({@link TalliedViews}).
 */
final class ScoreBuilder implements ViewBuilder {

    @Override
    public List<Row> rows(Input in) {
        Map<String, ScoreTally> models = new TreeMap<>();
        ScoreTally.withOthers(in.usable(), (s, others) -> {
            ScoreTally t = models.computeIfAbsent(s.modelId(), m -> new ScoreTally(in.intervals()));
            t.add(s, t.weights(s), 1, others);
        });
        List<Row> rows = new ArrayList<>();
        models.forEach((model, t) -> rows.add(t.row(model, in.ctx())));
        return rows;
    }
}
