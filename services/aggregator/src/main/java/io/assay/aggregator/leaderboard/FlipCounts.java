package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Flips;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code regression} view's counts of one judge version ({@link RegressionBuilder}): per unordered pair of
 * models that share a case (item, prompt format; the judge and its version are the group's), the 2×2 table of
 * their parsed verdicts on the cases both answered, the lesser model id first. Each pair of slots of two models
 * on one case counts once, so the table is the slot path's {@link Flips#between} of the two models exactly while
 * neither has two slots on a case ({@link BenchmarkTallies.ModelTally#ambiguous}). Only the pairs the model specs
 * declare are counted ({@link DeclaredPairs}, {@link BenchmarkTallies#declare}). Bounded by the declared pairs, not
 * by the verdicts. Not thread-safe.
 */
final class FlipCounts {
    /** Lesser model id, greater model id, counts by {@code 2·(lesser correct) + (greater correct)}. */
    private final Map<String, Map<String, long[]>> pairs = new HashMap<>();

    /** Adds ({@code sign} 1) or takes away (−1) a case both {@code a} and {@code b} (a different model) answered. */
    void add(String a, boolean aCorrect, String b, boolean bCorrect, int sign) {
        boolean ordered = a.compareTo(b) < 0;
        String lesser = ordered ? a : b;
        String greater = ordered ? b : a;
        int cell = ordered ? index(aCorrect, bCorrect) : index(bCorrect, aCorrect);
        Map<String, long[]> of = pairs.computeIfAbsent(lesser, x -> new HashMap<>());
        long[] counts = of.computeIfAbsent(greater, x -> new long[4]);
        counts[cell] += sign;
        if (counts[0] == 0 && counts[1] == 0 && counts[2] == 0 && counts[3] == 0) {
            of.remove(greater);
            if (of.isEmpty()) {
                pairs.remove(lesser);
            }
        }
    }

    /** The flips from {@code previous} to {@code current} (two different models) on the cases both answered. */
    Flips.Result between(String previous, String current) {
        boolean ordered = previous.compareTo(current) < 0;
        long[] counts =
                pairs.getOrDefault(ordered ? previous : current, Map.of()).get(ordered ? current : previous);
        if (counts == null) {
            return new Flips.Result(0, 0, 0);
        }
        long rightWrong = counts[index(true, false)];
        long wrongRight = counts[index(false, true)];
        long shared = counts[0] + counts[1] + counts[2] + counts[3];
        // Previous right and current wrong is a negative flip.
        return ordered
                ? new Flips.Result(shared, rightWrong, wrongRight)
                : new Flips.Result(shared, wrongRight, rightWrong);
    }

    /** Forgets the pair of {@code lesser} and {@code greater} (no longer declared). */
    void remove(String lesser, String greater) {
        Map<String, long[]> of = pairs.get(lesser);
        if (of != null && of.remove(greater) != null && of.isEmpty()) {
            pairs.remove(lesser);
        }
    }

    /** The pairs kept. */
    int size() {
        int n = 0;
        for (Map<String, long[]> of : pairs.values()) {
            n += of.size();
        }
        return n;
    }

    private static int index(boolean lesserCorrect, boolean greaterCorrect) {
        return (lesserCorrect ? 2 : 0) + (greaterCorrect ? 1 : 0);
    }
}
