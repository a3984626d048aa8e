package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.WinRate;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code winrate}: AlpacaEval's win rate ({@link WinRate}; Li et al. 2023, {@code win_rate} and
 * {@code standard_error} in {@code alpaca_eval.metrics.pairwise_to_winrate}) against one baseline:
 * the asked one, else the first of the benchmark's. AlpacaEval publishes a standard error, not an
 * interval: lower/upper are Wilson's on the effective sample size ({@link WinRate}, as {@code accuracy}'s).
 * With several prompt variants per item the standard error is clustered by item (AlpacaEval's own
 * with one variant per item), and so is the interval. The slots are added to one {@link WinRateTally} per model, the same the
 * incremental view keeps ({@link PreferenceTallies}).
 */
final class WinRateBuilder implements ViewBuilder {

    @Override
    public List<Row> rows(Input in) {
        List<Slot> slots = in.usable();
        String baseline = baseline(in.query().baseline(), Rows.baselines(slots, in.ctx()));
        Map<String, WinRateTally> models = new TreeMap<>();
        Rows.eachWithItemBefore(
                slots.stream()
                        .filter(s -> Objects.equals(s.baseline(), baseline))
                        .toList(),
                (s, item) -> models.computeIfAbsent(s.modelId(), m -> new WinRateTally())
                        .add(s, 1, item));
        List<Row> rows = new ArrayList<>();
        models.forEach((model, t) -> rows.add(t.row(model, in.ctx(), baseline)));
        return rows;
    }

    /** The asked baseline, else the first of {@code baselines} ({@link Rows#baselines}), else none. */
    static String baseline(String asked, List<String> baselines) {
        return asked != null ? asked : baselines.isEmpty() ? null : baselines.get(0);
    }
}
