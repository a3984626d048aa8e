package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.BattleCounts;
import io.assay.aggregator.stats.BradleyTerry;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bt}: Bradley–Terry ratings on the Elo scale ({@link BradleyTerry}; Bradley &amp; Terry 1952,
 * Chatbot Arena's {@code compute_mle_elo}, Chiang et al. 2024, §4) over the pairwise outcomes, model
 * against baseline, with Poisson bootstrap intervals over items ({@link BattleCounts}); baselines get rows
 * too. A model the battles do not identify is marked {@code identified: false} and has no interval
 * ({@code lower} and {@code upper} null); {@code resamplesIdentified} says how many replicates gave it a finite
 * rating, {@code resamplesAbove} and {@code resamplesBelow} how many put it off to either side (±∞ in its
 * interval; a bound that is infinite is null alone). The slots go through a {@link BattleTally}, as the tallies' do.
 */
final class BradleyTerryBuilder implements ViewBuilder {

    @Override
    public List<Row> rows(Input in) {
        return rows(
                BattleTally.of(in.slots(), in.intervals()).counts, in.query().anchor(), in.ctx());
    }

    /** The rows of {@code counts}: with intervals when it keeps the replicates. */
    static List<Row> rows(BattleCounts counts, String anchor, Leaderboards.Context ctx) {
        List<Row> rows = new ArrayList<>();
        if (!counts.replicates()) {
            BradleyTerry.fit(counts, anchor)
                    .forEach((model, r) -> rows.add(Rows.row(model, ctx, r, r, r, 0, Map.of(), Map.of(), false)));
            return rows;
        }
        BradleyTerry.ratings(counts, anchor).forEach((model, r) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rating", r.rating());
            m.put("battles", r.battles());
            m.put("identified", r.identified());
            m.put("resamplesIdentified", r.resamplesIdentified());
            m.put("resamplesAbove", r.resamplesAbove());
            m.put("resamplesBelow", r.resamplesBelow());
            rows.add(Rows.row(model, ctx, r.rating(), r.lower(), r.upper(), r.battles(), Map.of(), m, true));
        });
        return rows;
    }
}
