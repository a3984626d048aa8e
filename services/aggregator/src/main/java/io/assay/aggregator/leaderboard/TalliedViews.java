package io.assay.aggregator.leaderboard;

import io.assay.aggregator.leaderboard.BenchmarkTallies.Entry;
import io.assay.aggregator.leaderboard.BenchmarkTallies.Group;
import io.assay.aggregator.leaderboard.BenchmarkTallies.GroupTally;
import io.assay.aggregator.leaderboard.BenchmarkTallies.ModelTally;
import io.assay.aggregator.leaderboard.BenchmarkTallies.ScoreGroup;
import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.Flips;
import io.assay.aggregator.stats.FormatSpread;
import io.assay.aggregator.stats.KendallTau;
import io.assay.aggregator.stats.Stats;
import io.assay.aggregator.stats.WbScore;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Protocol;
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

/**
 * The views computed from a benchmark's {@link BenchmarkTallies} instead of its slots, each giving
 * exactly the snapshot {@link Leaderboards#build} gives over the same slots (the equality is tested over
 * randomised ledgers):
 *
 * <ul>
 *   <li>{@code accuracy}, {@code format-spread}, {@code score} and {@code wb-score} with the default settings
 *       or a judge;</li>
 *   <li>{@code winrate} with the default settings, a judge or a baseline ({@link PreferenceTallies});</li>
 *   <li>{@code wb-reward} likewise, under the tallies' length penalty K (the aggregator's: WildBench's default
 *       500; another K, asked for or the judge's, is streamed, {@link StreamedViews}; {@link PairwiseTallies});</li>
 *   <li>{@code bt} (any anchor) and {@code elo} with the default settings or a judge ({@link BattleViews});</li>
 *   <li>{@code regression} with the default settings or a judge, from the judge version's {@link FlipCounts}
 *       (per declared pair of models the 2×2 table of their verdicts on shared cases), unless a compared model
 *       has two parsed verdicts on a case or one without an item id (the slot path counts the first in key order)
 *       or its pair was declared after both had verdicts ({@link BenchmarkTallies#declare}: not counted until the
 *       tallies are restored);</li>
 *   <li>{@code position-bias} with the default settings or a judge, from each model's {@link PositionTally};</li>
 *   <li>any view of a kind the benchmark has no verdicts of (an empty table, or only the failing models).</li>
 * </ul>
 *
 * <p>At 1,000,000 judgments of 100 models ({@code assay bench views}, load 7–8): {@code winrate} 21–27 ms,
 * {@code wb-reward} 17–60 ms; {@code position-bias} 1.5–4.5 ms at load 4; {@code regression} (99 declared pairs)
 * 6.1–6.4 ms at load 4–5, where the slot path took 2.5–2.6 s (BENCHMARKS.md, "Views on a long history" and
 * "{@code regression} from the tallies").
 *
 * <p>Not restricted to a window or to post-cutoff items: those filters are defined over time, and {@link
 * StreamedViews} applies them to the slots while it tallies them afresh. Every other view, and any of the
 * above when a slot was stored without a judge id, is empty here and computed from the slots. See
 * docs/aggregation.md, "Incremental views".
 */
public final class TalliedViews {
    private TalliedViews() {}

    /**
     * Refuses a {@code bt} query whose anchor is no model of the benchmark's parsed battles (any judge, either
     * side) and not a registered one ({@link UnknownParameterException}, 400), before any path answers it: {@link
     * io.assay.aggregator.stats.BradleyTerry} ignores an anchor that took part in no battle, so a misspelt one would
     * give the mean-centred board under its name. A registered model without battles yet is known (mean-centred
     * until it has some), as a declared judge without verdicts is. The slot path refuses the same ({@link
     * Leaderboards#knownAnchors}).
     */
    static void requireKnownAnchor(ViewQuery query, BenchmarkTallies tallies, Leaderboards.Context ctx) {
        if (query.anchor() == null || query.effective() != View.BT) {
            return;
        }
        TreeSet<String> known = new TreeSet<>(ctx.models().keySet());
        tallies.battles().values().forEach(t -> known.addAll(t.counts.battles().keySet()));
        if (!known.contains(query.anchor())) {
            throw new UnknownParameterException("anchor", query.anchor(), List.copyOf(known));
        }
    }

