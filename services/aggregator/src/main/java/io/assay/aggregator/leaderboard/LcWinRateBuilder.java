package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.LengthControlled;
import io.assay.aggregator.stats.LengthControlled.Pair;
import io.assay.aggregator.stats.WinRate;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code lc-winrate}: AlpacaEval 2's length-controlled win rate against one baseline (the asked one,
 * else the first of the benchmark's), {@link LengthControlled} (Dubois et al. 2024; upstream
 * {@code glm_winrate.py}). Each model's GLM is fitted on its own preference verdicts that carry both
 * answers' lengths; the item's instruction difficulty is the judgments' {@code details.instructionDifficulty}
 * (copied by the judge from the item's {@code metadata.instruction_difficulty}) when every such verdict
 * has it, else it is estimated by the joint fit over every model against the baseline (refused, {@link
 * ViewTooLargeException}, over more than {@link LengthControlled#MAX_ESTIMATED_ITEMS} items). The benchmark's
 * gamed baselines (the baseline's verbose/concise variants, by upstream's naming rule) regularise every
 * fit with weight λ = 0.2 in total. The baseline itself, if judged against itself, is 50 by construction
 * (as upstream). A model with fewer usable verdicts than cross-validation folds (5) has no row.
 * {@code lc_standard_error} as upstream ({@link LengthControlled#lcStandardError}; the baseline's 0, its
 * predictions all 0.5, NaN below two verdicts as pandas'); interval: the delta method's, {@link
 * LengthControlled#interval} (upstream publishes none for LC, and its standard error is not the fit's); none
 * ({@code lower} and {@code upper} null, {@code metrics.separated: true}) for a model every one of whose verdicts
 * prefers it, or the baseline, fully ({@link LengthControlled#separated}).
 *
 * <p><b>Kept fits.</b> A model's fit and interval are a function of its rows (length deltas, labels and γ, in
 * slot order) and the gamed baselines' rows only, so the builder keeps each model's rows with its fit and
 * interval from one computation of a board (benchmark, baseline, judge, filters, with or without intervals) to
 * the next, and fits again only the models whose rows are not the same to the bit, all of them when the gamed
 * baselines' rows changed. A new model, or new verdicts of a few, costs their fits, not every model's; the
 * figures are those of a fit from scratch. Kept within {@link #KEPT_HEAP_SHARE} of the max heap (24 bytes a row),
 * the boards without intervals (a stability tau's) dropped first, then those used longest ago.
 */
final class LcWinRateBuilder implements ViewBuilder {
    /** Boards whose fits are kept, the one used longest ago dropped first. */
    static final int KEPT_BOARDS = 16;
    /**
     * The share of the max heap the kept fits may take: a thirty-second (12 MB in the chart's 384 MiB, about
     * 240,000 preferences in the view's and its stability tau's boards; AlpacaEval's 805 items × 100 models take a
     * third of it). Small, because the slot path's limit leaves the views' working sets and the other caches only
     * what the slots do not take, and a view at that limit computed beside the kept fits must not run out.
     */
    static final double KEPT_HEAP_SHARE = 1.0 / 32;

    private final LinkedHashMap<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true);
    /** Models fitted from scratch since start (for tests). */
    private final AtomicLong fitted = new AtomicLong();
    /** The most bytes the kept fits take. */
    private final long budget;

    /** The view's builder: fits kept within {@link #KEPT_HEAP_SHARE} of the max heap. */
    LcWinRateBuilder() {
        this((long) (Runtime.getRuntime().maxMemory() * KEPT_HEAP_SHARE));
    }

    /** A builder whose kept fits take at most {@code budget} bytes (tests). */
    LcWinRateBuilder(long budget) {
        this.budget = budget;
    }

    /** A board's fits: the gamed baselines' rows they were fitted with, and each model's rows and fit. */
    private record Kept(List<LengthControlled.Standardized> gamed, Map<String, ModelFit> models, boolean intervals) {
        long bytes() {
            long b = 0;
            for (LengthControlled.Standardized g : gamed) {
                b += g.rows().bytes() + 16 + 8L * g.tanh().length;
            }
            for (ModelFit f : models.values()) {
                b += f.rows().bytes() + 200;
            }
            return b;
        }

        boolean sameGamed(List<LengthControlled.Standardized> other) {
            if (other.size() != gamed.size()) {
                return false;
            }
            for (int i = 0; i < gamed.size(); i++) {
                if (!gamed.get(i).rows().sameAs(other.get(i).rows())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** One model's rows, the fit they gave and its interval (NaN without intervals). */
    private record ModelFit(LengthControlled.Rows rows, LengthControlled.Fit fit, double[] bounds) {}

    @Override
    public List<Row> rows(Input in) {
        List<Slot> slots = in.usable();
        List<String> baselines = Rows.baselines(slots, in.ctx());
        String asked = in.query().baseline();
        String baseline = asked != null ? asked : baselines.isEmpty() ? null : baselines.get(0);
        Map<String, List<Slot>> byModel = Rows.byModel(slots.stream()
                .filter(s -> Objects.equals(s.baseline(), baseline))
                .toList());
        // One model's pairs at a time (the gamed baselines' throughout): every model's at once is 36 bytes a
        // verdict on top of the slots, a seventh of the heap at the slot path's limit.
        // looked up once a row (LengthControlled.Rows.of), never iterated: a hash map, not a tree of string compares
        Map<String, Double> given = new HashMap<>();
        boolean allGiven = true;
        for (Map.Entry<String, List<Slot>> e : byModel.entrySet()) {
            if (e.getKey().equals(baseline)) {
                continue;
            }
            for (Slot s : e.getValue()) {
                if (s.answerChars() == null || s.baselineChars() == null) {
                    continue;
                }
                if (s.instructionDifficulty() == null) {
                    allGiven = false;
                } else {
                    given.putIfAbsent(s.itemId(), s.instructionDifficulty());
                }
            }
        }
        Map<String, Double> difficulty = allGiven ? given : estimated(byModel, baseline);
        String source = allGiven ? "metadata" : "estimated";
        Map<String, List<Pair>> gamed = new TreeMap<>();
        byModel.forEach((m, ss) -> {
            List<Pair> ps = LengthControlled.isGamedBaseline(m, baseline) ? pairs(ss) : List.of();
            if (!ps.isEmpty()) {
                gamed.put(m, ps);
            }
        });
        List<LengthControlled.Standardized> gamedRows = LengthControlled.gamed(gamed, difficulty);
        String board = board(in, baseline);
        Kept last;
        synchronized (kept) {
            last = kept.get(board);
        }
        Map<String, ModelFit> before = last != null && last.sameGamed(gamedRows) ? last.models() : Map.of();
        Map<String, ModelFit> now = new HashMap<>();

        List<Row> rows = new ArrayList<>();
        byModel.forEach((model, ss) -> {
            WinRate.Result raw = WinRate.of(
                    ss.stream().mapToDouble(LcWinRateBuilder::preference).toArray());
            WinRateTally.AnswerLengths lengths = new WinRateTally.AnswerLengths();
            ss.forEach(s -> lengths.add(s, 1));
            Map<String, Object> m = new LinkedHashMap<>();
            if (model.equals(baseline)) {
                m.put("length_controlled_winrate", 50.0);
                m.put("lc_standard_error", ss.size() < 2 ? Double.NaN : 0.0);
                rows.add(Rows.row(
                        model,
                        in.ctx(),
                        50.0,
                        50.0,
                        50.0,
                        ss.size(),
                        Map.of(),
                        metrics(m, raw, lengths, baseline),
                        true));
                return;
            }
            List<Pair> ps = pairs(ss);
            LengthControlled.Rows own = LengthControlled.Rows.of(ps, difficulty);
            ModelFit was = before.get(model);
            ModelFit is = was != null && was.rows().sameAs(own) ? was : fit(own, gamedRows, in.intervals());
            if (is != was) {
                fitted.incrementAndGet();
            }
            if (is == null) {
                return;
            }
            now.put(model, is);
            LengthControlled.Fit fit = is.fit();
            double[] bounds = is.bounds();
            m.put("length_controlled_winrate", fit.lcWinRate());
            m.put("lc_standard_error", fit.lcStandardError());
            for (int j = 0; j < LengthControlled.COEFFICIENTS.size(); j++) {
                m.put(LengthControlled.COEFFICIENTS.get(j), fit.theta()[j]);
            }
            m.put("C", fit.c());
            m.put("n_glm", fit.n());
            m.put("n_without_length", ss.size() - ps.size());
            m.put("gamed_baselines", List.copyOf(gamed.keySet()));
            m.put("instruction_difficulty", source);
            boolean separated = LengthControlled.separated(own);
            if (separated) {
                m.put("separated", true);
            }
            rows.add(Rows.row(
                    model,
                    in.ctx(),
                    fit.lcWinRate(),
                    separated ? null : bounds[0],
                    separated ? null : bounds[1],
                    fit.n(),
                    Map.of(),
                    metrics(m, raw, lengths, baseline),
                    in.intervals()));
        });
        keep(board, new Kept(gamedRows, now, in.intervals()));
        return rows;
    }

    /** The bytes the kept fits take (their estimate). */
    long keptBytes() {
        synchronized (kept) {
            return kept.values().stream().mapToLong(Kept::bytes).sum();
        }
    }

    /** The models fitted from scratch since start, none of them a kept fit. */
    long fitted() {
        return fitted.get();
    }

    /** A model's fit and interval from scratch; {@code null} with fewer rows than folds. */
    private static ModelFit fit(
            LengthControlled.Rows own, List<LengthControlled.Standardized> gamed, boolean intervals) {
        LengthControlled.Fit fit = LengthControlled.fit(own, gamed);
        if (fit == null) {
            return null;
        }
        double[] bounds =
                intervals ? LengthControlled.interval(own, gamed, fit) : new double[] {Double.NaN, Double.NaN};
        return new ModelFit(own, fit, bounds);
    }

    /**
     * Keeps {@code fits} as {@code board}'s within the budget: boards without intervals dropped first (a stability
     * tau's, which serves an earlier ranking, not a board anyone reads), then those used longest ago; {@code fits}
     * itself only if it has no intervals.
     */
    private void keep(String board, Kept fits) {
        synchronized (kept) {
            kept.remove(board);
            if (fits.bytes() > budget) {
                return;
            }
            kept.put(board, fits);
            long total = 0;
            for (Kept k : kept.values()) {
                total += k.bytes();
            }
            while (total > budget || kept.size() > KEPT_BOARDS) {
                Map.Entry<String, Kept> victim = null;
                for (Map.Entry<String, Kept> e : kept.entrySet()) {
                    if (!e.getValue().intervals()) {
                        victim = e;
                        break;
                    }
                    if (victim == null && e.getValue() != fits) {
                        victim = e;
                    }
                }
                if (victim == null) {
                    break;
                }
                total -= victim.getValue().bytes();
                kept.remove(victim.getKey());
            }
        }
    }

    /** The board a model's fit belongs to: what chose its slots and whether it has intervals. */
    private static String board(Input in, String baseline) {
        Slot any = in.slots().isEmpty() ? null : in.slots().get(0);
        return String.join(
                "|",
                String.valueOf(in.benchmark()),
                String.valueOf(baseline),
                String.valueOf(any == null ? null : any.judgeId()),
                String.valueOf(in.query().restrictToPostCutoff()),
                String.valueOf(in.query().window()),
                String.valueOf(in.intervals()));
    }

    /**
     * The instruction difficulties estimated jointly over every model's pairs ({@link
     * LengthControlled#estimateDifficulty}); refused above {@link LengthControlled#MAX_ESTIMATED_ITEMS} items.
     */
    private static Map<String, Double> estimated(Map<String, List<Slot>> byModel, String baseline) {
        long items = byModel.entrySet().stream()
                .filter(e -> !e.getKey().equals(baseline))
                .flatMap(e -> e.getValue().stream())
                .filter(s -> s.answerChars() != null && s.baselineChars() != null)
                .map(Slot::itemId)
                .distinct()
                .count();
        if (items > LengthControlled.MAX_ESTIMATED_ITEMS) {
            throw new ViewTooLargeException("lc-winrate estimates the instruction difficulties jointly over every"
                    + " item when the judgments do not carry them, at a cost cubic in the items: this benchmark has "
                    + items + ", more than " + LengthControlled.MAX_ESTIMATED_ITEMS + "; give each item's"
                    + " metadata.instruction_difficulty (AlpacaEval publishes them) and the view answers");
        }
        Map<String, List<Pair>> pairs = new TreeMap<>();
        byModel.forEach((m, ss) -> {
            if (!m.equals(baseline)) {
                pairs.put(m, pairs(ss));
            }
        });
        return LengthControlled.estimateDifficulty(pairs);
    }

    /** A model's verdicts that carry both answers' lengths, in slot order. */
    private static List<Pair> pairs(List<Slot> slots) {
        List<Pair> ps = new ArrayList<>();
        for (Slot s : slots) {
            if (s.answerChars() != null && s.baselineChars() != null) {
                ps.add(new Pair(s.itemId(), preference(s), s.answerChars(), s.baselineChars()));
            }
        }
        return ps;
    }

    /** The raw figures next to the LC ones, under AlpacaEval's names. */
    private static Map<String, Object> metrics(
            Map<String, Object> m, WinRate.Result raw, WinRateTally.AnswerLengths lengths, String baseline) {
        m.put("win_rate", raw.winRate());
        m.put("standard_error", raw.standardError());
        m.put("n_total", raw.n());
        m.put("discrete_win_rate", raw.discreteWinRate());
        lengths.put(m);
        m.put("baseline", baseline);
        return m;
    }

    private static double preference(Slot s) {
        return s.preference() == null ? 0.0 : s.preference();
    }
}
