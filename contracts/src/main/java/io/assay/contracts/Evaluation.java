package io.assay.contracts;

import java.util.List;
import java.util.Locale;

/**
 * Which models a benchmark's new items are sent to (issue 17: evaluate more for less). {@code all} (the default,
 * and what an absent policy means): every registered model that evaluates the benchmark. {@code anchors}: the
 * {@code anchors} on every new item, every other model on a deterministic {@code share} of them (default 1/3),
 * so every model keeps a fair sample for the aggregator's {@code irt} fit, which predicts the rest. A model's
 * share is drawn from SHA-256 of benchmark, item and model ({@link Ids#hash}), so every replica and replay
 * agrees; back-fills (a newly registered model, a new variant) are not sampled: a new model needs its history.
 *
 * <p>The anchors are named ({@code anchors}) or chosen by the prompt generator ({@code anchorCount}, when no
 * anchor is named): that many models evenly spread over the latest {@code irt} ranking ({@link #spread}), and
 * every model without an ability yet. Why spread: docs/aggregation.md, "Anchors chosen for information".
 *
 * @param policy {@code all} or {@code anchors}
 * @param anchors the models asked on every new item under {@code anchors}
 * @param share the fraction of new items every other model is asked, in [0, 1]; absent: 1/3
 * @param anchorCount under {@code anchors} with no anchor named: how many the prompt generator chooses;
 *     absent (and no anchors named): none, every model is asked its share
 */
public record Evaluation(String policy, List<String> anchors, Double share, Integer anchorCount) {
    /** Every model on every item. */
    public static final String ALL = "all";
    /** Anchors on every item, the others on a share. */
    public static final String ANCHORS = "anchors";
    /** The share of an {@code anchors} policy that declares none. */
    public static final double DEFAULT_SHARE = 1.0 / 3;

    /** Whether the policy is {@code anchors} (anything else, absent included, is {@code all}). */
    public boolean sampled() {
        return policy != null && ANCHORS.equals(policy.toLowerCase(Locale.ROOT));
    }

    /** Whether the prompt generator chooses the anchors: {@code anchors}, none named, an {@code anchorCount}. */
    public boolean choosesAnchors() {
        return sampled() && (anchors == null || anchors.isEmpty()) && anchorCount != null && anchorCount > 0;
    }

    /** This policy with {@code chosen} as its anchors. */
    public Evaluation withAnchors(List<String> chosen) {
        return new Evaluation(policy, List.copyOf(chosen), share, anchorCount);
    }

    /**
     * {@code count} of the {@code ranked} models evenly spread over the ranking, best and worst included:
     * those at positions round(j (n − 1) / (count − 1)), j = 0 … count − 1 (the middle one, n / 2, for a
     * count of 1), in ranking order; all of them when {@code count} ≥ n. Seven ranked models and a count of
     * 3 give positions 0, 3 and 6.
     */
    public static List<String> spread(List<String> ranked, int count) {
        int n = ranked.size();
        if (count >= n) {
            return List.copyOf(ranked);
        }
        if (count <= 0) {
            return List.of();
        }
        if (count == 1) {
            return List.of(ranked.get(n / 2));
        }
        List<String> chosen = new java.util.ArrayList<>();
        for (int j = 0; j < count; j++) {
            chosen.add(ranked.get((int) Math.round((double) j * (n - 1) / (count - 1))));
        }
        return List.copyOf(chosen);
    }

    /** The share in force. */
    public double shareOrDefault() {
        return share == null ? DEFAULT_SHARE : Math.max(0, Math.min(1, share));
    }

    /** Whether {@code model} is asked {@code item} of {@code benchmark} when the item is new. */
    public boolean asks(String benchmark, String item, String model) {
        if (!sampled() || (anchors != null && anchors.contains(model))) {
            return true;
        }
        return draw(benchmark, item, model) < shareOrDefault();
    }

    /** Whether {@code model} is asked a new item under {@code evaluation} ({@code null}: {@code all}). */
    public static boolean asks(Evaluation evaluation, String benchmark, String item, String model) {
        return evaluation == null || evaluation.asks(benchmark, item, model);
    }

    /** A uniform draw in [0, 1) from the first 52 bits of SHA-256 of the three ids. */
    static double draw(String benchmark, String item, String model) {
        long bits = Long.parseUnsignedLong(
                Ids.hash("evaluation", benchmark, item, model).substring(0, 13), 16);
        return bits / (double) (1L << 52);
    }
}