    /**
     * Whether {@link #build} may answer {@code query} over {@code tallies}; when false the slots are
     * needed. (For {@code regression} {@link #build} also needs the registered models to decide: which models
     * are compared, whether one of them has an ambiguous case, and whether their pair is tallied.)
     */
    public static boolean answers(BenchmarkTallies tallies, ViewQuery query) {
        View view = query.effective();
        if (view.kind() == null) {
            return false; // judge-agreement compares every kind's slots
        }
        if (tallies.ofKind(view.kind()) == 0) {
            return true;
        }
        return (view == View.ACCURACY
                        || view == View.FORMAT_SPREAD
                        || view == View.REGRESSION
                        || view == View.POSITION_BIAS
                        || view == View.SCORE
                        || view == View.WB_SCORE
                        || view == View.WINRATE
                        || view == View.WB_REWARD && (query.k() == null || query.k() == tallies.lengthPenalty())
                        || BattleViews.answers(query))
                && query.view() == view
                && !query.restrictToPostCutoff()
                && query.window() == null
                && tallies.withoutJudge(view.kind()) == 0;
    }

    /**
     * The snapshot of {@code query}, empty when the slots are needed ({@link #answers}, or the tallies do not keep
     * what it needs); {@code stored} reads the items the tallies do not keep, in the state they are in (the score
     * tau's item means, the regression tau's other models' verdicts on a case).
     */
    public static Optional<LeaderboardSnapshot> build(
            String benchmark,
            BenchmarkTallies tallies,
            ItemSlots stored,
            Leaderboards.Context ctx,
            ViewQuery query,
            Instant asOf) {
        requireKnownAnchor(query, tallies, ctx);
        return build(benchmark, tallies, stored, ctx, query, asOf, null);
    }

    /**
     * {@link #build}, the score views averaging on {@code scale} unless it is {@code null} (then on the
     * tallies' current scale): {@link StreamedViews} tallies only the slots a filter keeps, whose latest
     * scale may not be the whole ledger's, which the slot path averages on.
     */
    static Optional<LeaderboardSnapshot> build(
            String benchmark,
            BenchmarkTallies tallies,
            ItemSlots stored,
            Leaderboards.Context ctx,
            ViewQuery query,
            Instant asOf,
            String scale) {
        if (!answers(tallies, query)) {
            return Optional.empty();
        }
        if (tallies.ofKind(query.effective().kind()) == 0) {
            // The slot path keeps only the view's kind: over none of them it is the same view.
            return Optional.of(Leaderboards.build(benchmark, List.of(), ctx, query, asOf));
        }
        if (query.effective() == View.WB_REWARD) {
            // Empty when the judge's length penalty is not the default K the tallies keep, or their tails
            // do not hold what the view reads of the ledger.
            return tallies.pairwise().wbReward(benchmark, tallies.humanJudges(JudgmentKind.PAIRWISE), ctx, query, asOf);
        }
        if (query.effective() == View.WINRATE) {
            return tallies.preferences()
                    .winRate(benchmark, tallies.humanJudges(JudgmentKind.PREFERENCE), ctx, query, asOf); // likewise
        }
        if (query.effective() == View.SCORE || query.effective() == View.WB_SCORE) {
            return score(benchmark, tallies, stored, ctx, query, asOf, scale);
        }
        if (query.effective() == View.BT || query.effective() == View.ELO) {
            return BattleViews.build(benchmark, tallies, ctx, query, asOf);
        }
        return reference(benchmark, tallies, stored, ctx, query, asOf);
    }

    /**
     * The judge asked for (refused when unknown, as the slot path refuses it), else the default one among the
     * judges of {@code versions}, those with human labels ({@code humans}) left out unless nothing else judged.
     */
    static String judge(Map<String, String> versions, Set<String> humans, Leaderboards.Context ctx, ViewQuery query) {
        if (query.judge() == null) {
            return defaultJudge(modelJudgesFirst(versions.keySet(), humans), ctx);
        }
        TreeSet<String> known = new TreeSet<>(versions.keySet());
        if (ctx.spec() != null && ctx.spec().judges() != null) {
            ctx.spec().judges().forEach(j -> known.add(j.id()));
        }
        if (!known.contains(query.judge())) {
            throw new UnknownParameterException("judge", query.judge(), List.copyOf(known));
        }
        return query.judge();
    }

