package io.assay.aggregator.leaderboard;

import io.assay.aggregator.leaderboard.BenchmarkTallies.Group;
import io.assay.aggregator.stats.BattleCounts;
import io.assay.aggregator.stats.BradleyTerry;
import io.assay.aggregator.stats.KendallTau;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code bt} and {@code elo} from the judge version's {@link BattleTally} ({@link TalliedViews} answers
 * them when it answers the others): exactly the snapshot {@link Leaderboards#build} gives over the same
 * slots, or empty when the tally cannot answer (the slots decide). {@code bt} fits its counts, point and 200
 * replicates, in the time the models and pairs take; {@code elo} reads its ratings, replayed from a checkpoint
 * over the tails only after an out-of-order, revised or removed battle, and is empty once the tails no longer
 * hold what that replay needs. The stability tau's earlier ranking: {@code bt} refits the point counts
 * without the {@code lag} latest slots; {@code elo} replays from the checkpoint before them.
 */
final class BattleViews {
    private BattleViews() {}

    /** Whether the tallies can answer this {@code bt} or {@code elo} query (a baseline asked for is checked by the slot path). */
    static boolean answers(ViewQuery query) {
        View view = query.effective();
        return (view == View.BT || view == View.ELO) && query.baseline() == null;
    }

    /**
     * The snapshot of {@code query}, empty when the tallies cannot answer it: a partition keeps none of a judge
     * version's verdicts (the current version), the tails no longer hold what elo's replay needs, or the stability
     * tau's latest verdicts.
     */
    static Optional<LeaderboardSnapshot> build(
            String benchmark, BenchmarkTallies tallies, Leaderboards.Context ctx, ViewQuery query, Instant asOf) {
        boolean bt = query.effective() == View.BT;
        Map<String, String> versions = tallies.currentBattleVersions();
        if (versions == null) {
            return Optional.empty();
        }
        String judge = TalliedViews.judge(versions, tallies.humanJudges(JudgmentKind.PAIRWISE), ctx, query);
        String version = versions.get(judge);
        BattleTally t = versions.containsKey(judge) ? tallies.battles().get(new Group(judge, version)) : null;
        long judgments = t == null ? 0 : t.judgments();
        Map<String, Double> elo = t == null || bt ? null : t.elo();
        if (t != null && !bt && elo == null) {
            return Optional.empty();
        }
        List<Row> rows = t == null
                ? List.of()
                : bt
                        ? BradleyTerryBuilder.rows(t.counts, query.anchor(), ctx)
                        : EloBuilder.rows(elo, t.counts.battles(), ctx);
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
            Map<String, Double> then = earlier(t, bt, lag, query.anchor());
            if (then == null) {
                return Optional.empty();
            }
            Map<String, Double> now = new TreeMap<>();
            ranked.forEach(r -> now.put(r.modelId(), r.value()));
            double x = KendallTau.tauB(now, then);
            tau = Double.isNaN(x) ? null : x;
        }
        int k = Leaderboards.lengthPenalty(ctx, query, judge);
        return Optional.of(TalliedViews.snapshot(
                benchmark, ctx, query, asOf, judgments, ranked, query.params(k, judge, version, null), tau, lag));
    }

    /** The ranking without the {@code lag} latest verdicts, {@code null} when the tallies do not hold them. */
    private static Map<String, Double> earlier(BattleTally t, boolean bt, int lag, String anchor) {
        if (!bt) {
            return t.eloWithoutLatest(lag);
        }
        BattleCounts counts = t.countsWithoutLatest(lag);
        return counts == null ? null : BradleyTerry.fit(counts, anchor);
    }
}
