package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Bootstrap;
import io.assay.aggregator.stats.LengthControlled;
import io.assay.aggregator.stats.LengthControlled.Pair;
import io.assay.aggregator.stats.WinRate;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
 * Interval: the bootstrap of {@link LengthControlled#interval} (upstream publishes none for LC).
 */
final class LcWinRateBuilder implements ViewBuilder {

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
        Map<String, Double> given = new TreeMap<>();
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

        List<Row> rows = new ArrayList<>();
        byModel.forEach((model, ss) -> {
            WinRate.Result raw = WinRate.of(
                    ss.stream().mapToDouble(LcWinRateBuilder::preference).toArray());
            Map<String, Object> m = new LinkedHashMap<>();
            if (model.equals(baseline)) {
                m.put("length_controlled_winrate", 50.0);
                rows.add(Rows.row(
                        model, in.ctx(), 50.0, 50.0, 50.0, ss.size(), Map.of(), metrics(m, raw, baseline), true));
                return;
            }
            List<Pair> ps = pairs(ss);
            LengthControlled.Fit fit = LengthControlled.fit(ps, gamed, difficulty);
            if (fit == null) {
                return;
            }
            double[] bounds = in.intervals()
                    ? LengthControlled.interval(ps, gamed, difficulty, fit, Bootstrap.RESAMPLES, Bootstrap.SEED)
                    : new double[] {Double.NaN, Double.NaN};
            m.put("length_controlled_winrate", fit.lcWinRate());
            for (int j = 0; j < LengthControlled.COEFFICIENTS.size(); j++) {
                m.put(LengthControlled.COEFFICIENTS.get(j), fit.theta()[j]);
            }
            m.put("C", fit.c());
            m.put("n_glm", fit.n());
            m.put("n_without_length", ss.size() - ps.size());
            m.put("gamed_baselines", List.copyOf(gamed.keySet()));
            m.put("instruction_difficulty", source);
            rows.add(Rows.row(
                    model,
                    in.ctx(),
                    fit.lcWinRate(),
                    bounds[0],
                    bounds[1],
                    fit.n(),
                    Map.of(),
                    metrics(m, raw, baseline),
                    in.intervals()));
        });
        return rows;
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
    private static Map<String, Object> metrics(Map<String, Object> m, WinRate.Result raw, String baseline) {
        m.put("win_rate", raw.winRate());
        m.put("standard_error", raw.standardError());
        m.put("n_total", raw.n());
        m.put("baseline", baseline);
        return m;
    }

    private static double preference(Slot s) {
        return s.preference() == null ? 0.0 : s.preference();
    }
}
