package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Estimate;
import io.assay.contracts.Choices;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One model's {@code position-bias} row kept up to date verdict by verdict ({@link PositionBiasBuilder} over
 * the slots and {@link BenchmarkTallies} over the fold both add the verdicts to one): a {@link ProportionTally}
 * over the parsed verdicts that say where the correct choice was shown ({@link Slot#correctPosition}), one per
 * position, and one over every position but A ({@code rest}). Like the accuracy cells it keeps no item's
 * verdicts: whoever adds one hands in the other slots of its item and model ({@link #add}; the fold reads
 * them from the {@code slots} store, where they sit beside it), from which each cell's item counts follow. Not
 * thread-safe.
 */
final class PositionTally {
    private final ProportionTally placed = new ProportionTally();
    private final ProportionTally rest = new ProportionTally();
    private final TreeMap<Integer, ProportionTally> byPosition = new TreeMap<>();

    /**
     * Adds ({@code sign} 1) or takes away ({@code sign} −1) the parsed verdict {@code s}, which says where its
     * correct choice was shown; {@code others} are other slots of its item and model, of which those in {@code
     * s}'s cells count ({@link BenchmarkTallies#sameItem}: its kind, judge version and item, parsed and placed).
     */
    void add(Slot s, int sign, Collection<Slot> others) {
        int position = s.correctPosition();
        placed.add(s, sign, itemVerdicts(s, others, o -> true));
        if (position != 0) {
            rest.add(s, sign, itemVerdicts(s, others, o -> o.correctPosition() != 0));
        }
        ProportionTally at = byPosition.computeIfAbsent(position, x -> new ProportionTally());
        at.add(s, sign, itemVerdicts(s, others, o -> o.correctPosition() == position));
        if (at.slots() == 0) {
            byPosition.remove(position);
        }
    }

    /** Whether no verdict is counted (the model has no row). */
    boolean isEmpty() {
        return placed.slots() == 0;
    }

    /** The correct verdicts, of {@link #n}. */
    long correct() {
        return placed.correct();
    }

    /** The verdicts counted. */
    long n() {
        return placed.n();
    }

    /**
     * The model's row ({@link PositionBiasBuilder}): its accuracy over every position, a cell per position, A
     * against the rest and the spread between positions; without {@code intervals} the bounds are the value.
     */
    Row row(String model, Leaderboards.Context ctx, boolean intervals) {
        Map<String, Cell> cells = new TreeMap<>();
        double min = Double.NaN;
        double max = Double.NaN;
        for (Map.Entry<Integer, ProportionTally> e : byPosition.entrySet()) {
            Estimate at = e.getValue().estimate();
            cells.put(Choices.letter(e.getKey()), Rows.cell(at));
            min = Double.isNaN(min) ? at.value() : Math.min(min, at.value());
            max = Double.isNaN(max) ? at.value() : Math.max(max, at.value());
        }
        Estimate overall = placed.estimate();
        ProportionTally first = byPosition.get(0);
        double firstAccuracy = first == null ? Double.NaN : first.estimate().value();
        double restAccuracy = rest.n() == 0 ? Double.NaN : rest.estimate().value();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("first", firstAccuracy);
        m.put("rest", restAccuracy);
        m.put("firstAdvantage", firstAccuracy - restAccuracy);
        m.put("spread", max - min);
        m.put("positions", (long) byPosition.size());
        return Rows.row(
                model, ctx, overall.value(), overall.lower(), overall.upper(), overall.n(), cells, m, intervals);
    }

    /** The parsed, placed verdicts among {@code others} in {@code s}'s item that {@code cell} keeps, packed. */
    private static long itemVerdicts(Slot s, Collection<Slot> others, Predicate<Slot> cell) {
        long correct = 0;
        long n = 0;
        for (Slot o : BenchmarkTallies.sameItem(s, others)) {
            if (o.correctPosition() != null && cell.test(o)) {
                n++;
                correct += o.correct() ? 1 : 0;
            }
        }
        return ProportionTally.pack(correct, n);
    }
}
