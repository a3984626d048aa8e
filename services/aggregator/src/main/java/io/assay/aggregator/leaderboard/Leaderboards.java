package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.KendallTau;
import io.assay.aggregator.stats.WbReward;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Failing;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Protocol;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every view as a pure function of a benchmark's stored slots (in slot-key order), the registered
 * models and the benchmark's spec. Nothing here depends on arrival order or the clock (except
 * {@code asOf}), so replaying the ledger into a fresh aggregator gives the same leaderboards.
 *
 * <p>This class holds what every view shares: which judge's verdicts count, the post-cutoff and
 * window restrictions, the unparseable counts, the ranking and its stability (Kendall's tau against
 * the ranking some judgments earlier). The formula of each view is its {@link ViewBuilder}, named
 * by its {@link View}.
 *
 * <p>Unparseable verdicts are excluded from every view and counted in {@code metrics.unparseable}; a
 * model's failed evaluation calls are counted in {@code metrics.failed}, and a model with calls and none
 * answered is listed in the snapshot's {@code failing}.
 * Ledger order, where a view needs one (online Elo, the stability tau), is (judgedAt, judgmentId).
 */
public final class Leaderboards {
    /** Ledger order: judgedAt (absent first), then judgmentId. */
    static final Comparator<Slot> LEDGER = Comparator.comparing(
                    Slot::judgedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
            .thenComparing(Slot::judgmentId);

    /**
     * Best first: higher value, then the higher lower bound (the same value on more evidence ranks
     * first; no interval at all last), then modelId so the order is total and stable between snapshots.
     */
    static final Comparator<Row> RANKING = Comparator.comparingDouble(Row::value)
            .reversed()
            .thenComparing(Row::lower, Comparator.nullsLast(Comparator.<Double>reverseOrder()))
            .thenComparing(Row::modelId);

    private Leaderboards() {}

    /**
     * What the views know besides the slots.
     *
     * @param models registered models by id
     * @param spec the benchmark's spec, {@code null} when unregistered (defaults apply)
     * @param tallies how each model's evaluation calls on the benchmark ended, by modelId (rows get
     *     {@code metrics.failed}; models with none answered are listed as failing)
     */
    public record Context(Map<String, ModelSpec> models, BenchmarkSpec spec, Map<String, CallTally> tallies) {
        /** A null tallies map reads as none. */
        public Context {
            tallies = tallies == null ? Map.of() : tallies;
        }

        /** A context without call tallies. */
        public Context(Map<String, ModelSpec> models, BenchmarkSpec spec) {
            this(models, spec, Map.of());
        }

        /** Whether the model is registered as simulated (its rows say so). */
        boolean simulated(String modelId) {
            ModelSpec m = models.get(modelId);
            return m != null && m.simulated();
        }

        /** The spec's weights, or {@code fallback} when it declares none. */
        Map<String, Double> weights(Map<String, Double> fallback) {
            return spec == null
                            || spec.categoryWeights() == null
                            || spec.categoryWeights().isEmpty()
                    ? fallback
                    : spec.categoryWeights();
        }
    }

    /** The snapshot of {@code query} over {@code slots} (one benchmark's, in slot-key order). */
    public static LeaderboardSnapshot build(
            String benchmark, List<Slot> slots, Context ctx, ViewQuery query, Instant asOf) {
        View view = query.effective();
        if (view == View.JUDGE_AGREEMENT) {
            return JudgeAgreementBuilder.snapshot(benchmark, filter(slots, ctx, query), ctx, query, asOf);
        }
        List<Slot> ofKind = slots.stream().filter(s -> s.kind() == view.kind()).toList();
        if (query.anchor() != null && view == View.BT) {
            requireKnown("anchor", query.anchor(), knownAnchors(ofKind, ctx));
        }
        if (query.judge() != null) {
            requireKnown("judge", query.judge(), knownJudges(ofKind, ctx));
        }
        String judge = query.judge() != null ? query.judge() : defaultJudge(ofKind, ctx, view);
        List<Slot> ofJudge =
                ofKind.stream().filter(s -> Objects.equals(s.judgeId(), judge)).toList();
        String version = currentVersion(ofJudge);
        List<Slot> ofVersion = ofJudge.stream()
                .filter(s -> Objects.equals(s.judgeVersion(), version))
                .toList();
        if (query.baseline() != null
                && (view.kind() == JudgmentKind.PAIRWISE || view.kind() == JudgmentKind.PREFERENCE)) {
            requireKnown("baseline", query.baseline(), knownBaselines(ofVersion, ctx));
        }
        String scale = view.kind() == JudgmentKind.SCORE ? currentScale(ofVersion) : null;
        List<Slot> relevant = filter(
                ofVersion.stream()
                        .filter(s -> scale == null || s.unparseable() || scale.equals(s.scale()))
                        .toList(),
                ctx,
                query);
        int k = lengthPenalty(ctx, query, judge);
        ViewBuilder builder = view.builder();
        List<Row> rows = rank(builder.ranking(), rows(builder, benchmark, relevant, ctx, query, k, true));

        Double tau = null;
        if (query.stabilityLag() > 0 && relevant.size() > query.stabilityLag()) {
            List<Row> then =
                    rows(builder, benchmark, withoutLatest(relevant, query.stabilityLag()), ctx, query, k, false);
            double t = KendallTau.tauB(values(rows), values(then));
            tau = Double.isNaN(t) ? null : t;
        }
        return new LeaderboardSnapshot(
                benchmark,
                query.view().wireName(),
                asOf,
                relevant.size(),
                rows,
                query.params(k, judge, version, scale),
                tau,
                (long) query.stabilityLag(),
                failing(ctx, rows));
    }

    /**
     * The models with calls on the benchmark and none answered, by modelId. They have no verdict to
     * rank, and left out they would simply be absent: a dead endpoint must show where users look.
     */
    static List<Failing> failing(Context ctx, List<Row> rows) {
        TreeSet<String> ranked = new TreeSet<>();
        rows.forEach(r -> ranked.add(r.modelId()));
        List<Failing> out = new ArrayList<>();
        new TreeMap<>(ctx.tallies()).forEach((model, t) -> {
            if (t.failing() && !ranked.contains(model)) {
                out.add(new Failing(
                        model, ctx.simulated(model), t.answered(), t.failed(), t.failures(), t.lastError()));
            }
        });
        return out;
    }

    /**
     * The judge a view counts when none is asked for: of the judges with verdicts of the view's kind,
     * the first the benchmark's spec lists (for {@code wb-score} the first with the {@code score}
     * protocol, WildBench's 1–10 grades), else the first by id (for {@code wb-score} the first with
     * scores on 1–10), human labels only when no model judge has verdicts. One judge per view: a mean over an F1 scorer's [0, 1] and a judge model's
     * 1–10, or over two judge models, is no published number.
     */
    static String defaultJudge(List<Slot> ofKind, Context ctx, View view) {
        TreeSet<String> present = new TreeSet<>();
        ofKind.forEach(s -> present.add(s.judgeId()));
        // Human labels (judge-agreement's reference) are a judge only when nothing else judged.
        TreeSet<String> humans = new TreeSet<>();
        ofKind.stream().filter(Slot::human).forEach(s -> humans.add(s.judgeId()));
        if (!humans.containsAll(present)) {
            present.removeAll(humans);
        }
        if (view == View.WB_SCORE) {
            TreeSet<String> onScale = new TreeSet<>();
            ofKind.stream().filter(Slot::onWildBenchScale).forEach(s -> onScale.add(s.judgeId()));
            if (!onScale.isEmpty()) {
                present.retainAll(onScale);
            }
        }
        if (ctx.spec() != null && ctx.spec().judges() != null) {
            for (JudgeSpec j : ctx.spec().judges()) {
                if (present.contains(j.id()) && (view != View.WB_SCORE || j.protocol() == Protocol.SCORE)) {
                    return j.id();
                }
            }
        }
        return present.isEmpty() ? null : present.first();
    }

    /**
     * The judges a view may be asked for: those with verdicts of its kind and those the benchmark's spec
     * declares (a declared judge with no verdicts yet is an empty table, not a mistake).
     */
    static List<String> knownJudges(List<Slot> ofKind, Context ctx) {
        TreeSet<String> known = new TreeSet<>();
        ofKind.stream().map(Slot::judgeId).filter(Objects::nonNull).forEach(known::add);
        if (ctx.spec() != null && ctx.spec().judges() != null) {
            ctx.spec().judges().forEach(j -> known.add(j.id()));
        }
        return List.copyOf(known);
    }

    /**
     * The anchors {@code bt} may be asked for ({@link TalliedViews#requireKnownAnchor}, the same over the tallies): the
     * models of the benchmark's parsed battles, either side, any judge, and the registered ones.
     */
    static List<String> knownAnchors(List<Slot> pairwise, Context ctx) {
        TreeSet<String> known = new TreeSet<>(ctx.models().keySet());
        for (Slot s : pairwise) {
            if (s.unparseable()) {
                continue;
            }
            known.add(s.modelId());
            if (s.baseline() != null) {
                known.add(s.baseline());
            }
        }
        return List.copyOf(known);
    }

    /** The baselines a pairwise view may be asked for: those in its judge's verdicts and those declared. */
    static List<String> knownBaselines(List<Slot> ofVersion, Context ctx) {
        TreeSet<String> known = new TreeSet<>(Rows.baselines(ofVersion, ctx));
        ofVersion.stream().map(Slot::baseline).filter(Objects::nonNull).forEach(known::add);
        if (ctx.spec() != null && ctx.spec().baselines() != null) {
            known.addAll(ctx.spec().baselines());
        }
        return List.copyOf(known);
    }

    private static void requireKnown(String parameter, String value, List<String> known) {
        if (!known.contains(value)) {
            throw new UnknownParameterException(parameter, value, known);
        }
    }

    /**
     * The judge version a view counts: the version of the judge's most recent verdict (judgedAt, then
     * the greater version), so a re-versioned judge takes over its leaderboard as its verdicts arrive and
     * two versions' verdicts (or scales) are never mixed. {@code null} for slots stored before versions.
     */
    static String currentVersion(List<Slot> ofJudge) {
        return ofJudge.stream()
                .max(Comparator.comparing(Slot::judgedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
                        .thenComparing(Slot::judgeVersion, Comparator.nullsFirst(Comparator.<String>naturalOrder())))
                .map(Slot::judgeVersion)
                .orElse(null);
    }

    /**
     * The scale a score view averages on: that of the judge version's most recent parsed score (a judge
     * that declares its scale has only that one; scores of one that does not, say an import mixing 1–10
     * and 0–1, are never averaged together). Unparseable verdicts have no scale and are kept.
     */
    static String currentScale(List<Slot> ofVersion) {
        return ofVersion.stream()
                .filter(s -> s.scale() != null)
                .max(Comparator.comparing(Slot::judgedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
                        .thenComparing(Slot::scale))
                .map(Slot::scale)
                .orElse(null);
    }

    /**
     * {@code slots} without the {@code lag} judged last ({@link #LEDGER} order), the others in the order
     * given (slot-key order: stable and arrival-independent, for seeded resampling). Sorts a copy of the list
     * (stable: of two slots that compare equal the later one counts as judged later), so a million slots cost
     * one sort and an array of references, not a boxed index each.
     */
    static List<Slot> withoutLatest(List<Slot> slots, int lag) {
        List<Slot> byTime = new ArrayList<>(slots);
        byTime.sort(LEDGER);
        // The latest, by instance: the same slot twice in the list drops its later places first.
        Map<Slot, Integer> latest = new IdentityHashMap<>();
        byTime.subList(Math.max(0, byTime.size() - lag), byTime.size()).forEach(s -> latest.merge(s, 1, Integer::sum));
        byTime.clear();
        for (int i = slots.size() - 1; i >= 0; i--) {
            Slot s = slots.get(i);
            if (latest.getOrDefault(s, 0) > 0) {
                latest.merge(s, -1, Integer::sum);
            } else {
                byTime.add(s);
            }
        }
        Collections.reverse(byTime);
        return byTime;
    }

    private static Map<String, Double> values(List<Row> rows) {
        Map<String, Double> v = new TreeMap<>();
        rows.forEach(r -> v.put(r.modelId(), r.value()));
        return v;
    }

    /** Post-cutoff and window restrictions. */
    static List<Slot> filter(List<Slot> slots, Context ctx, ViewQuery query) {
        List<Slot> out = slots;
        if (query.restrictToPostCutoff()) {
            out = out.stream().filter(s -> postCutoff(s, ctx)).toList();
        }
        if (query.window() != null) {
            // Event time: the window ends at the newest item's publishedAt, so a replay sees the same window.
            Instant newest = out.stream()
                    .map(Slot::publishedAt)
                    .filter(Objects::nonNull)
                    .max(Comparator.naturalOrder())
                    .orElse(null);
            if (newest == null) {
                return List.of();
            }
            Instant start = newest.minus(query.window());
            out = out.stream().filter(s -> publishedAfter(s, start)).toList();
        }
        return out;
    }

    /**
     * Whether {@code s}'s item was published after its model's knowledge cutoff (from the day after it). A
     * model that declares no cutoff cannot be shown contamination-free: none of its slots is.
     */
    static boolean postCutoff(Slot s, Context ctx) {
        return postCutoff(s, cutoff(ctx.models(), s.modelId()));
    }

    /** Whether {@code s}'s item was published after {@code cutoff} (from the day after it); never when it is null. */
    static boolean postCutoff(Slot s, LocalDate cutoff) {
        if (cutoff == null || s.publishedAt() == null) {
            return false;
        }
        Instant firstDayAfter = cutoff.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return !s.publishedAt().isBefore(firstDayAfter);
    }

    /** The knowledge cutoff {@code models} give {@code modelId}, {@code null} when it is unregistered or has none. */
    static LocalDate cutoff(Map<String, ModelSpec> models, String modelId) {
        ModelSpec m = models.get(modelId);
        return m == null ? null : m.knowledgeCutoff();
    }

    /** Whether {@code s}'s item was published after {@code start} (a window's). */
    static boolean publishedAfter(Slot s, Instant start) {
        return s.publishedAt() != null && s.publishedAt().isAfter(start);
    }

    /** K: the request's, else the view's judge's, else WildBench's 500. */
    static int lengthPenalty(Context ctx, ViewQuery query, String judge) {
        if (query.k() != null) {
            return query.k();
        }
        if (ctx.spec() != null && ctx.spec().judges() != null) {
            for (JudgeSpec j : ctx.spec().judges()) {
                if (j.id().equals(judge) && j.lengthPenalty() != null) {
                    return j.lengthPenalty();
                }
            }
        }
        return WbReward.DEFAULT_K;
    }

    /**
     * The view's rows over {@code slots}, unranked, each with its model's unparseable verdicts in
     * {@code metrics.unparseable} and no NaN left in its metrics.
     */
    private static List<Row> rows(
            ViewBuilder builder,
            String benchmark,
            List<Slot> slots,
            Context ctx,
            ViewQuery query,
            int k,
            boolean intervals) {
        Map<String, Long> unparseable = new TreeMap<>();
        slots.stream().filter(Slot::unparseable).forEach(s -> unparseable.merge(s.modelId(), 1L, Long::sum));
        List<Row> out = new ArrayList<>();
        for (Row r : builder.rows(new ViewBuilder.Input(benchmark, slots, unparseable, ctx, query, k, intervals))) {
            Map<String, Object> m = new LinkedHashMap<>(r.metrics());
            // A builder that places the count among its own metrics (accuracy) keeps it there.
            m.put("unparseable", unparseable.getOrDefault(r.modelId(), 0L));
            CallTally calls = ctx.tallies().get(r.modelId());
            if (calls != null && calls.failed() > 0) {
                m.put("failed", calls.failed());
            }
            out.add(Rows.with(r, 0, Rows.clean(m)));
        }
        return out;
    }

    /** Sorted best first by the view's {@code order} and numbered from 1. */
    static List<Row> rank(Comparator<Row> order, List<Row> rows) {
        List<Row> sorted = rows.stream().sorted(order).toList();
        List<Row> ranked = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            ranked.add(Rows.with(sorted.get(i), i + 1, sorted.get(i).metrics()));
        }
        return List.copyOf(ranked);
    }
}
