package io.assay.aggregator.stats;

import io.assay.contracts.PairwiseOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * WildBench's WB-Reward (Lin et al. 2024, §3.2; {@code reward}, {@code mixture_of_rewards} and
 * {@code task_macro_reward} in the WildBench leaderboard), for one model against one baseline:
 *
 * <pre>
 * reward = 100 · (much_better + 0.5·better − 0.5·worse − much_worse) / total
 * </pre>
 *
 * <ul>
 *   <li>{@code total} counts every judged pair of the model and baseline; a pair in which either
 *       answer is truncated or empty falls in no bucket but stays in {@code total};</li>
 *   <li>length penalty K: a {@code better} or {@code worse} (never a {@code much_*}) becomes a tie
 *       when the winning answer is longer than the losing one by more than K characters, counted in
 *       Unicode code points ({@link #length}); K = −1 disables it;</li>
 *   <li>per category the same sum divided by that category's <em>bucketed</em> count (pairs that
 *       fell in a bucket; an item in several categories counts in each), and
 *       {@code task_macro_reward = Σ w_c·reward_c / Σ_all w} ({@link Stats#taskMacro}: divided by the sum of
 *       all the benchmark's weights, WildBench's 4.75 by default: {@code _create_tables.py} line 205 in
 *       allenai/WildBench);</li>
 *   <li>{@link #mixture}: the mean over the benchmark's baselines, a missing baseline counting 0.</li>
 * </ul>
 */
public final class WbReward {
    /** WildBench's default length penalty K. */
    public static final int DEFAULT_K = 500;

    private WbReward() {}

    /**
     * One judged pair.
     *
     * @param outcome from the model's side
     * @param answerChars the model's answer length in code points, {@code null} if unknown
     * @param baselineChars the baseline's answer length in code points, {@code null} if unknown
     * @param truncatedOrEmpty either answer was truncated or empty
     * @param categories the item's categories (none: in no category reward)
     */
    public record Pair(
            PairwiseOutcome outcome,
            Integer answerChars,
            Integer baselineChars,
            boolean truncatedOrEmpty,
            List<String> categories) {}

    /**
     * The buckets of a model against a baseline.
     *
     * @param muchBetter pairs in {@code much_better}
     * @param better pairs in {@code better} after the length penalty
     * @param tie pairs in {@code tie} (incl. those the penalty moved)
     * @param worse pairs in {@code worse} after the length penalty
     * @param muchWorse pairs in {@code much_worse}
     * @param total every judged pair, bucketed or not
     */
    public record Counts(long muchBetter, long better, long tie, long worse, long muchWorse, long total) {
        /** Pairs that fell in a bucket. */
        public long bucketed() {
            return muchBetter + better + tie + worse + muchWorse;
        }

        /** The reward sum's numerator ×100 divided by {@code denominator}. */
        double reward(long denominator) {
            return denominator == 0 ? 0.0 : 100.0 * (muchBetter + 0.5 * better - 0.5 * worse - muchWorse) / denominator;
        }
    }

    /**
     * The reward of a model against one baseline.
     *
     * @param reward {@code reward}
     * @param counts the buckets
     * @param perCategory reward per category (denominator: the category's bucketed count)
     * @param taskMacro {@code task_macro_reward} against this baseline
     */
    public record Result(double reward, Counts counts, Map<String, Double> perCategory, double taskMacro) {}

    /** The length of a text in Unicode code points, the unit of K (an emoji is 1, not 2 UTF-16 units). */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /** The outcome after the length penalty K (−1 disables). */
    public static PairwiseOutcome penalized(
            PairwiseOutcome outcome, Integer answerChars, Integer baselineChars, int k) {
        if (k < 0 || answerChars == null || baselineChars == null) {
            return outcome;
        }
        if (outcome == PairwiseOutcome.BETTER && answerChars - baselineChars > k) {
            return PairwiseOutcome.TIE;
        }
        if (outcome == PairwiseOutcome.WORSE && baselineChars - answerChars > k) {
            return PairwiseOutcome.TIE;
        }
        return outcome;
    }

    /** The reward of one model against one baseline over {@code pairs}. */
    public static Result of(List<Pair> pairs, int k, Map<String, Double> weights) {
        Map<String, List<Pair>> byCategory = new TreeMap<>();
        for (Pair p : pairs) {
            for (String category : p.categories()) {
                byCategory.computeIfAbsent(category, c -> new ArrayList<>()).add(p);
            }
        }
        Map<String, Counts> perCategory = new TreeMap<>();
        byCategory.forEach((c, ps) -> perCategory.put(c, count(ps, k)));
        return of(count(pairs, k), perCategory, weights);
    }

    /**
     * The reward of one model against one baseline from its buckets: {@code all} of its pairs' and, per
     * category (in the order given), those of the category's pairs.
     */
    public static Result of(Counts all, Map<String, Counts> perCategory, Map<String, Double> weights) {
        Map<String, Double> rewards = new LinkedHashMap<>();
        perCategory.forEach((c, counts) -> {
            if (counts.bucketed() > 0) {
                rewards.put(c, counts.reward(counts.bucketed()));
            }
        });
        return new Result(all.reward(all.total()), all, rewards, Stats.taskMacro(rewards, weights));
    }

    /** The buckets of {@code pairs} under length penalty {@code k}. */
    public static Counts count(List<Pair> pairs, int k) {
        long[] c = new long[PairwiseOutcome.values().length];
        for (Pair p : pairs) {
            if (p.truncatedOrEmpty()) {
                continue;
            }
            c[penalized(p.outcome(), p.answerChars(), p.baselineChars(), k).ordinal()]++;
        }
        return new Counts(
                c[PairwiseOutcome.MUCH_BETTER.ordinal()],
                c[PairwiseOutcome.BETTER.ordinal()],
                c[PairwiseOutcome.TIE.ordinal()],
                c[PairwiseOutcome.WORSE.ordinal()],
                c[PairwiseOutcome.MUCH_WORSE.ordinal()],
                pairs.size());
    }

    /** The mean over {@code baselines} of {@code values}, a baseline without a value counting 0. */
    public static double mixture(Map<String, Double> values, List<String> baselines) {
        if (baselines.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (String b : baselines) {
            Double v = values.get(b);
            sum += v == null || v.isNaN() ? 0.0 : v;
        }
        return sum / baselines.size();
    }
}
