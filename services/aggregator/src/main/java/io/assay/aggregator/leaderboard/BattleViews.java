package io.assay.aggregator.leaderboard;

import io.assay.aggregator.leaderboard.BenchmarkTallies.Group;
import io.assay.aggregator.stats.BradleyTerry;
import io.assay.aggregator.stats.KendallTau;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code bt} and {@code elo} from the judge version's {@link BattleTally} ({@link TalliedViews} answers
 * them when it answers the others): exactly the snapshot {@link Leaderboards#build} gives over the same
 * slots. {@code bt} fits its counts, point and 200 replicates, in the time the models and pairs take;
 * {@code elo} reads its ratings, replayed from the ledger only after an out-of-order, revised or removed
 * battle. The stability tau's earlier ranking: {@code bt} refits the point counts without the {@code lag}
 * latest slots; {@code elo} replays the ledger without them.
 */
final class BattleViews {
    private BattleViews() {}

    /** Whether the tallies can answer this {@code bt} or {@code elo} query (a baseline asked for is checked by the slot path). */
    static boolean answers(ViewQuery query) {
        View view = query.effective();
        return (view == View.BT || view == View.ELO) && query.baseline() == null;
    }

    static LeaderboardSnapshot build(
            String benchmark, BenchmarkTallies tallies, Leaderboards.Context ctx, ViewQuery query, Instant asOf) {
        boolean bt = query.effective() == View.BT;
        Map<String, String> versions = tallies.currentBattleVersions();
        String judge = TalliedViews.judge(versions, ctx, query);
        String version = versions.get(judge);
        BattleTally t = versions.containsKey(judge) ? tallies.battles().get(new Group(judge, version)) : null;
        long judgments = t == null ? 0 : t.ledger.size();
        List<Row> rows = t == null
                ? List.of()
                : bt
                        ? BradleyTerryBuilder.rows(t.counts, query.anchor(), ctx)
                        : EloBuilder.rows(t.elo(), t.counts.battles(), ctx);
        List<Row> ranked = Leaderboards.rank(
                query.effective().builder().ranking(),
                rows.stream()
                        .map(r -> {
                            Map<String, Object> m = new LinkedHashMap<>(r.metrics());
                            m.put("unparseable", t.unparseable.getOrDefault(r.modelId(), 0L));
                            TalliedViews.failed(ctx, r.modelId(), m);
                            return Rows.with(r, 0, Rows.clean(m));
                        })
                        .toList());
        Double tau = null;
        int lag = query.stabilityLag();
        if (t != null && lag > 0 && judgments > lag) {
            Map<String, Double> then =
                    bt ? BradleyTerry.fit(t.countsWithoutLatest(lag), query.anchor()) : t.eloWithoutLatest(lag);
            Map<String, Double> now = new TreeMap<>();
            ranked.forEach(r -> now.put(r.modelId(), r.value()));
            double x = KendallTau.tauB(now, then);
            tau = Double.isNaN(x) ? null : x;
        }
        int k = Leaderboards.lengthPenalty(ctx, query, judge);
        return TalliedViews.snapshot(
                benchmark, ctx, query, asOf, judgments, ranked, query.params(k, judge, version, null), tau, lag);
    }
}
