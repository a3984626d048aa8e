package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.OnlineElo;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code elo}: online Elo ({@link OnlineElo}; Elo 1978, Chatbot Arena's {@code compute_online_elo},
 * K = 4) over the pairwise outcomes in ledger order ({@link Leaderboards#LEDGER}, then the slot key). No
 * interval ({@code lower} and {@code upper} null): the order-free estimate with intervals is {@code bt}. The slots go
 * through a {@link BattleTally}, as the tallies' do.
 */
final class EloBuilder implements ViewBuilder {

    @Override
    public List<Row> rows(Input in) {
        BattleTally t = BattleTally.of(in.slots(), false);
        return rows(t.elo(), t.counts.battles(), in.ctx());
    }

    /** The rows of {@code ratings}, each model with its {@code battles}. */
    static List<Row> rows(Map<String, Double> ratings, Map<String, Long> battles, Leaderboards.Context ctx) {
        List<Row> rows = new ArrayList<>();
        ratings.forEach((model, r) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rating", r);
            m.put("battles", battles.get(model));
            rows.add(Rows.row(model, ctx, r, null, null, battles.get(model), Map.of(), m, true));
        });
        return rows;
    }
}
