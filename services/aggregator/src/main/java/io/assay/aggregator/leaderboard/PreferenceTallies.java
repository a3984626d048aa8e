package io.assay.aggregator.leaderboard;

import io.assay.aggregator.leaderboard.BenchmarkTallies.Entry;
import io.assay.aggregator.leaderboard.BenchmarkTallies.Group;
import io.assay.aggregator.stats.KendallTau;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A benchmark's preference verdicts (AlpacaEval's), per judge and judge version: per partition its latest
 * verdicts in ledger order ({@link LedgerTails}: the current version and the stability tau), the unparseable
 * verdicts per model, the baselines of every verdict and of the parsed ones, and per baseline and model a
 * {@link WinRateTally}, which reads an item's other verdicts from the slots beside it rather than keeping
 * them: what {@code winrate} needs ({@link #winRate}), bounded by judge versions, baselines, models and
 * categories. Part of {@link BenchmarkTallies}; not thread-safe.
 */
final class PreferenceTallies {
    private final int tail;
    private final Map<Group, Version> versions = new HashMap<>();

    /** Tallies whose ledgers keep {@code tail} verdicts per judge version and partition. */
    PreferenceTallies(int tail) {
        this.tail = tail;
    }

    /** The preference verdicts of one judge version. A baseline may be {@code null} (none named). */
    static final class Version {
        /** Per partition, its latest verdicts in ledger order. */
        final LedgerTails ledger;

        final TreeMap<String, Long> unparseable = new TreeMap<>();
        /** Per baseline, the verdicts against it, unparseable ones included (the baselines one may ask for). */
        final Map<String, Long> baselines = new HashMap<>();
        /** Per baseline, the parsed verdicts against it (the default baseline is among these). */
        final Map<String, Long> parsed = new HashMap<>();

        final Map<String, TreeMap<String, WinRateTally>> byBaseline = new HashMap<>();

        Version(int tail) {
            ledger = new LedgerTails(tail);
        }
    }

    /**
     * Adds ({@code sign} 1) or takes away (−1) the preference verdict under {@code key}, stored in {@code
     * partition}, whose item and model have the {@code others} slots besides it ({@link BenchmarkTallies#replace}).
     */
    void add(int partition, String key, Slot s, int sign, Collection<Slot> others) {
        Group g = new Group(s.judgeId(), s.judgeVersion());
        Version v = versions.computeIfAbsent(g, x -> new Version(tail));
        v.ledger.add(partition, new Entry(key, s), sign);
        count(v.baselines, s.baseline(), sign);
        if (s.unparseable()) {
            count(v.unparseable, s.modelId(), sign);
        } else {
            count(v.parsed, s.baseline(), sign);
            TreeMap<String, WinRateTally> models = v.byBaseline.computeIfAbsent(s.baseline(), x -> new TreeMap<>());
            WinRateTally t = models.computeIfAbsent(s.modelId(), x -> new WinRateTally());
            t.add(s, sign, others);
            if (t.n() == 0) {
                models.remove(s.modelId());
            }
            if (models.isEmpty()) {
                v.byBaseline.remove(s.baseline());
            }
        }
        if (v.ledger.isEmpty()) {
            versions.remove(g);
        }
    }

    /** Per judge version, its ledger's tails. */
    Map<Group, LedgerTails> ledgers() {
        Map<Group, LedgerTails> out = new HashMap<>();
        versions.forEach((g, v) -> out.put(g, v.ledger));
        return out;
    }

    /** The latest verdict in ledger order that the tails keep, {@code null} when they keep none. */
    Slot last() {
        Entry last = null;
        for (Version v : versions.values()) {
            Entry e = v.ledger.last();
            if (e != null && (last == null || BenchmarkTallies.LEDGER_THEN_KEY.compare(e, last) > 0)) {
                last = e;
            }
        }
        return last == null ? null : last.slot();
    }

    /**
     * {@link BenchmarkTallies#currentVersions} of {@code versions}, whose ledgers {@code ledger} gives; {@code
     * null} when a partition that has verdicts of a judge version keeps none (the slots decide).
     */
    static <T> Map<String, String> currentVersions(Map<Group, T> versions, Function<T, LedgerTails> ledger) {
        for (T v : versions.values()) {
            if (ledger.apply(v).last() == null) {
                return null;
            }
        }
        return BenchmarkTallies.currentVersions(versions, v -> ledger.apply(v).lastSlot());
    }

    static void count(Map<String, Long> counts, String key, int sign) {
        if (counts.merge(key, (long) sign, Long::sum) == 0) {
            counts.remove(key);
        }
    }

    /**
     * {@code winrate} ({@link WinRateBuilder}) as {@link Leaderboards#build} gives it over the slots: the judge's
     * current version, the baseline asked for (refused when unknown, as the slot path refuses it) or the first
     * of the benchmark's, and the stability tau from the ledger's tails. Empty when the tails do not hold the
     * judge's current version or the stability lag's latest verdicts (the slots are needed).
     */
    Optional<LeaderboardSnapshot> winRate(
            String benchmark, Set<String> humans, Leaderboards.Context ctx, ViewQuery query, Instant asOf) {
        Map<String, String> current = currentVersions(versions, t -> t.ledger);
        if (current == null) {
            return Optional.empty();
        }
        String judge = TalliedViews.judge(current, humans, ctx, query);
        String version = current.get(judge);
        Version v = current.containsKey(judge) ? versions.get(new Group(judge, version)) : null;
        if (query.baseline() != null) {
            Rows.requireKnownBaseline(query.baseline(), judge, v == null ? null : nonNull(v.baselines), ctx);
        }
        List<Row> rows = new ArrayList<>();
        if (v != null) {
            String baseline = WinRateBuilder.baseline(
                    query.baseline(), Rows.baselines(judge, !v.parsed.isEmpty(), nonNull(v.parsed), ctx));
            v.byBaseline.getOrDefault(baseline, new TreeMap<>()).forEach((model, t) -> {
                Row r = t.row(model, ctx, baseline);
                Map<String, Object> m = new LinkedHashMap<>(r.metrics());
                m.put("unparseable", v.unparseable.getOrDefault(model, 0L));
                TalliedViews.failed(ctx, model, m);
                rows.add(Rows.with(r, 0, Rows.clean(m)));
            });
        }
        List<Row> ranked = Leaderboards.rank(View.WINRATE.builder().ranking(), rows);
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
        int k = Leaderboards.lengthPenalty(ctx, query, judge);
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
     * Each model's win rate without the {@code latest} verdicts (the lag judged last), against the baseline
     * the slot path would pick over the verdicts left: the stability tau's earlier ranking.
     */
    private static Map<String, Double> earlier(
            Version v, List<Entry> latest, String judge, Leaderboards.Context ctx, ViewQuery query) {
        Map<String, Long> parsed = new HashMap<>(v.parsed);
        Map<String, Map<String, List<Slot>>> taken = new HashMap<>();
        for (Entry e : latest) {
            Slot s = e.slot();
            if (!s.unparseable()) {
                count(parsed, s.baseline(), -1);
                taken.computeIfAbsent(s.baseline(), x -> new HashMap<>())
                        .computeIfAbsent(s.modelId(), x -> new ArrayList<>())
                        .add(s);
            }
        }
        String baseline = WinRateBuilder.baseline(
                query.baseline(), Rows.baselines(judge, !parsed.isEmpty(), nonNull(parsed), ctx));
        Map<String, List<Slot>> mine = taken.getOrDefault(baseline, Map.of());
        Map<String, Double> then = new TreeMap<>();
        v.byBaseline.getOrDefault(baseline, new TreeMap<>()).forEach((model, t) -> {
            List<Slot> gone = mine.getOrDefault(model, List.of());
            if (t.n() > gone.size()) {
                then.put(model, t.winRateWithout(gone));
            }
        });
        return then;
    }

    static TreeSet<String> nonNull(Map<String, Long> counts) {
        TreeSet<String> out = new TreeSet<>();
        counts.keySet().stream().filter(Objects::nonNull).forEach(out::add);
        return out;
    }
}
