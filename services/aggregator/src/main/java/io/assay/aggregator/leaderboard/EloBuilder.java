package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Battle;
import io.assay.aggregator.stats.OnlineElo;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code elo}: online Elo ({@link OnlineElo}; Elo 1978, Chatbot Arena's {@code compute_online_elo},
 * K = 4) over the pairwise outcomes in ledger order ({@link Leaderboards#LEDGER}). No interval
 * (lower = upper = rating): the order-free estimate with intervals is {@code bt}.
 */
final class EloBuilder implements ViewBuilder {

    @Override
    public List<Row> rows(Input in) {
        List<Battle> battles =
                Rows.battles(in.usable().stream().sorted(Leaderboards.LEDGER).toList());
        Map<String, Long> counts = new TreeMap<>();
        battles.forEach(b -> {
            counts.merge(b.a(), 1L, Long::sum);
            counts.merge(b.b(), 1L, Long::sum);
        });
        List<Row> rows = new ArrayList<>();
        OnlineElo.ratings(battles).forEach((model, r) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rating", r);
            m.put("battles", counts.get(model));
            rows.add(Rows.row(model, in.ctx(), r, r, r, counts.get(model), Map.of(), m, true));
        });
        return rows;
    }
}
