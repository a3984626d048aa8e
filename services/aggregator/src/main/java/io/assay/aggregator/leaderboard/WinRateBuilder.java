package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Wilson;
import io.assay.aggregator.stats.WinRate;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code winrate}: AlpacaEval's win rate ({@link WinRate}; Li et al. 2023, {@code win_rate} and
 * {@code standard_error} in {@code alpaca_eval.metrics.pairwise_to_winrate}) against one baseline:
 * the asked one, else the first of the benchmark's. AlpacaEval publishes a standard error, not an
 * interval: lower/upper are win_rate ∓ 1.96·standard_error, clipped to the win rate's range [0, 100].
 * With several prompt variants per item the standard error is clustered by item (AlpacaEval's own
 * with one variant per item).
 */
final class WinRateBuilder implements ViewBuilder {

    @Override
    public List<Row> rows(Input in) {
        List<Slot> slots = in.usable();
        List<String> baselines = Rows.baselines(slots, in.ctx());
        String asked = in.query().baseline();
        String baseline = asked != null ? asked : baselines.isEmpty() ? null : baselines.get(0);
        List<Slot> against = slots.stream()
                .filter(s -> Objects.equals(s.baseline(), baseline))
                .toList();
        List<Row> rows = new ArrayList<>();
        Rows.byModel(against).forEach((model, ss) -> {
            WinRate.Result r = winRate(ss);
            Map<String, Cell> categories = new TreeMap<>();
            Rows.byCategory(ss).forEach((c, cs) -> {
                WinRate.Result cr = winRate(cs);
                double[] bounds = bounds(cr);
                categories.put(c, Rows.cell(cr.winRate(), bounds[0], bounds[1], cr.n()));
            });
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("win_rate", r.winRate());
            m.put("standard_error", r.standardError());
            m.put("n_wins", r.wins());
            m.put("n_wins_base", r.losses());
            m.put("n_draws", r.draws());
            m.put("n_total", r.n());
            m.put("baseline", baseline);
            double[] bounds = bounds(r);
            rows.add(Rows.row(model, in.ctx(), r.winRate(), bounds[0], bounds[1], r.n(), categories, m, true));
        });
        return rows;
    }

    /** win_rate ∓ 1.96·standard_error within [0, 100]; the win rate itself when there is no standard error. */
    private static double[] bounds(WinRate.Result r) {
        double half = Double.isNaN(r.standardError()) ? 0 : Wilson.Z_95 * r.standardError();
        return new double[] {Math.max(0, r.winRate() - half), Math.min(100, r.winRate() + half)};
    }

    /** AlpacaEval's figures, the standard error clustered by item ({@link WinRate#of(double[], int[])}). */
    private static WinRate.Result winRate(List<Slot> slots) {
        List<List<Slot>> items = Rows.byItem(slots);
        int n = slots.size();
        double[] preferences = new double[n];
        int[] item = new int[n];
        int i = 0;
        for (int g = 0; g < items.size(); g++) {
            for (Slot s : items.get(g)) {
                preferences[i] = s.preference() == null ? 0.0 : s.preference();
                item[i++] = g;
            }
        }
        return WinRate.of(preferences, item);
    }
}
