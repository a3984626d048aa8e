package io.assay.aggregator.leaderboard;

import io.assay.aggregator.leaderboard.BenchmarkTallies.Group;
import io.assay.aggregator.leaderboard.BenchmarkTallies.GroupTally;
import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.KendallTau;
import io.assay.aggregator.stats.Stats;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The views computed from a benchmark's {@link BenchmarkTallies} instead of its slots, each giving
 * exactly the snapshot {@link Leaderboards#build} gives over the same slots (the equality is tested over
 * randomised ledgers):
 *
 * <ul>
 *   <li>{@code accuracy} with the default settings or a judge (not restricted to a window or to
 *       post-cutoff items: those filters are defined over time and use the slots);</li>
 *   <li>any view of a kind the benchmark has no verdicts of (an empty table, or only the failing models).</li>
 * </ul>
 *
 * <p>Every other view, and any of the above when a slot was stored without a judge id, is empty here and
 * computed from the slots. See docs/aggregation.md, "Incremental views".
 */
public final class TalliedViews {
    private TalliedViews() {}

    /** Whether {@link #build} answers {@code query} over {@code tallies} (else the slots are needed). */
    public static boolean answers(BenchmarkTallies tallies, ViewQuery query) {
        View view = query.effective();
        if (tallies.ofKind(view.kind()) == 0) {
            return true;
        }
        return view == View.ACCURACY
                && query.view() == View.ACCURACY
                && !query.restrictToPostCutoff()
                && query.window() == null
                && tallies.withoutJudge(JudgmentKind.CORRECT) == 0;
    }

    /** The snapshot of {@code query}, empty when {@link #answers} says the slots are needed. */
    public static Optional<LeaderboardSnapshot> build(
            String benchmark, BenchmarkTallies tallies, Leaderboards.Context ctx, ViewQuery query, Instant asOf) {
        if (!answers(tallies, query)) {
            return Optional.empty();
        }
        if (tallies.ofKind(query.effective().kind()) == 0) {
            // The slot path keeps only the view's kind: over none of them it is the same view.
            return Optional.of(Leaderboards.build(benchmark, List.of(), ctx, query, asOf));
        }
        return Optional.of(accuracy(benchmark, tallies, ctx, query, asOf));
    }

    private static LeaderboardSnapshot accuracy(
            String benchmark, BenchmarkTallies tallies, Leaderboards.Context ctx, ViewQuery query, Instant asOf) {
        Map<String, String> versions = tallies.currentReferenceVersions();
        if (query.judge() != null) {
            TreeSet<String> known = new TreeSet<>(versions.keySet());
            if (ctx.spec() != null && ctx.spec().judges() != null) {
                ctx.spec().judges().forEach(j -> known.add(j.id()));
            }
            if (!known.contains(query.judge())) {
                throw new UnknownParameterException("judge", query.judge(), List.copyOf(known));
            }
        }
        String judge = query.judge() != null ? query.judge() : defaultJudge(versions, ctx);
        String version = versions.get(judge);
        GroupTally group = versions.containsKey(judge) ? tallies.reference().get(new Group(judge, version)) : null;
        int k = Leaderboards.lengthPenalty(ctx, query, judge);
        long judgments = group == null ? 0 : group.ledger.size();
        List<Row> rows = group == null ? List.of() : rank(rows(group, ctx));
        Double tau = null;
        if (group != null && query.stabilityLag() > 0 && judgments > query.stabilityLag()) {
            double t = KendallTau.tauB(values(rows), earlier(group, query.stabilityLag()));
            tau = Double.isNaN(t) ? null : t;
        }
        return new LeaderboardSnapshot(
                benchmark,
                query.view().wireName(),
                asOf,
                judgments,
                rows,
                query.params(k, judge, version, null),
                tau,
                (long) query.stabilityLag(),
                Leaderboards.failing(ctx, rows));
    }

    /** {@link Leaderboards#defaultJudge} for a view that is not wb-score. */
    private static String defaultJudge(Map<String, String> present, Leaderboards.Context ctx) {
        if (ctx.spec() != null && ctx.spec().judges() != null) {
            for (var j : ctx.spec().judges()) {
                if (present.containsKey(j.id())) {
                    return j.id();
                }
            }
        }
        return present.isEmpty() ? null : present.keySet().iterator().next();
    }

    /** {@link AccuracyBuilder#rows} and {@code Leaderboards.rows} from the tallies. */
    private static List<Row> rows(GroupTally group, Leaderboards.Context ctx) {
        Map<String, Double> weights = ctx.weights(Map.of());
        List<Row> out = new ArrayList<>();
        group.models.forEach((model, t) -> {
            Estimate overall = t.overall.estimate();
            Map<String, Cell> categories = new TreeMap<>();
            Map<String, Double> perCategory = new TreeMap<>();
            t.categories.forEach((c, ct) -> {
                Estimate e = ct.estimate();
                categories.put(c, Rows.cell(e));
                perCategory.put(c, e.value());
            });
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("correct", t.overall.correct());
            m.put("incorrect", overall.n() - t.overall.correct());
            m.put("unparseable", t.unparseable);
            if (!categories.isEmpty()) {
                m.put("macro", Stats.weightedMean(perCategory, weights, 1.0));
            }
            CallTally calls = ctx.tallies().get(model);
            if (calls != null && calls.failed() > 0) {
                m.put("failed", calls.failed());
            }
            Row r = Rows.row(
                    model, ctx, overall.value(), overall.lower(), overall.upper(), overall.n(), categories, m, true);
            out.add(Rows.with(r, 0, Rows.clean(m)));
        });
        return out;
    }

    private static List<Row> rank(List<Row> rows) {
        return Leaderboards.rank(Leaderboards.RANKING, rows);
    }

    private static Map<String, Double> values(List<Row> rows) {
        Map<String, Double> v = new TreeMap<>();
        rows.forEach(r -> v.put(r.modelId(), r.value()));
        return v;
    }

    /**
     * Each model's accuracy without the {@code lag} verdicts judged last: the values of the stability
     * tau's earlier ranking (a model whose every slot is among them has none).
     */
    private static Map<String, Double> earlier(GroupTally group, int lag) {
        Map<String, long[]> taken = new HashMap<>();
        for (Slot s : BenchmarkTallies.latest(group, lag)) {
            long[] t = taken.computeIfAbsent(s.modelId(), x -> new long[3]);
            t[0]++;
            if (!s.unparseable()) {
                t[1]++;
                t[2] += s.correct() ? 1 : 0;
            }
        }
        Map<String, Double> v = new TreeMap<>();
        group.models.forEach((model, t) -> {
            long[] minus = taken.getOrDefault(model, new long[3]);
            if (t.overall.slots() - minus[0] == 0) {
                return;
            }
            long n = t.overall.n() - minus[1];
            long correct = t.overall.correct() - minus[2];
            v.put(model, n == 0 ? 0.0 : (double) correct / n);
        });
        return v;
    }
}
