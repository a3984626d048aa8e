package io.assay.aggregator.leaderboard;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Operations on tallies read back from the stores. */
public final class Tallies {
    private Tallies() {
    }

    /**
     * Sums tallies of the same coordinates. Each stream task folds only the items of its partition,
     * so several tasks hold partial tallies of the same model and category.
     */
    public static List<Tally> merge(Iterable<Tally> partials) {
        Map<String, Tally> sums = new TreeMap<>();
        for (Tally t : partials) {
            sums.merge(t.key(), t, Tally::plus);
        }
        return List.copyOf(sums.values());
    }

    /** One summary per benchmark, sorted by name. */
    public static List<BenchmarkSummary> summarize(Collection<Tally> merged) {
        Map<String, List<Tally>> byBenchmark = merged.stream()
                .collect(Collectors.groupingBy(Tally::benchmark, TreeMap::new, Collectors.toList()));
        return byBenchmark.entrySet().stream()
                .map(e -> new BenchmarkSummary(e.getKey(),
                        e.getValue().stream().mapToLong(Tally::judgments).sum(),
                        (int) e.getValue().stream().map(Tally::modelId).distinct().count()))
                .sorted(Comparator.comparing(BenchmarkSummary::benchmark))
                .toList();
    }

    /** Groups merged tallies by model. */
    static Map<String, List<Tally>> byModel(Collection<Tally> merged) {
        return merged.stream().collect(Collectors.groupingBy(Tally::modelId, TreeMap::new,
                Collectors.mapping(Function.identity(), Collectors.toList())));
    }
}