    /**
     * {@code score} ({@link ScoreBuilder}) and {@code wb-score} ({@link WbScoreBuilder}) from the judge
     * version's {@link ScoreTally}s and {@link WbScoreTally}s on its current scale, or on {@code pinnedScale};
     * empty when the tails do not hold the latest verdicts it reads (the current version or scale, the
     * stability tau's).
     */
    private static Optional<LeaderboardSnapshot> score(
            String benchmark,
            BenchmarkTallies tallies,
            ItemSlots stored,
            Leaderboards.Context ctx,
            ViewQuery query,
            Instant asOf,
            String pinnedScale) {
        if (!tallies.scoreLatestKept()) {
            return Optional.empty(); // a partition lost its latest verdicts to revisions: the slots decide
        }
        boolean wb = query.effective() == View.WB_SCORE;
        Map<String, String> versions = tallies.currentScoreVersions();
        Set<String> humans = tallies.humanJudges(JudgmentKind.SCORE);
        String judge = query.judge() == null && wb
                ? defaultWbJudge(tallies, modelJudgesFirst(versions.keySet(), humans), ctx)
                : judge(versions, humans, ctx, query);
        String version = versions.get(judge);
        ScoreGroup group = versions.containsKey(judge) ? tallies.scores().get(new Group(judge, version)) : null;
        List<Slot> latestScaled =
                group == null || pinnedScale != null ? List.of() : BenchmarkTallies.latestScaled(group);
        if (latestScaled == null) {
            return Optional.empty(); // the tails do not hold the latest scores with a scale
        }
        String scale =
                group == null ? null : pinnedScale != null ? pinnedScale : Leaderboards.currentScale(latestScaled);
        Map<String, ScoreTally> scores = group == null ? Map.of() : group.byScale.getOrDefault(scale, new TreeMap<>());
        Map<String, WbScoreTally> wbScores =
                group == null ? Map.of() : group.wbByScale.getOrDefault(scale, new TreeMap<>());
        Map<String, Long> unparseable = group == null ? Map.of() : group.unparseable;
        long judgments = group == null ? 0 : group.unparseableTotal;
        for (ScoreTally t : scores.values()) {
            judgments += t.judgments();
        }
        List<Row> rows = new ArrayList<>();
        if (wb) {
            Map<String, Double> weights = Rows.macroWeights(
                    group == null
                            ? Set.of()
                            : group.wbCategories
                                    .getOrDefault(scale, new TreeMap<>())
                                    .keySet(),
                    ctx,
                    WbScore.DEFAULT_WEIGHTS);
            wbScores.forEach((model, t) -> rows.add(t.row(model, ctx, weights)));
        } else {
            scores.forEach((model, t) -> rows.add(t.row(model, ctx)));
        }
        List<Row> ranked = Leaderboards.rank(
                query.effective().builder().ranking(),
                rows.stream()
                        .map(r -> {
                            Map<String, Object> m = new LinkedHashMap<>(r.metrics());
                            m.put("unparseable", unparseable.getOrDefault(r.modelId(), 0L));
                            failed(ctx, r.modelId(), m);
                            return Rows.with(r, 0, Rows.clean(m));
                        })
                        .toList());
        Double tau = null;
        if (group != null && query.stabilityLag() > 0 && judgments > query.stabilityLag()) {
            // The lag latest verdicts the view counts (unparseable ones, and scores on its scale) taken away.
            List<Entry> latest =
                    group.ledger.latest(query.stabilityLag(), s -> s.unparseable() || Objects.equals(s.scale(), scale));
            if (latest == null) {
                return Optional.empty(); // a lag longer than the tails keep: from the slots
            }
            Map<String, Double> then = wb ? wbScoresWithout(wbScores, latest) : scoresWithout(scores, latest, stored);
            double t = KendallTau.tauB(values(ranked), then);
            tau = Double.isNaN(t) ? null : t;
        }
        int k = Leaderboards.lengthPenalty(ctx, query, judge);
        return Optional.of(snapshot(
                benchmark,
                ctx,
                query,
                asOf,
                judgments,
                ranked,
                query.params(k, judge, version, scale),
                tau,
                query.stabilityLag()));
    }

