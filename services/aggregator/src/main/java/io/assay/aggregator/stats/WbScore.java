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
 *   <li>{@code WB_score = (mean of all 1–10 scores − 5) · 2 · 10}, the mean (of the exact sum, {@link ExactSum}) over every scored item
 *       of the model, truncated and empty answers included;</li>
 *   <li>{@code WB_score.<category>}: the same over the items in that category, <em>excluding</em>
 *       truncated or empty answers; an item in several categories counts in each
 *       ({@code _create_tables.py} in allenai/WildBench, the score branch: {@code for tag in task_tags});</li>
 *   <li>{@code WB_score.task_macro = Σ w_c·WB_score_c / Σ_all w} ({@link Stats#taskMacro}): the sum over
 *       the categories the model has, divided by the sum of all the benchmark's weights (WildBench's
 *       five, 4.75, by default; line 246 of that file), so a model missing a category loses its share.</li>
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
     * @param categories the item's categories (none: in no category score)
     * @param truncatedOrEmpty the answer was truncated or empty
     */
    public record Scored(double score, List<String> categories, boolean truncatedOrEmpty) {}

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

    /** The scores of one model; {@code weights} names every category of the benchmark ({@link Stats#taskMacro}). */
    public static Result of(List<Scored> scored, Map<String, Double> weights) {
        ExactSum all = new ExactSum();
        Map<String, ExactSum> sums = new TreeMap<>();
        for (Scored s : scored) {
            all.add(s.score(), 1);
            if (s.truncatedOrEmpty()) {
                continue;
            }
            for (String category : s.categories()) {
                sums.computeIfAbsent(category, c -> new ExactSum()).add(s.score(), 1);
            }
        }
        return of(all, sums, weights);
    }

    /**
     * The scores of one model from its sums ({@link ExactSum}, so the means do not depend on the order the
     * scores were added in): of every score, and per category of those neither truncated nor empty.
     */
    public static Result of(ExactSum all, Map<String, ExactSum> perCategorySums, Map<String, Double> weights) {
        Map<String, Double> perCategory = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        new TreeMap<>(perCategorySums).forEach((c, sum) -> {
            perCategory.put(c, fromMean(sum.mean()));
            counts.put(c, sum.count());
        });
        double macro = Stats.taskMacro(perCategory, weights);
        return new Result(fromMean(all.mean()), perCategory, counts, macro, all.count());
    }
}
