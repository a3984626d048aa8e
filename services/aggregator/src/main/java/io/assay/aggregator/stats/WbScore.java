package io.assay.aggregator.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * WildBench's WB-Score (Lin et al. 2024, <i>WildBench: Benchmarking LLMs with Challenging Tasks
 * from Real Users in the Wild</i>, §3.3; the leaderboard's {@code WB_score} columns):
 *
 * <ul>
 *   <li>{@code WB_score = (mean of all 1–10 scores − 5) · 2 · 10}, the mean over every scored item
 *       of the model, truncated and empty answers included;</li>
 *   <li>{@code WB_score.<category>}: the same over that category's items, <em>excluding</em>
 *       truncated or empty answers;</li>
 *   <li>{@code WB_score.task_macro = Σ w_c·WB_score_c / Σ w_c} over the categories the model has,
 *       with the benchmark's category weights ({@link #DEFAULT_WEIGHTS} when it declares none; a
 *       category without a weight weighs 1).</li>
 * </ul>
 */
public final class WbScore {
    /** WildBench's task weights for the task-macro average. */
    public static final Map<String, Double> DEFAULT_WEIGHTS = Map.of(
            "Creative Tasks", 0.5,
            "Planning & Reasoning", 1.25,
            "Math & Data Analysis", 1.0,
            "Information/Advice seeking", 0.75,
            "Coding & Debugging", 1.25);

    private WbScore() {}

    /**
     * One scored answer.
     *
     * @param score the 1–10 score
     * @param category the item's category, {@code null} for none
     * @param truncatedOrEmpty the answer was truncated or empty
     */
    public record Scored(double score, String category, boolean truncatedOrEmpty) {}

    /**
     * A model's WB scores.
     *
     * @param wbScore {@code WB_score}
     * @param perCategory {@code WB_score.<category>} with the items counted in each
     * @param categoryCounts items behind each category score
     * @param taskMacro {@code WB_score.task_macro}
     * @param n scored items
     */
    public record Result(
            double wbScore,
            Map<String, Double> perCategory,
            Map<String, Long> categoryCounts,
            double taskMacro,
            long n) {}

    /** {@code (mean − 5) · 2 · 10}. */
    public static double fromMean(double mean) {
        return (mean - 5.0) * 2.0 * 10.0;
    }

    /** The scores of one model. */
    public static Result of(List<Scored> scored, Map<String, Double> weights) {
        double[] all = scored.stream().mapToDouble(Scored::score).toArray();
        Map<String, double[]> sums = new TreeMap<>();
        for (Scored s : scored) {
            if (s.category() == null || s.truncatedOrEmpty()) {
                continue;
            }
            double[] acc = sums.computeIfAbsent(s.category(), c -> new double[2]);
            acc[0] += s.score();
            acc[1]++;
        }
        Map<String, Double> perCategory = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        sums.forEach((c, acc) -> {
            perCategory.put(c, fromMean(acc[0] / acc[1]));
            counts.put(c, (long) acc[1]);
        });
        double macro = Stats.weightedMean(perCategory, weights, 1.0);
        return new Result(
                all.length == 0 ? Double.NaN : fromMean(Stats.mean(all)), perCategory, counts, macro, all.length);
    }
}