    /**
     * Each model's {@code score} without the {@code latest} verdicts: per item they touch, its scores in the row
     * now, read from the store ({@code stored}: the tallies keep no item's scores), and those taken away.
     */
    private static Map<String, Double> scoresWithout(
            Map<String, ScoreTally> scores, List<Entry> latest, ItemSlots stored) {
        // Per model and item: its current scores (read once per item) and those taken away.
        Map<String, Map<String, ScoreTally.Taken>> taken = new HashMap<>();
        for (Entry e : latest) {
            Slot s = e.slot();
            if (s.unparseable()) {
                continue;
            }
            Map<String, ScoreTally.Taken> items = taken.computeIfAbsent(s.modelId(), x -> new HashMap<>());
            ScoreTally.Taken item = items.computeIfAbsent(ScoreTally.item(s), x -> {
                List<Slot> row = BenchmarkTallies.itemScores(s, stored.under(BenchmarkTallies.itemAndModel(e.key())));
                return new ScoreTally.Taken(ScoreTally.scores(row, null), new ArrayList<>());
            });
            item.taken().add(s.score());
        }
        Map<String, Double> then = new TreeMap<>();
        scores.forEach((model, t) -> {
            Collection<ScoreTally.Taken> mine =
                    taken.getOrDefault(model, Map.of()).values();
            long n = mine.stream().mapToLong(x -> x.taken().size()).sum();
            if (t.judgments() > n) {
                then.put(model, t.meanWithout(mine));
            }
        });
        return then;
    }

    /** Each model's {@code wb-score} without the {@code latest} verdicts' scores on WildBench's scale. */
    private static Map<String, Double> wbScoresWithout(Map<String, WbScoreTally> wbScores, List<Entry> latest) {
        Map<String, List<Double>> taken = new HashMap<>();
        for (Entry e : latest) {
            Slot s = e.slot();
            if (!s.unparseable() && s.onWildBenchScale()) {
                taken.computeIfAbsent(s.modelId(), x -> new ArrayList<>()).add(s.score());
            }
        }
        Map<String, Double> then = new TreeMap<>();
        wbScores.forEach((model, t) -> {
            List<Double> mine = taken.getOrDefault(model, List.of());
            if (t.judgments() > mine.size()) {
                then.put(model, t.wbScoreWithout(mine));
            }
        });
        return then;
    }

    /**
     * {@link Leaderboards#defaultJudge} for {@code wb-score}: of the judges {@code present} (those with some
     * score on WildBench's 1–10 scale, if any judge has), the first the spec lists with the {@code score}
     * protocol, else the first by id.
     */
    private static String defaultWbJudge(BenchmarkTallies tallies, TreeSet<String> present, Leaderboards.Context ctx) {
        TreeSet<String> onScale = new TreeSet<>();
        tallies.scores().forEach((g, t) -> {
            if (t.onWildBenchScale > 0) {
                onScale.add(g.judge());
            }
        });
        if (!onScale.isEmpty()) {
            present.retainAll(onScale);
        }
        if (ctx.spec() != null && ctx.spec().judges() != null) {
            for (var j : ctx.spec().judges()) {
                if (present.contains(j.id()) && j.protocol() == Protocol.SCORE) {
                    return j.id();
                }
            }
        }
        return present.isEmpty() ? null : present.first();
    }

