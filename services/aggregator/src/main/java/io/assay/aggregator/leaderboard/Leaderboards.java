package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Battle;
import io.assay.aggregator.stats.Bootstrap;
import io.assay.aggregator.stats.BradleyTerry;
import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.Flips;
import io.assay.aggregator.stats.FormatSpread;
import io.assay.aggregator.stats.KendallTau;
import io.assay.aggregator.stats.OnlineElo;
import io.assay.aggregator.stats.Stats;
import io.assay.aggregator.stats.WbReward;
import io.assay.aggregator.stats.WbScore;
import io.assay.aggregator.stats.Wilson;
import io.assay.aggregator.stats.WinRate;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Protocol;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every view as a pure function of a benchmark's stored slots (in slot-key order), the registered
 * models and the benchmark's spec. Nothing here depends on arrival order or the clock (except
 * {@code asOf}), so replaying the ledger into a fresh aggregator gives the same leaderboards.
 *
 * <p>Unparseable verdicts are excluded from every view and counted in {@code metrics.unparseable}.
 * Ledger order, where a view needs one (online Elo, the stability tau), is (judgedAt, judgmentId).
 */
public final class Leaderboards {
    /** Ledger order: judgedAt (absent first), then judgmentId. */
    static final Comparator<Slot> LEDGER = Comparator.comparing(
                    Slot::judgedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
            .thenComparing(Slot::judgmentId);

    /**
     * Best first: higher value, then the higher lower bound (the same value on more evidence ranks
     * first), then modelId so the order is total and stable between snapshots.
     */
    static final Comparator<Row> RANKING = Comparator.comparingDouble(Row::value)
            .reversed()
            .thenComparing(Comparator.comparingDouble(Row::lower).reversed())
            .thenComparing(Row::modelId);

    private Leaderboards() {}

    /**
     * What the views know besides the slots.
     *
     * @param models registered models by id
     * @param spec the benchmark's spec, {@code null} when unregistered (defaults apply)
     */
    public record Context(Map<String, ModelSpec> models, BenchmarkSpec spec) {
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
        List<Slot> ofKind = slots.stream().filter(s -> s.kind() == view.kind()).toList();
        String judge = query.judge() != null ? query.judge() : defaultJudge(ofKind, ctx, view);
        List<Slot> relevant = filter(
                ofKind.stream().filter(s -> Objects.equals(s.judgeId(), judge)).toList(), ctx, query);
        int k = lengthPenalty(ctx, query, judge);
        List<Row> rows = rank(view, rows(view, relevant, ctx, query, k, true));

        List<Slot> earlier = relevant.stream().sorted(LEDGER).toList();
        Double tau = null;
        if (query.stabilityLag() > 0 && earlier.size() > query.stabilityLag()) {
            List<Slot> before = new ArrayList<>(earlier.subList(0, earlier.size() - query.stabilityLag()));
            before.sort(Comparator.comparing(Leaderboards::order));
            List<Row> then = rows(view, before, ctx, query, k, false);
            double t = KendallTau.tauB(values(rows), values(then));
            tau = Double.isNaN(t) ? null : t;
        }
        return new LeaderboardSnapshot(
                benchmark, query.view().wireName(), asOf, relevant.size(), rows, query.params(k, judge), tau, (long)
                        query.stabilityLag());
    }

    /**
     * The judge a view counts when none is asked for: of the judges with verdicts of the view's kind,
     * the first the benchmark's spec lists (for {@code wb-score} the first with the {@code score}
     * protocol, WildBench's 1–10 grades), else the first by id (for {@code wb-score} the first with
     * scores on 1–10). One judge per view: a mean over an F1 scorer's [0, 1] and a judge model's
     * 1–10, or over two judge models, is no published number.
     */
    static String defaultJudge(List<Slot> ofKind, Context ctx, View view) {
        TreeSet<String> present = new TreeSet<>();
        ofKind.forEach(s -> present.add(s.judgeId()));
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

    /** Restores slot-key order (a stable, arrival-independent order for seeded resampling). */
    private static String order(Slot s) {
        return s.itemId()
                + '|'
                + s.modelId()
                + '|'
                + s.format()
                + '|'
                + s.judgeId()
                + '|'
                + s.baseline()
                + '|'
                + s.judgmentId();
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
            // A model that declares no cutoff cannot be shown contamination-free: it has no row here.
            out = out.stream()
                    .filter(s -> {
                        ModelSpec m = ctx.models().get(s.modelId());
                        if (m == null || m.knowledgeCutoff() == null || s.publishedAt() == null) {
                            return false;
                        }
                        Instant firstDayAfter = m.knowledgeCutoff()
                                .plusDays(1)
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant();
                        return !s.publishedAt().isBefore(firstDayAfter);
                    })
                    .toList();
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
            out = out.stream()
                    .filter(s -> s.publishedAt() != null && s.publishedAt().isAfter(start))
                    .toList();
        }
        return out;
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

    private static List<Row> rows(View view, List<Slot> slots, Context ctx, ViewQuery query, int k, boolean intervals) {
        Map<String, Long> unparseable = new TreeMap<>();
        slots.stream().filter(Slot::unparseable).forEach(s -> unparseable.merge(s.modelId(), 1L, Long::sum));
        List<Slot> usable = slots.stream().filter(s -> !s.unparseable()).toList();
        List<Row> rows = switch (view) {
            case ACCURACY, POST_CUTOFF -> accuracy(slots, ctx, unparseable);
            case SCORE -> score(usable, ctx, intervals);
            case WB_SCORE -> wbScore(usable, ctx, intervals);
            case WB_REWARD -> wbReward(usable, ctx, query, k, intervals);
            case WINRATE -> winRate(usable, ctx, query);
            case BT -> bradleyTerry(usable, ctx, query, intervals);
            case ELO -> elo(usable, ctx);
            case FORMAT_SPREAD -> formatSpread(usable, ctx);
            case REGRESSION -> regression(usable, ctx);
        };
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>(r.metrics());
            m.put("unparseable", unparseable.getOrDefault(r.modelId(), 0L));
            out.add(new Row(
                    0, r.modelId(), r.simulated(), r.value(), r.lower(), r.upper(), r.n(), r.categories(), clean(m)));
        }
        return out;
    }

    // ---- accuracy --------------------------------------------------------------------------------

    /**
     * Accuracy: correct / n per model with the 95% Wilson interval (Wilson 1927), per category, and
     * {@code macro} = Σ w_c·acc_c / Σ w_c with the benchmark's category weights (absent: 1).
     * Unparseable verdicts are left out of n; a model with nothing else still has its row (n = 0).
     */
    private static List<Row> accuracy(List<Slot> slots, Context ctx, Map<String, Long> unparseable) {
        Map<String, Double> weights = ctx.weights(Map.of());
        List<Row> rows = new ArrayList<>();
        byModel(slots).forEach((model, ss) -> {
            Estimate overall = wilson(ss);
            Map<String, Cell> categories = new TreeMap<>();
            Map<String, Double> acc = new TreeMap<>();
            byCategory(ss).forEach((c, cs) -> {
                Estimate e = wilson(cs);
                categories.put(c, cell(e.value(), e.lower(), e.upper(), e.n()));
                acc.put(c, e.value());
            });
            Map<String, Object> m = new LinkedHashMap<>();
            long correct =
                    ss.stream().filter(s -> !s.unparseable() && s.correct()).count();
            m.put("correct", correct);
            m.put("incorrect", overall.n() - correct);
            m.put("unparseable", unparseable.getOrDefault(model, 0L));
            if (!categories.isEmpty()) {
                m.put("macro", Stats.weightedMean(acc, weights, 1.0));
            }
            rows.add(row(
                    model, ctx, overall.value(), overall.lower(), overall.upper(), overall.n(), categories, m, true));
        });
        return rows;
    }

    /** The share of correct verdicts among the parseable ones, with its Wilson interval. */
    private static Estimate wilson(List<Slot> slots) {
        List<Slot> parsed = slots.stream().filter(s -> !s.unparseable()).toList();
        return Wilson.score(parsed.stream().filter(Slot::correct).count(), parsed.size());
    }

    // ---- score -----------------------------------------------------------------------------------

    /**
     * Mean score: the mean over items of each item's mean score (one value per item when there is one
     * variant), with a 95% bootstrap percentile interval over items ({@link Bootstrap}), per category.
     */
    private static List<Row> score(List<Slot> slots, Context ctx, boolean intervals) {
        List<Row> rows = new ArrayList<>();
        byModel(slots).forEach((model, ss) -> {
            double[] items = itemMeans(ss);
            Estimate e = intervals ? Bootstrap.mean(items) : new Estimate(Stats.mean(items), 0, 0, items.length);
            Map<String, Cell> categories = new TreeMap<>();
            byCategory(ss).forEach((c, cs) -> {
                double[] ci = itemMeans(cs);
                Estimate ce = intervals ? Bootstrap.mean(ci) : new Estimate(Stats.mean(ci), 0, 0, ci.length);
                categories.put(c, cell(ce.value(), ce.lower(), ce.upper(), ce.n()));
            });
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mean", e.value());
            m.put("judgments", (long) ss.size());
            rows.add(row(model, ctx, e.value(), e.lower(), e.upper(), e.n(), categories, m, intervals));
        });
        return rows;
    }

    private static double[] itemMeans(List<Slot> slots) {
        Map<String, double[]> sums = new TreeMap<>();
        for (Slot s : slots) {
            double[] acc = sums.computeIfAbsent(s.itemId(), i -> new double[2]);
            acc[0] += s.score();
            acc[1]++;
        }
        return sums.values().stream().mapToDouble(a -> a[0] / a[1]).toArray();
    }

    // ---- WildBench -------------------------------------------------------------------------------

    /**
     * {@link WbScore} over scores on the 1–10 scale (its formula's; other scales have no rows); the
     * interval is the bootstrap interval of the mean score, transformed.
     */
    private static List<Row> wbScore(List<Slot> slots, Context ctx, boolean intervals) {
        Map<String, Double> weights = ctx.weights(WbScore.DEFAULT_WEIGHTS);
        List<Row> rows = new ArrayList<>();
        byModel(slots.stream().filter(Slot::onWildBenchScale).toList()).forEach((model, ss) -> {
            WbScore.Result r = WbScore.of(
                    ss.stream()
                            .map(s -> new WbScore.Scored(s.score(), s.category(), s.truncatedOrEmpty()))
                            .toList(),
                    weights);
            double lower = r.wbScore();
            double upper = r.wbScore();
            if (intervals) {
                Estimate e = Bootstrap.mean(ss.stream().mapToDouble(Slot::score).toArray());
                lower = WbScore.fromMean(e.lower());
                upper = WbScore.fromMean(e.upper());
            }
            Map<String, Cell> categories = new TreeMap<>();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("WB_score", r.wbScore());
            m.put("WB_score.task_macro", r.taskMacro());
            r.perCategory().forEach((c, v) -> {
                categories.put(c, cell(v, v, v, r.categoryCounts().get(c)));
                m.put("WB_score." + c, v);
            });
            rows.add(row(model, ctx, r.wbScore(), lower, upper, r.n(), categories, m, intervals));
        });
        return rows;
    }

    /**
     * {@link WbReward} against every baseline of the benchmark (its spec's baselines, else its judges',
     * else every baseline seen). The headline value is {@code mixture_of_rewards}, or the reward
     * against {@code baseline} when one is asked for; its interval is a seeded bootstrap over items.
     */
    private static List<Row> wbReward(List<Slot> slots, Context ctx, ViewQuery query, int k, boolean intervals) {
        Map<String, Double> weights = ctx.weights(WbScore.DEFAULT_WEIGHTS);
        List<String> baselines = baselines(slots, ctx);
        List<Row> rows = new ArrayList<>();
        byModel(slots).forEach((model, ss) -> {
            Map<String, List<Slot>> byBaseline =
                    ss.stream().collect(Collectors.groupingBy(Slot::baseline, TreeMap::new, Collectors.toList()));
            Map<String, Double> reward = new TreeMap<>();
            Map<String, Double> macro = new TreeMap<>();
            Map<String, Object> counts = new TreeMap<>();
            Map<String, Map<String, Double>> perCategory = new TreeMap<>();
            byBaseline.forEach((b, bs) -> {
                WbReward.Result r = WbReward.of(pairs(bs), k, weights);
                reward.put(b, r.reward());
                if (!Double.isNaN(r.taskMacro())) {
                    macro.put(b, r.taskMacro());
                }
                counts.put(b, counts(r.counts()));
                perCategory.put(b, r.perCategory());
            });
            double mixture = WbReward.mixture(reward, baselines);
            double macroMixture = WbReward.mixture(macro, baselines);
            boolean single = query.baseline() != null;
            double value = single ? reward.getOrDefault(query.baseline(), Double.NaN) : mixture;
            if (Double.isNaN(value)) {
                return;
            }
            double[] bounds = {value, value};
            if (intervals) {
                bounds = rewardInterval(ss, k, weights, single ? List.of(query.baseline()) : baselines);
            }
            Map<String, Cell> categories = new TreeMap<>();
            TreeSet<String> cats = new TreeSet<>();
            perCategory.values().forEach(pc -> cats.addAll(pc.keySet()));
            for (String c : cats) {
                double v;
                if (single) {
                    Double x =
                            perCategory.getOrDefault(query.baseline(), Map.of()).get(c);
                    if (x == null) {
                        continue;
                    }
                    v = x;
                } else {
                    Map<String, Double> byB = new TreeMap<>();
                    perCategory.forEach((b, pc) -> {
                        if (pc.containsKey(c)) {
                            byB.put(b, pc.get(c));
                        }
                    });
                    v = WbReward.mixture(byB, baselines);
                }
                long n = ss.stream().filter(s -> c.equals(s.category())).count();
                categories.put(c, cell(v, v, v, n));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reward", reward);
            m.put("reward.task_macro", macro);
            m.put("mixture_of_rewards", mixture);
            m.put("task_macro_reward", macroMixture);
            m.put("counts", counts);
            m.put("K", k);
            rows.add(row(model, ctx, value, bounds[0], bounds[1], ss.size(), categories, m, intervals));
        });
        return rows;
    }

    private static double[] rewardInterval(List<Slot> ss, int k, Map<String, Double> weights, List<String> baselines) {
        Map<String, List<Slot>> byItem =
                ss.stream().collect(Collectors.groupingBy(Slot::itemId, TreeMap::new, Collectors.toList()));
        List<List<Slot>> items = new ArrayList<>(byItem.values());
        return Bootstrap.interval(items.size(), Bootstrap.RESAMPLES, Bootstrap.SEED, idx -> {
            Map<String, List<WbReward.Pair>> pairs = new TreeMap<>();
            for (int i : idx) {
                for (Slot s : items.get(i)) {
                    pairs.computeIfAbsent(s.baseline(), b -> new ArrayList<>()).add(pair(s));
                }
            }
            Map<String, Double> rewards = new TreeMap<>();
            pairs.forEach((b, ps) -> rewards.put(b, WbReward.of(ps, k, weights).reward()));
            return WbReward.mixture(rewards, baselines);
        });
    }

    private static Map<String, Long> counts(WbReward.Counts c) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put(PairwiseOutcome.MUCH_BETTER.wireName(), c.muchBetter());
        m.put(PairwiseOutcome.BETTER.wireName(), c.better());
        m.put(PairwiseOutcome.TIE.wireName(), c.tie());
        m.put(PairwiseOutcome.WORSE.wireName(), c.worse());
        m.put(PairwiseOutcome.MUCH_WORSE.wireName(), c.muchWorse());
        m.put("total", c.total());
        return m;
    }

    private static List<WbReward.Pair> pairs(List<Slot> slots) {
        return slots.stream().map(Leaderboards::pair).toList();
    }

    private static WbReward.Pair pair(Slot s) {
        return new WbReward.Pair(s.outcome(), s.answerChars(), s.baselineChars(), s.truncatedOrEmpty(), s.category());
    }

    /** The view's baselines: its judge's, else the benchmark's, else every baseline in the slots (sorted). */
    static List<String> baselines(List<Slot> slots, Context ctx) {
        // As the judge pairs them: the judge's baselines, else the benchmark's, in declared order.
        Set<String> declared = new LinkedHashSet<>();
        if (ctx.spec() != null && !slots.isEmpty()) {
            String judge = slots.get(0).judgeId();
            if (ctx.spec().judges() != null) {
                ctx.spec().judges().stream()
                        .filter(j -> j.id().equals(judge) && j.baselines() != null)
                        .forEach(j -> declared.addAll(j.baselines()));
            }
            if (declared.isEmpty() && ctx.spec().baselines() != null) {
                declared.addAll(ctx.spec().baselines());
            }
        }
        if (declared.isEmpty()) {
            slots.stream().map(Slot::baseline).filter(Objects::nonNull).forEach(declared::add);
            return List.copyOf(new TreeSet<>(declared));
        }
        return List.copyOf(declared);
    }

    // ---- AlpacaEval ------------------------------------------------------------------------------

    /**
     * {@link WinRate} against one baseline (the asked one, else the benchmark's first). AlpacaEval
     * publishes a standard error, not an interval: lower/upper are win_rate ∓ 1.96·standard_error,
     * clipped to the win rate's range [0, 100].
     */
    private static List<Row> winRate(List<Slot> slots, Context ctx, ViewQuery query) {
        List<String> baselines = baselines(slots, ctx);
        String baseline = query.baseline() != null ? query.baseline() : baselines.isEmpty() ? null : baselines.get(0);
        List<Slot> against = slots.stream()
                .filter(s -> Objects.equals(s.baseline(), baseline))
                .toList();
        List<Row> rows = new ArrayList<>();
        byModel(against).forEach((model, ss) -> {
            WinRate.Result r = WinRate.of(prefs(ss));
            Map<String, Cell> categories = new TreeMap<>();
            byCategory(ss).forEach((c, cs) -> {
                WinRate.Result cr = WinRate.of(prefs(cs));
                double half = Double.isNaN(cr.standardError()) ? 0 : Wilson.Z_95 * cr.standardError();
                categories.put(
                        c,
                        cell(
                                cr.winRate(),
                                Math.max(0, cr.winRate() - half),
                                Math.min(100, cr.winRate() + half),
                                cr.n()));
            });
            double half = Double.isNaN(r.standardError()) ? 0 : Wilson.Z_95 * r.standardError();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("win_rate", r.winRate());
            m.put("standard_error", r.standardError());
            m.put("n_wins", r.wins());
            m.put("n_wins_base", r.losses());
            m.put("n_draws", r.draws());
            m.put("n_total", r.n());
            m.put("baseline", baseline);
            rows.add(row(
                    model,
                    ctx,
                    r.winRate(),
                    Math.max(0, r.winRate() - half),
                    Math.min(100, r.winRate() + half),
                    r.n(),
                    categories,
                    m,
                    true));
        });
        return rows;
    }

    private static double[] prefs(List<Slot> slots) {
        return slots.stream()
                .mapToDouble(s -> s.preference() == null ? 0.0 : s.preference())
                .toArray();
    }

    // ---- Bradley–Terry and Elo -------------------------------------------------------------------

    private static List<Battle> battles(List<Slot> slots) {
        return slots.stream()
                .filter(s -> s.baseline() != null && !s.baseline().equals(s.modelId()))
                .map(s -> new Battle(
                        s.modelId(),
                        s.baseline(),
                        switch (s.outcome()) {
                            case MUCH_BETTER, BETTER -> 1.0;
                            case TIE -> 0.5;
                            case WORSE, MUCH_WORSE -> 0.0;
                        }))
                .toList();
    }

    /** {@link BradleyTerry} over the pairwise outcomes (model vs baseline); baselines get rows too. */
    private static List<Row> bradleyTerry(List<Slot> slots, Context ctx, ViewQuery query, boolean intervals) {
        List<Battle> battles = battles(slots);
        List<Row> rows = new ArrayList<>();
        if (intervals) {
            BradleyTerry.ratings(battles, query.anchor(), BradleyTerry.RESAMPLES, Bootstrap.SEED)
                    .forEach((model, r) -> rows.add(row(
                            model,
                            ctx,
                            r.rating(),
                            r.lower(),
                            r.upper(),
                            r.battles(),
                            Map.of(),
                            Map.of("rating", r.rating(), "battles", r.battles(), "identified", r.identified()),
                            true)));
        } else {
            BradleyTerry.fit(battles, query.anchor())
                    .forEach((model, r) -> rows.add(row(model, ctx, r, r, r, 0, Map.of(), Map.of(), false)));
        }
        return rows;
    }

    /** {@link OnlineElo} in ledger order; no interval (lower = upper = rating): {@code bt} has them. */
    private static List<Row> elo(List<Slot> slots, Context ctx) {
        List<Slot> ordered = slots.stream().sorted(LEDGER).toList();
        List<Battle> battles = battles(ordered);
        Map<String, Long> counts = new TreeMap<>();
        battles.forEach(b -> {
            counts.merge(b.a(), 1L, Long::sum);
            counts.merge(b.b(), 1L, Long::sum);
        });
        List<Row> rows = new ArrayList<>();
        OnlineElo.ratings(battles)
                .forEach((model, r) -> rows.add(row(
                        model,
                        ctx,
                        r,
                        r,
                        r,
                        counts.get(model),
                        Map.of(),
                        Map.of("rating", r, "battles", counts.get(model)),
                        true)));
        return rows;
    }

    // ---- FormatSpread and regressions ------------------------------------------------------------

    /**
     * {@link FormatSpread} per model: each prompt format a category cell with its Wilson interval;
     * value = mean over formats, lower = min, upper = max.
     */
    private static List<Row> formatSpread(List<Slot> slots, Context ctx) {
        List<Row> rows = new ArrayList<>();
        byModel(slots).forEach((model, ss) -> {
            FormatSpread.Result r = FormatSpread.of(ss.stream()
                    .map(s -> new FormatSpread.Answer(s.format() == null ? Fold.NONE : s.format(), s.correct()))
                    .toList());
            Map<String, Cell> categories = new TreeMap<>();
            r.perFormat().forEach((f, e) -> categories.put(f, cell(e.value(), e.lower(), e.upper(), e.n())));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("min", r.min());
            m.put("max", r.max());
            m.put("mean", r.mean());
            m.put("spread", r.spread());
            m.put("formats", (long) r.perFormat().size());
            rows.add(row(model, ctx, r.mean(), r.min(), r.max(), ss.size(), categories, m, true));
        });
        return rows;
    }

    /**
     * {@link Flips} between each model and its declared {@code previousVersion} on shared slots (same
     * item, prompt format and judge). Value = negative flip rate with its Wilson interval; lower is
     * better.
     */
    private static List<Row> regression(List<Slot> slots, Context ctx) {
        Map<String, Map<String, Boolean>> byModel = new TreeMap<>();
        for (Slot s : slots) {
            byModel.computeIfAbsent(s.modelId(), m -> new TreeMap<>())
                    .putIfAbsent(s.itemId() + '|' + s.format() + '|' + s.judgeId(), s.correct());
        }
        List<Row> rows = new ArrayList<>();
        byModel.forEach((model, now) -> {
            ModelSpec spec = ctx.models().get(model);
            if (spec == null || spec.previousVersion() == null || !byModel.containsKey(spec.previousVersion())) {
                return;
            }
            Flips.Result flips = Flips.between(byModel.get(spec.previousVersion()), now);
            if (flips.shared() == 0) {
                return;
            }
            Estimate neg = flips.negativeInterval();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("previousVersion", spec.previousVersion());
            m.put("shared", flips.shared());
            m.put("negative_flips", flips.negative());
            m.put("positive_flips", flips.positive());
            m.put("negative_flip_rate", flips.negativeRate());
            m.put("positive_flip_rate", flips.positiveRate());
            rows.add(row(model, ctx, neg.value(), neg.lower(), neg.upper(), flips.shared(), Map.of(), m, true));
        });
        return rows;
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static Map<String, List<Slot>> byModel(List<Slot> slots) {
        return slots.stream().collect(Collectors.groupingBy(Slot::modelId, TreeMap::new, Collectors.toList()));
    }

    private static Map<String, List<Slot>> byCategory(List<Slot> slots) {
        return slots.stream()
                .filter(s -> s.category() != null)
                .collect(Collectors.groupingBy(Slot::category, TreeMap::new, Collectors.toList()));
    }

    private static Row row(
            String model,
            Context ctx,
            double value,
            double lower,
            double upper,
            long n,
            Map<String, Cell> categories,
            Map<String, Object> metrics,
            boolean intervals) {
        double lo = intervals && !Double.isNaN(lower) ? lower : value;
        double hi = intervals && !Double.isNaN(upper) ? upper : value;
        return new Row(0, model, ctx.simulated(model), value, lo, hi, n, categories, metrics);
    }

    private static Cell cell(double value, double lower, double upper, long n) {
        return new Cell(value, Double.isNaN(lower) ? value : lower, Double.isNaN(upper) ? value : upper, n);
    }

    /** JSON has no NaN: an undefined figure (a standard error of one value) is published as null. */
    private static Map<String, Object> clean(Map<String, Object> metrics) {
        Map<String, Object> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> out.put(k, v instanceof Double d && (d.isNaN() || d.isInfinite()) ? null : v));
        return out;
    }

    /**
     * Best first by value (lowest first for {@code regression}), then the higher lower bound, then
     * modelId; numbered from 1.
     */
    static List<Row> rank(View view, List<Row> rows) {
        Comparator<Row> order =
                view == View.REGRESSION ? Comparator.comparingDouble(Row::value).thenComparing(Row::modelId) : RANKING;
        List<Row> sorted = rows.stream().sorted(order).toList();
        List<Row> ranked = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            Row r = sorted.get(i);
            ranked.add(new Row(
                    i + 1,
                    r.modelId(),
                    r.simulated(),
                    r.value(),
                    r.lower(),
                    r.upper(),
                    r.n(),
                    r.categories(),
                    r.metrics()));
        }
        return List.copyOf(ranked);
    }
}
