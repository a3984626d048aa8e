package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.Wilson;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The accuracy leaderboard: per model the proportion of correct reference judgments with its 95%
 * Wilson interval, overall and per category. Unparseable verdicts are excluded from the
 * proportion and reported in {@code metrics.unparseable}.
 */
public final class AccuracyView {

    /**
     * Best first: higher accuracy, then the higher lower bound (the same accuracy on more evidence
     * ranks first), then modelId so the order is total and stable between snapshots.
     */
    public static final Comparator<Row> RANKING = Comparator.comparingDouble(Row::value)
            .reversed()
            .thenComparing(Comparator.comparingDouble(Row::lower).reversed())
            .thenComparing(Row::modelId);

    private AccuracyView() {}

    /**
     * The snapshot of one benchmark.
     *
     * @param benchmark the benchmark
     * @param merged its tallies, one per model and category
     * @param simulated whether a model is simulated
     * @param asOf when it is computed
     */
    public static LeaderboardSnapshot build(
            String benchmark, Collection<Tally> merged, Predicate<String> simulated, Instant asOf) {
        List<Row> rows = new ArrayList<>();
        long judgments = 0;
        for (Map.Entry<String, List<Tally>> model : byModel(merged).entrySet()) {
            long n = 0;
            long correct = 0;
            long unparseable = 0;
            Map<String, Cell> categories = new TreeMap<>();
            for (Tally t : model.getValue()) {
                n += t.n();
                correct += t.correct();
                unparseable += t.unparseable();
                if (t.category() != null) {
                    Estimate e = Wilson.score(t.correct(), t.n());
                    categories.put(t.category(), new Cell(e.value(), e.lower(), e.upper(), e.n()));
                }
            }
            judgments += n + unparseable;
            Estimate overall = Wilson.score(correct, n);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("correct", correct);
            metrics.put("incorrect", n - correct);
            metrics.put("unparseable", unparseable);
            rows.add(new Row(
                    0,
                    model.getKey(),
                    simulated.test(model.getKey()),
                    overall.value(),
                    overall.lower(),
                    overall.upper(),
                    n,
                    categories,
                    metrics));
        }
        return new LeaderboardSnapshot(benchmark, View.ACCURACY.wireName(), asOf, judgments, rank(rows));
    }

    /** Sorts rows by {@link #RANKING} and numbers them from 1. */
    public static List<Row> rank(List<Row> rows) {
        List<Row> sorted = rows.stream().sorted(RANKING).toList();
        List<Row> ranked = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            Row r = sorted.get(i);
            ranked.add(new Row(
                    i + 1,
                    r.modelId(),
                    r.simulated(),
                    r.value(),
                    r.lower(),
                    r.upper(),
                    r.n(),
                    r.categories(),
                    r.metrics()));
        }
        return List.copyOf(ranked);
    }

    private static Map<String, List<Tally>> byModel(Collection<Tally> merged) {
        return merged.stream().collect(Collectors.groupingBy(Tally::modelId, TreeMap::new, Collectors.toList()));
    }
}