    private static Optional<LeaderboardSnapshot> reference(
            String benchmark,
            BenchmarkTallies tallies,
            ItemSlots stored,
            Leaderboards.Context ctx,
            ViewQuery query,
            Instant asOf) {
        if (!tallies.referenceLatestKept()) {
            return Optional.empty(); // a partition lost its latest verdicts to revisions: the slots decide
        }
        Map<String, String> versions = tallies.currentReferenceVersions();
        String judge = judge(versions, tallies.humanJudges(JudgmentKind.CORRECT), ctx, query);
        String version = versions.get(judge);
        GroupTally group = versions.containsKey(judge) ? tallies.reference().get(new Group(judge, version)) : null;
        View view = query.effective();
        int k = Leaderboards.lengthPenalty(ctx, query, judge);
        long judgments = group == null ? 0 : group.ledger.slots();
        List<Row> unranked = group == null
                ? List.of()
                : view == View.REGRESSION
                        ? regressionRows(tallies, group, ctx, Map.of(), null)
                        : rows(view, group, ctx);
        if (unranked == null) {
            // A compared model has two verdicts on a case (the slots decide which counts), or its pair was declared
            // after both had verdicts (the tallies did not pair those).
            return Optional.empty();
        }
        List<Row> rows = Leaderboards.rank(view.builder().ranking(), unranked);
        Double tau = null;
        if (group != null && query.stabilityLag() > 0 && judgments > query.stabilityLag()) {
            List<Entry> latest = group.ledger.latest(query.stabilityLag());
            if (latest == null) {
                return Optional.empty(); // a lag longer than the tallies keep: from the slots
            }
            Map<String, Double> then = view == View.REGRESSION
                    ? regressionEarlier(tallies, group, latest, stored, ctx)
                    : earlier(view, group, latest.stream().map(Entry::slot).toList());
            double t = KendallTau.tauB(values(rows), then);
            tau = Double.isNaN(t) ? null : t;
        }
        return Optional.of(snapshot(
                benchmark,
                ctx,
                query,
                asOf,
                judgments,
                rows,
                query.params(k, judge, version, null),
                tau,
                query.stabilityLag()));
    }

    /**
     * {@link RegressionBuilder#rows} and {@code Leaderboards.rows} from the judge version's {@link FlipCounts}: per
     * model with parsed verdicts whose declared previous version has some, its flips against it, less {@code taken}
     * (per model the parsed verdicts taken away) and {@code takenFlips} (their pairs; {@code null}: none), the
     * stability tau's earlier ranking. {@code null} when a compared model has an ambiguous case ({@link
     * ModelTally#ambiguous}) or its pair is not {@link BenchmarkTallies#tallied} (declared in {@code ctx}, the
     * registry as the reader sees it, but not counted from the first slot as the fold saw it): the slots decide.
     */
    private static List<Row> regressionRows(
            BenchmarkTallies tallies,
            GroupTally group,
            Leaderboards.Context ctx,
            Map<String, Long> taken,
            FlipCounts takenFlips) {
        List<Row> out = new ArrayList<>();
        for (Map.Entry<String, ModelTally> e : group.models.entrySet()) {
            String model = e.getKey();
            ModelTally t = e.getValue();
            ModelSpec spec = ctx.models().get(model);
            String previous = spec == null ? null : spec.previousVersion();
            ModelTally p = previous == null ? null : group.models.get(previous);
            long n = t.overall.n() - taken.getOrDefault(model, 0L);
            if (p == null || n == 0 || p.overall.n() - taken.getOrDefault(previous, 0L) == 0) {
                continue;
            }
            if (t.ambiguous > 0 || p.ambiguous > 0 || !previous.equals(model) && !tallies.tallied(model, previous)) {
                return null;
            }
            Flips.Result flips;
            if (previous.equals(model)) {
                // Its own previous version: every case is shared, none flips.
                flips = new Flips.Result(n, 0, 0);
            } else {
                flips = group.flips.between(previous, model);
                if (takenFlips != null) {
                    Flips.Result gone = takenFlips.between(previous, model);
                    flips = new Flips.Result(
                            flips.shared() - gone.shared(),
                            flips.negative() - gone.negative(),
                            flips.positive() - gone.positive());
                }
            }
            if (flips.shared() == 0) {
                continue;
            }
            Row r = RegressionBuilder.row(model, previous, flips, ctx);
            Map<String, Object> m = new LinkedHashMap<>(r.metrics());
            m.put("unparseable", t.unparseable);
            failed(ctx, model, m);
            out.add(Rows.with(r, 0, Rows.clean(m)));
        }
        return out;
    }

