package io.assay.aggregator.leaderboard;

import io.assay.contracts.ModelSpec;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The pairs of models the {@code regression} view compares, as the registered model specs declare them: each
 * model and its {@code previousVersion} (a model its own previous version makes no pair: it flips nothing). The
 * fold tallies flips for these pairs only ({@link BenchmarkTallies#replace}): at a reference write of a model it
 * reads its partners' slots on the item ({@link #partners}), and a model without partners costs nothing more.
 * Immutable; the aggregator derives one per registry version, so the tallies tell a change by identity.
 */
public final class DeclaredPairs {
    /** No model declares a previous version. */
    public static final DeclaredPairs NONE = new DeclaredPairs(Map.of());

    /** Per model, its partners (its previous version, the models whose previous version it is) and their pair. */
    private final Map<String, Map<String, Pair>> partners;

    private final Set<Pair> pairs;

    private DeclaredPairs(Map<String, Map<String, Pair>> partners) {
        this.partners = partners;
        Set<Pair> all = new HashSet<>();
        partners.values().forEach(p -> all.addAll(p.values()));
        this.pairs = Collections.unmodifiableSet(all);
    }

    /** The pairs {@code models} (registered specs by id) declare. */
    public static DeclaredPairs of(Map<String, ModelSpec> models) {
        Map<String, Map<String, Pair>> partners = new HashMap<>();
        models.forEach((id, spec) -> {
            String previous = spec.previousVersion();
            if (previous == null || previous.equals(id)) {
                return;
            }
            Pair pair = Pair.of(id, previous);
            partners.computeIfAbsent(id, x -> new HashMap<>()).put(previous, pair);
            partners.computeIfAbsent(previous, x -> new HashMap<>()).put(id, pair);
        });
        return partners.isEmpty() ? NONE : new DeclaredPairs(partners);
    }

    /** The partners of {@code model} (none: an empty map), each with the pair it makes with it. */
    public Map<String, Pair> partners(String model) {
        return partners.getOrDefault(model, Map.of());
    }

    /** Every declared pair. */
    Set<Pair> pairs() {
        return pairs;
    }

    /** Two different models, the lesser id first. */
    public record Pair(String lesser, String greater) {
        /** The pair of {@code a} and {@code b} (different models), in either order. */
        public static Pair of(String a, String b) {
            return a.compareTo(b) < 0 ? new Pair(a, b) : new Pair(b, a);
        }
    }
}
