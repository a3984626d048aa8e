package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Estimate;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/** What the view builders share: grouping slots, making rows and cells, and the pairs they compare. */
final class Rows {
    private Rows() {}

    /** The slots of each model, by modelId. */
    static Map<String, List<Slot>> byModel(List<Slot> slots) {
        return slots.stream().collect(Collectors.groupingBy(Slot::modelId, TreeMap::new, Collectors.toList()));
    }

    /** The slots of each category, by name; a slot is in each of its categories, one without any in none. */
    static Map<String, List<Slot>> byCategory(List<Slot> slots) {
        Map<String, List<Slot>> out = new TreeMap<>();
        for (Slot s : slots) {
            for (String c : s.categoriesOrSingle()) {
                out.computeIfAbsent(c, x -> new ArrayList<>()).add(s);
            }
        }
        return out;
    }

    /**
     * The weights of WildBench's task-macro figures ({@link io.assay.aggregator.stats.Stats#taskMacro}):
     * the benchmark's declared weights; without any, WildBench's five when every category in
     * {@code slots} is one of them, else weight 1 for each category in {@code slots}; either way a
     * category in {@code slots} that is not declared weighs 1. Every model's figure divides by the
     * same sum.
     */
    static Map<String, Double> macroWeights(List<Slot> slots, Leaderboards.Context ctx, Map<String, Double> wildBench) {
        Set<String> seen = new TreeSet<>();
        slots.forEach(s -> seen.addAll(s.categoriesOrSingle()));
        return macroWeights(seen, ctx, wildBench);
    }

    /** {@link #macroWeights(List, Leaderboards.Context, Map)} of the categories {@code seen} in the slots. */
    static Map<String, Double> macroWeights(Set<String> seen, Leaderboards.Context ctx, Map<String, Double> wildBench) {
        Map<String, Double> declared = ctx.weights(Map.of());
        if (declared.isEmpty() && wildBench.keySet().containsAll(seen)) {
            declared = wildBench;
        }
        Map<String, Double> out = new TreeMap<>(declared);
        seen.forEach(c -> out.putIfAbsent(c, 1.0));
        return out;
    }

    /**
     * An unranked row; without intervals (an earlier ranking's board, which publishes none) the bounds are the
     * value. A {@code null} or undefined (NaN) bound is null: the data identify no interval (a Bradley–Terry
     * rating that is not a finite MLE, {@code elo}), which a bound equal to the value would hide.
     */
    static Row row(
            String model,
            Leaderboards.Context ctx,
            double value,
            Double lower,
            Double upper,
            long n,
            Map<String, Cell> categories,
            Map<String, Object> metrics,
            boolean intervals) {
        return new Row(
                0,
                model,
                ctx.simulated(model),
                value,
                bound(value, lower, intervals),
                bound(value, upper, intervals),
                n,
                categories,
                metrics);
    }

    private static Double bound(double value, Double bound, boolean intervals) {
        if (!intervals) {
            return value;
        }
        return bound == null || bound.isNaN() ? null : bound;
    }

    /** {@code r} with another rank and metrics. */
    static Row with(Row r, int rank, Map<String, Object> metrics) {
        return new Row(
                rank, r.modelId(), r.simulated(), r.value(), r.lower(), r.upper(), r.n(), r.categories(), metrics);
    }

    /**
     * A category cell; an undefined bound is null (the value before: an interval of no width, which {@code
     * wb-score}'s and {@code wb-reward}'s categories, which have none, claimed in the pages' tooltips).
     */
    static Cell cell(double value, double lower, double upper, long n) {
        return new Cell(value, Double.isNaN(lower) ? null : lower, Double.isNaN(upper) ? null : upper, n);
    }

    /** A category cell of a proportion. */
    static Cell cell(Estimate e) {
        return cell(e.value(), e.lower(), e.upper(), e.n());
    }

    /** JSON has no NaN: an undefined figure (a standard error of one value) is published as null. */
    static Map<String, Object> clean(Map<String, Object> metrics) {
        Map<String, Object> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> out.put(k, v instanceof Double d && (d.isNaN() || d.isInfinite()) ? null : v));
        return out;
    }

    /** The view's baselines: its judge's, else the benchmark's, else every baseline in the slots (sorted). */
    static List<String> baselines(List<Slot> slots, Leaderboards.Context ctx) {
        Set<String> present = new TreeSet<>();
        slots.stream().map(Slot::baseline).filter(Objects::nonNull).forEach(present::add);
        return baselines(slots.isEmpty() ? null : slots.get(0).judgeId(), !slots.isEmpty(), present, ctx);
    }

    /**
     * {@link #baselines(List, Leaderboards.Context)} of slots by {@code judge} ({@code any}: there are some)
     * whose baselines are {@code present} (without null).
     */
    static List<String> baselines(String judge, boolean any, Set<String> present, Leaderboards.Context ctx) {
        // As the judge pairs them: the judge's baselines, else the benchmark's, in declared order.
        Set<String> declared = new LinkedHashSet<>();
        if (ctx.spec() != null && any) {
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
            return List.copyOf(new TreeSet<>(present));
        }
        return List.copyOf(declared);
    }

    /**
     * Refuses {@code asked} unless it is a baseline a pairwise view may be asked for ({@link
     * Leaderboards#knownBaselines}) when {@code judge}'s current version has verdicts against {@code present}
     * ({@code null}: no verdicts).
     */
    static void requireKnownBaseline(String asked, String judge, Set<String> present, Leaderboards.Context ctx) {
        TreeSet<String> known = new TreeSet<>();
        if (present != null) {
            known.addAll(baselines(judge, true, present, ctx));
            known.addAll(present);
        }
        if (ctx.spec() != null && ctx.spec().baselines() != null) {
            known.addAll(ctx.spec().baselines());
        }
        if (!known.contains(asked)) {
            throw new UnknownParameterException("baseline", asked, List.copyOf(known));
        }
    }

    /**
     * The slots of each item (its prompt variants), in first-appearance order: the clusters of the
     * clustered intervals. A slot without an item id (stored before ids were kept) is an item of its own.
     */
    static List<List<Slot>> byItem(List<Slot> slots) {
        Map<Object, List<Slot>> items = new LinkedHashMap<>();
        for (Slot s : slots) {
            items.computeIfAbsent(s.itemId() != null ? s.itemId() : new Object(), i -> new ArrayList<>())
                    .add(s);
        }
        return List.copyOf(items.values());
    }

    /**
     * Each slot with the slots of its item and model before it in {@code slots}: what a tally that reads an
     * item's other verdicts from the slots beside it ({@link WinRateTally#add}) is handed on the slot path,
     * where the slots are added one by one; none for a slot without an item id (an item of its own). The list
     * is the tally's to read, not to keep.
     */
    static void eachWithItemBefore(List<Slot> slots, BiConsumer<Slot, List<Slot>> add) {
        Map<List<String>, List<Slot>> before = new HashMap<>();
        for (Slot s : slots) {
            if (s.itemId() == null) {
                add.accept(s, List.of());
                continue;
            }
            List<Slot> item = before.computeIfAbsent(Arrays.asList(s.modelId(), s.itemId()), x -> new ArrayList<>());
            add.accept(s, item);
            item.add(s);
        }
    }
}