    /**
     * Each model's {@code regression} value without the {@code latest} verdicts (the lag judged last): their pairs
     * with the other models' verdicts on their cases, read from the store ({@code stored}: one prefix scan per
     * item, the tallies keep no case), and among themselves (counted once), taken away.
     */
    private static Map<String, Double> regressionEarlier(
            BenchmarkTallies tallies,
            GroupTally group,
            List<Entry> latest,
            ItemSlots stored,
            Leaderboards.Context ctx) {
        Map<String, Long> taken = new HashMap<>();
        FlipCounts gone = new FlipCounts();
        Map<String, List<Slot>> items = new HashMap<>();
        List<Slot> parsed = new ArrayList<>();
        for (Entry e : latest) {
            Slot s = e.slot();
            if (s.unparseable()) {
                continue;
            }
            taken.merge(s.modelId(), 1L, Long::sum);
            if (s.itemId() == null) {
                continue; // an ambiguous model: no row now, none then
            }
            for (Slot o : items.computeIfAbsent(Fold.itemPrefix(e.key()), stored::under)) {
                if (BenchmarkTallies.sameCase(s, o) && !Objects.equals(o.modelId(), s.modelId())) {
                    gone.add(s.modelId(), s.correct(), o.modelId(), o.correct(), 1);
                }
            }
            // A pair of two verdicts taken away was counted from each side: once is enough.
            for (Slot o : parsed) {
                if (BenchmarkTallies.sameCase(s, o) && !Objects.equals(o.modelId(), s.modelId())) {
                    gone.add(s.modelId(), s.correct(), o.modelId(), o.correct(), -1);
                }
            }
            parsed.add(s);
        }
        List<Row> rows = regressionRows(tallies, group, ctx, taken, gone);
        return rows == null ? Map.of() : values(rows);
    }

    /**
     * The judges a view may default to, as {@link Leaderboards#defaultJudge} has them: those of {@code present}
     * without human labels, or every one when only humans judged.
     */
    private static TreeSet<String> modelJudgesFirst(Set<String> present, Set<String> humans) {
        TreeSet<String> judges = new TreeSet<>(present);
        if (!humans.containsAll(judges)) {
            judges.removeAll(humans);
        }
        return judges;
    }

    /** {@link Leaderboards#defaultJudge} for a view that is not wb-score, of the judges {@code present}. */
    private static String defaultJudge(TreeSet<String> present, Leaderboards.Context ctx) {
        if (ctx.spec() != null && ctx.spec().judges() != null) {
            for (var j : ctx.spec().judges()) {
                if (present.contains(j.id())) {
                    return j.id();
                }
            }
        }
        return present.isEmpty() ? null : present.first();
    }

    private static List<Row> rows(View view, GroupTally group, Leaderboards.Context ctx) {
        return switch (view) {
            case ACCURACY -> accuracyRows(group, ctx);
            case POSITION_BIAS -> positionBiasRows(group, ctx);
            default -> formatSpreadRows(group, ctx);
        };
    }

    /** {@link PositionBiasBuilder#rows} and {@code Leaderboards.rows} from the tallies. */
    private static List<Row> positionBiasRows(GroupTally group, Leaderboards.Context ctx) {
        List<Row> out = new ArrayList<>();
        group.models.forEach((model, t) -> {
            if (t.positions == null) {
                return;
            }
            Row row = t.positions.row(model, ctx, true);
            Map<String, Object> m = new LinkedHashMap<>(row.metrics());
            m.put("unparseable", t.unparseable);
            failed(ctx, model, m);
            out.add(Rows.with(row, 0, Rows.clean(m)));
        });
        return out;
    }

