package io.assay.aggregator.leaderboard;

import io.assay.aggregator.leaderboard.BenchmarkTallies.Entry;
import io.assay.aggregator.leaderboard.BenchmarkTallies.Group;
import io.assay.aggregator.stats.KendallTau;
import io.assay.aggregator.stats.PoissonBootstrap;
import io.assay.aggregator.stats.WbScore;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A benchmark's pairwise verdicts (WildBench's), per judge and judge version: the slots in ledger order
 * (the current version and the stability tau), the unparseable verdicts per model, the baselines of every
 * verdict and of the parsed ones, the categories of the parsed ones (the task-macro weights), and per model
 * a {@link WbRewardTally} under one length penalty K (the aggregator's tallies: WildBench's default 500):
 * what {@code wb-reward} needs ({@link #wbReward}). Part of {@link BenchmarkTallies}; not thread-safe.
 */
final class PairwiseTallies {
    private final Map<Group, Version> versions = new HashMap<>();
    private final int k;

    /** Tallies under the length penalty {@code k}. */
    PairwiseTallies(int k) {
        this.k = k;
    }

    /** The length penalty K the rows are tallied under. */
    int k() {
        return k;
    }

    /** The pairwise verdicts of one judge version. */
    static final class Version {
        final TreeSet<Entry> ledger = new TreeSet<>(BenchmarkTallies.LEDGER_THEN_KEY);
        final TreeMap<String, Long> unparseable = new TreeMap<>();
        /** Per baseline, the verdicts against it, unparseable ones included (the baselines one may ask for). */
        final Map<String, Long> baselines = new HashMap<>();
        /** Per baseline, the parsed verdicts against it (the default baselines are among these). */
        final Map<String, Long> parsed = new HashMap<>();
        /** Per category, the parsed verdicts in it. */
        final TreeMap<String, Long> categories = new TreeMap<>();

        final TreeMap<String, WbRewardTally> models = new TreeMap<>();
    }

    /** Adds ({@code sign} 1) or takes away (−1) the pairwise verdict under {@code key}. */
    void add(int partition, String key, Slot s, int sign, Collection<Slot> others) {
        Group g = new Group(s.judgeId(), s.judgeVersion());
        Version v = versions.computeIfAbsent(g, x -> new Version());
        Entry e = new Entry(key, s);
        if (sign > 0) {
            v.ledger.add(e);
        } else {
            v.ledger.remove(e);
        }
        PreferenceTallies.count(v.baselines, s.baseline(), sign);
        if (s.unparseable()) {
            PreferenceTallies.count(v.unparseable, s.modelId(), sign);
        } else {
            PreferenceTallies.count(v.parsed, s.baseline(), sign);
            s.categoriesOrSingle().forEach(c -> PreferenceTallies.count(v.categories, c, sign));
            WbRewardTally t = v.models.computeIfAbsent(s.modelId(), x -> new WbRewardTally(k, true));
            t.add(s, PoissonBootstrap.weights(ScoreTally.item(s)), sign);
            if (t.pairs() == 0) {
                v.models.remove(s.modelId());
            }
        }
        if (v.ledger.isEmpty()) {
            versions.remove(g);
        }
    }

    /**
     * {@code wb-reward} ({@link WbRewardBuilder}) as {@link Leaderboards#build} gives it over the slots: the
     * judge's current version, the baseline asked for (refused when unknown, as the slot path refuses it)
     * or the mixture over the benchmark's, and the stability tau from the ledger. Empty when the length
     * penalty in force is not the K the tallies keep (the slots are needed).
     */
    Optional<LeaderboardSnapshot> wbReward(String benchmark, Leaderboards.Context ctx, ViewQuery query, Instant asOf) {
        Map<String, String> current =
                BenchmarkTallies.currentVersions(versions, t -> t.ledger.last().slot());
        String judge = TalliedViews.judge(current, ctx, query);
        String version = current.get(judge);
        Version v = current.containsKey(judge) ? versions.get(new Group(judge, version)) : null;
        if (query.baseline() != null) {
            Rows.requireKnownBaseline(
                    query.baseline(), judge, v == null ? null : PreferenceTallies.nonNull(v.baselines), ctx);
        }
        if (Leaderboards.lengthPenalty(ctx, query, judge) != k) {
            return Optional.empty();
        }
        List<Row> rows = new ArrayList<>();
        if (v != null) {
            Map<String, Double> weights = Rows.macroWeights(v.categories.keySet(), ctx, WbScore.DEFAULT_WEIGHTS);
            List<String> baselines =
                    Rows.baselines(judge, !v.parsed.isEmpty(), PreferenceTallies.nonNull(v.parsed), ctx);
            v.models.forEach((model, t) -> {
                Row r = t.row(model, ctx, weights, baselines, query.baseline());
                if (r != null) {
                    Map<String, Object> m = new LinkedHashMap<>(r.metrics());
                    m.put("unparseable", v.unparseable.getOrDefault(model, 0L));
                    TalliedViews.failed(ctx, model, m);
                    rows.add(Rows.with(r, 0, Rows.clean(m)));
                }
            });
        }
        List<Row> ranked = Leaderboards.rank(View.WB_REWARD.builder().ranking(), rows);
        long judgments = v == null ? 0 : v.ledger.size();
        Double tau = null;
        if (v != null && query.stabilityLag() > 0 && judgments > query.stabilityLag()) {
            double t = KendallTau.tauB(TalliedViews.values(ranked), earlier(v, judge, ctx, query));
            tau = Double.isNaN(t) ? null : t;
        }
        return Optional.of(TalliedViews.snapshot(
                benchmark,
                ctx,
                query,
                asOf,
                judgments,
                ranked,
                query.params(k, judge, version, null),
                tau,
                query.stabilityLag()));
    }

    /**
     * Each model's headline value without the {@code lag} verdicts judged last, over the baselines the slot
     * path would mix then: the stability tau's earlier ranking.
     */
    private static Map<String, Double> earlier(Version v, String judge, Leaderboards.Context ctx, ViewQuery query) {
        Map<String, Long> parsed = new HashMap<>(v.parsed);
        Map<String, List<Slot>> taken = new HashMap<>();
        for (Slot s : BenchmarkTallies.latest(v.ledger, query.stabilityLag(), s -> true)) {
            if (!s.unparseable()) {
                PreferenceTallies.count(parsed, s.baseline(), -1);
                taken.computeIfAbsent(s.modelId(), x -> new ArrayList<>()).add(s);
            }
        }
        List<String> baselines = Rows.baselines(judge, !parsed.isEmpty(), PreferenceTallies.nonNull(parsed), ctx);
        Map<String, Double> then = new TreeMap<>();
        v.models.forEach((model, t) -> {
            List<Slot> gone = taken.getOrDefault(model, List.of());
            if (t.pairs() > gone.size()) {
                double value = t.valueWithout(gone, baselines, query.baseline());
                if (!Double.isNaN(value)) {
                    then.put(model, value);
                }
            }
        });
        return then;
    }
}
