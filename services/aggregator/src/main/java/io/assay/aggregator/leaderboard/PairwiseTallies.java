package io.assay.aggregator.leaderboard;

import io.assay.aggregator.leaderboard.BenchmarkTallies.Entry;
import io.assay.aggregator.leaderboard.BenchmarkTallies.Group;
import io.assay.aggregator.stats.KendallTau;
import io.assay.aggregator.stats.WbScore;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A benchmark's pairwise verdicts (WildBench's), per judge and judge version: per partition its latest
 * verdicts in ledger order ({@link LedgerTails}: the current version and the stability tau), the unparseable
 * verdicts per model, the baselines of every verdict and of the parsed ones, the categories of the parsed
 * ones (the task-macro weights), and per model a {@link WbRewardTally} under one length penalty K (the
 * aggregator's tallies: WildBench's default 500), whose sums are linear in the pairs and need no per-item
 * state: what {@code wb-reward} needs ({@link #wbReward}), bounded by judge versions, baselines, models and
 * categories. Part of {@link BenchmarkTallies}; not thread-safe.
 */
final class PairwiseTallies {
    private final int tail;
    private final Map<Group, Version> versions = new HashMap<>();
    private final int k;

    /** Tallies whose ledgers keep {@code tail} verdicts per judge version and partition, under length penalty {@code k}. */
    PairwiseTallies(int tail, int k) {
        this.tail = tail;
        this.k = k;
    }

    /** The length penalty K the rows are tallied under. */
    int k() {
        return k;
    }

    /** The pairwise verdicts of one judge version. */
    static final class Version {
        /** Per partition, its latest verdicts in ledger order. */
        final LedgerTails ledger;

        final TreeMap<String, Long> unparseable = new TreeMap<>();
        /** Per baseline, the verdicts against it, unparseable ones included (the baselines one may ask for). */
        final Map<String, Long> baselines = new HashMap<>();
        /** Per baseline, the parsed verdicts against it (the default baselines are among these). */
        final Map<String, Long> parsed = new HashMap<>();
        /** Per category, the parsed verdicts in it. */
        final TreeMap<String, Long> categories = new TreeMap<>();

        final TreeMap<String, WbRewardTally> models = new TreeMap<>();

        Version(int tail) {
            ledger = new LedgerTails(tail);
        }
    }

    /** Per judge version, its ledger's tails. */
    Map<Group, LedgerTails> ledgers() {
        Map<Group, LedgerTails> out = new HashMap<>();
        versions.forEach((g, v) -> out.put(g, v.ledger));
        return out;
    }

    /**
     * Adds ({@code sign} 1) or takes away (−1) the pairwise verdict under {@code key}, stored in {@code
     * partition} (its item's other verdicts are not needed: {@link WbRewardTally}).
     */
    void add(int partition, String key, Slot s, int sign) {
        Group g = new Group(s.judgeId(), s.judgeVersion());
        Version v = versions.computeIfAbsent(g, x -> new Version(tail));
        v.ledger.add(partition, new Entry(key, s), sign);
        PreferenceTallies.count(v.baselines, s.baseline(), sign);
        if (s.unparseable()) {
            PreferenceTallies.count(v.unparseable, s.modelId(), sign);
        } else {
            PreferenceTallies.count(v.parsed, s.baseline(), sign);
            s.categoriesOrSingle().forEach(c -> PreferenceTallies.count(v.categories, c, sign));
            WbRewardTally t = v.models.computeIfAbsent(s.modelId(), x -> new WbRewardTally(k, true));
            t.add(s, t.weights(s), sign);
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
     * or the mixture over the benchmark's, and the stability tau from the ledger's tails. Empty when the
     * length penalty in force is not the K the tallies keep, or the tails do not hold the judge's current
     * version or the stability lag's latest verdicts (the slots are needed).
     */
    Optional<LeaderboardSnapshot> wbReward(
            String benchmark, Set<String> humans, Leaderboards.Context ctx, ViewQuery query, Instant asOf) {
        Map<String, String> current = PreferenceTallies.currentVersions(versions, t -> t.ledger);
        if (current == null) {
            return Optional.empty();
        }
        String judge = TalliedViews.judge(current, humans, ctx, query);
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
        long judgments = v == null ? 0 : v.ledger.slots();
        Double tau = null;
        if (v != null && query.stabilityLag() > 0 && judgments > query.stabilityLag()) {
            List<Entry> latest = v.ledger.latest(query.stabilityLag());
            if (latest == null) {
                return Optional.empty();
            }
            double t = KendallTau.tauB(TalliedViews.values(ranked), earlier(v, latest, judge, ctx, query));
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
     * Each model's headline value without the {@code latest} verdicts (the lag judged last), over the
     * baselines the slot path would mix then: the stability tau's earlier ranking.
     */
    private static Map<String, Double> earlier(
            Version v, List<Entry> latest, String judge, Leaderboards.Context ctx, ViewQuery query) {
        Map<String, Long> parsed = new HashMap<>(v.parsed);
        Map<String, List<Slot>> taken = new HashMap<>();
        for (Entry e : latest) {
            Slot s = e.slot();
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
