package io.assay.judge.pairing;

import io.assay.contracts.Ids;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.LeaderboardSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which stored answers an arriving answer is judged against, by a pairwise or preference judge's
 * {@link JudgeSpec.Pairing} policy. Plain Java: the judge asks it for every answer, and the benchmark
 * {@code AdaptivePairingBenchmark} drives the same code on simulated truth.
 *
 * <ul>
 *   <li>{@code baselines} (the default, WildBench's protocol): the answer as the subject against each
 *       baseline's answer; a baseline's answer also as the baseline of every other answer.</li>
 *   <li>{@code adaptive}: when the latest {@code bt} leaderboard gives the answer's model an interval, the
 *       answer is paired with at most {@code opponents} of the other answers whose model's interval
 *       overlaps it (bounds inclusive) or who has no interval yet (a model the snapshot does not rate is
 *       as uncertain as can be). Among those the opponents are drawn by SHA-256 of item, variant and the
 *       two models (deterministic, different on every item). A pair whose intervals are disjoint is
 *       already ordered and is not judged again. An answer whose model has no interval (no snapshot, a
 *       new model, a model the battles do not identify) is paired as under {@code baselines}.</li>
 * </ul>
 *
 * <p>What it follows: the overlap rule is Heckel et al. 2019 ("Active ranking from pairwise comparisons
 * and when parametric assumptions do not help", Ann. Statist. 47(6), the Active Ranking algorithm:
 * keep comparing an item until its confidence interval separates from the others', uniformly among the
 * ones still active), with Bradley–Terry bootstrap intervals (Chatbot Arena, Chiang et al. 2024 §4)
 * instead of Borda-score intervals; Chatbot Arena's own active sampling (Chiang et al. 2024 §5) weighs
 * pairs by the expected shrinkage of their interval instead. Quirks: the decision is taken once per pair
 * of answers on an item, when the second of the two arrives, from whatever snapshot is then in force;
 * the first answer to an item has nobody to meet, so it waits for the others to choose it.
 *
 * <p>In an adaptive pair a declared baseline is always the baseline side, else the model whose id sorts
 * last: the orientation does not depend on which answer arrived first, so a redelivered answer finds its
 * ballot ({@code LlmJudging.ballotId}) and asks nothing again.
 */
public final class PairingPolicy {
    /** The leaderboard view whose intervals the adaptive policy reads. */
    public static final String VIEW = "bt";

    private PairingPolicy() {}

    /**
     * Two answers' models, as a ballot judges them.
     *
     * @param subject the model whose answer is judged
     * @param baseline the model whose answer it is judged against
     */
    public record Pair(String subject, String baseline) {}

    /**
     * The pairs to judge for an arriving answer, in a deterministic order.
     *
     * @param pairing the judge's pairing, {@code null} for the default
     * @param baselines the judge's baselines, else the benchmark's
     * @param itemKey the item ({@code benchmark/itemId})
     * @param variant the answers' prompt variant
     * @param model the arriving answer's model
     * @param present the models with a stored answer to the same item revision and variant, in store order
     *     ({@code model} itself is ignored)
     * @param bt the latest {@code bt} leaderboard of the benchmark, if any
     */
    public static List<Pair> pairs(
            JudgeSpec.Pairing pairing,
            Collection<String> baselines,
            String itemKey,
            String variant,
            String model,
            List<String> present,
            Optional<LeaderboardSnapshot> bt) {
        List<String> others =
                present.stream().filter(m -> !m.equals(model)).distinct().toList();
        Map<String, LeaderboardSnapshot.Row> rated = new HashMap<>();
        if (pairing != null && pairing.adaptive()) {
            bt.ifPresent(s -> s.rows().stream()
                    .filter(r -> r.lower() != null || r.upper() != null)
                    .forEach(r -> rated.put(r.modelId(), r)));
        }
        LeaderboardSnapshot.Row own = rated.get(model);
        if (own == null) {
            return againstBaselines(baselines, model, others);
        }
        List<String> open = others.stream()
                .filter(o -> !rated.containsKey(o) || overlap(own, rated.get(o)))
                .sorted(Comparator.comparing((String o) -> Ids.hash("pairing", itemKey, variant, model, o))
                        .thenComparing(Comparator.naturalOrder()))
                .limit(pairing.opponentsOrDefault())
                .toList();
        List<Pair> pairs = new ArrayList<>();
        for (String o : open) {
            pairs.add(oriented(model, o, baselines));
        }
        return pairs;
    }

    /** Each baseline's answer for the subject; a baseline's answer as the baseline of every other. */
    private static List<Pair> againstBaselines(Collection<String> baselines, String model, List<String> others) {
        List<Pair> pairs = new ArrayList<>();
        for (String b : baselines) {
            if (!b.equals(model) && others.contains(b)) {
                pairs.add(new Pair(model, b));
            }
        }
        if (baselines.contains(model)) {
            for (String o : others) {
                pairs.add(new Pair(o, model));
            }
        }
        return pairs;
    }

    /**
     * Whether two 95% intervals share a point (a touching bound counts: the order is not settled); a missing bound
     * is unbounded on its side ({@code bt}: the model was off to that side in more than 2.5% of the resamples).
     */
    static boolean overlap(LeaderboardSnapshot.Row a, LeaderboardSnapshot.Row b) {
        return lower(a) <= upper(b) && lower(b) <= upper(a);
    }

    private static double lower(LeaderboardSnapshot.Row r) {
        return r.lower() == null ? Double.NEGATIVE_INFINITY : r.lower();
    }

    private static double upper(LeaderboardSnapshot.Row r) {
        return r.upper() == null ? Double.POSITIVE_INFINITY : r.upper();
    }

    /** A declared baseline as the baseline side, else the model whose id sorts last. */
    private static Pair oriented(String a, String b, Collection<String> baselines) {
        boolean aBase = baselines.contains(a);
        boolean bBase = baselines.contains(b);
        if (aBase != bBase) {
            return aBase ? new Pair(b, a) : new Pair(a, b);
        }
        return a.compareTo(b) < 0 ? new Pair(a, b) : new Pair(b, a);
    }
}