    /** {@link FormatSpreadBuilder#rows} and {@code Leaderboards.rows} from the tallies. */
    private static List<Row> formatSpreadRows(GroupTally group, Leaderboards.Context ctx) {
        List<Row> out = new ArrayList<>();
        group.models.forEach((model, t) -> {
            if (t.overall.n() == 0) {
                return;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unparseable", t.unparseable);
            failed(ctx, model, m);
            Row row = FormatSpreadBuilder.row(model, ctx, FormatSpread.ofCounts(t.formats), t.overall.n(), m);
            out.add(Rows.with(row, 0, Rows.clean(row.metrics())));
        });
        return out;
    }

    static void failed(Leaderboards.Context ctx, String model, Map<String, Object> m) {
        CallTally calls = ctx.tallies().get(model);
        if (calls != null && calls.failed() > 0) {
            m.put("failed", calls.failed());
        }
    }

    /** {@link AccuracyBuilder#rows} and {@code Leaderboards.rows} from the tallies. */
    private static List<Row> accuracyRows(GroupTally group, Leaderboards.Context ctx) {
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
            failed(ctx, model, m);
            Row r = Rows.row(
                    model, ctx, overall.value(), overall.lower(), overall.upper(), overall.n(), categories, m, true);
            out.add(Rows.with(r, 0, Rows.clean(m)));
        });
        return out;
    }

    static Map<String, Double> values(List<Row> rows) {
        Map<String, Double> v = new TreeMap<>();
        rows.forEach(r -> v.put(r.modelId(), r.value()));
        return v;
    }

    /**
     * Each model's value without the {@code latest} verdicts (the lag judged last): the values of the stability tau's
     * earlier ranking (a model left without a row then has none).
     */
    private static Map<String, Double> earlier(View view, GroupTally group, List<Slot> latest) {
        // Per model: slots, parseable, correct taken away (position-bias: placed, parseable, correct); per model
        // and format: correct, n taken away.
        Map<String, long[]> taken = new HashMap<>();
        Map<String, Map<String, long[]>> takenFormats = new HashMap<>();
        for (Slot s : latest) {
            long[] t = taken.computeIfAbsent(s.modelId(), x -> new long[3]);
            t[0]++;
            if (!s.unparseable() && (view != View.POSITION_BIAS || s.correctPosition() != null)) {
                t[1]++;
                t[2] += s.correct() ? 1 : 0;
                long[] f = takenFormats
                        .computeIfAbsent(s.modelId(), x -> new HashMap<>())
                        .computeIfAbsent(s.format() == null ? Fold.NONE : s.format(), x -> new long[2]);
                f[0] += s.correct() ? 1 : 0;
                f[1]++;
            }
        }
        Map<String, Double> v = new TreeMap<>();
        group.models.forEach((model, t) -> {
            long[] minus = taken.getOrDefault(model, new long[3]);
            if (view == View.POSITION_BIAS) {
                long placed = t.positions == null ? 0 : t.positions.n() - minus[1];
                if (placed > 0) {
                    v.put(model, (double) (t.positions.correct() - minus[2]) / placed);
                }
                return;
            }
            long n = t.overall.n() - minus[1];
            if (view == View.ACCURACY) {
                if (t.overall.slots() - minus[0] > 0) {
                    v.put(model, n == 0 ? 0.0 : (double) (t.overall.correct() - minus[2]) / n);
                }
                return;
            }
            if (n == 0) {
                return;
            }
            Map<String, long[]> fm = takenFormats.getOrDefault(model, Map.of());
            Map<String, long[]> formats = new TreeMap<>();
            t.formats.forEach((f, c) -> {
                long[] m = fm.getOrDefault(f, new long[2]);
                if (c[1] - m[1] > 0) {
                    formats.put(f, new long[] {c[0] - m[0], c[1] - m[1]});
                }
            });
            v.put(model, FormatSpread.ofCounts(formats).mean());
        });
        return v;
    }

    /** A tallied view's snapshot: its ranked rows, parameters and stability tau, as the slot path gives them. */
    static LeaderboardSnapshot snapshot(
            String benchmark,
            Leaderboards.Context ctx,
            ViewQuery query,
            Instant asOf,
            long judgments,
            List<Row> ranked,
            Map<String, Object> params,
            Double tau,
            long lag) {
        return new LeaderboardSnapshot(
                benchmark,
                query.view().wireName(),
                asOf,
                judgments,
                ranked,
                params,
                tau,
                lag,
                Leaderboards.failing(ctx, ranked));
    }
}
