package io.assay.aggregator.leaderboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * An item and model's slots as the {@code slots} store holds them, by the prefix of their keys ({@link
 * BenchmarkTallies#itemAndModel}): what a tallied view reads of the items the tallies do not keep (the scores of
 * the {@code score} view's latest verdicts, for its stability tau). Read while the tallies are, under their lock,
 * so that the store and the tallies are one state (the aggregator's {@code SlotTallies} writes both under it).
 */
@FunctionalInterface
public interface ItemSlots {
    /** The slots under {@code prefix}, in any order. */
    List<Slot> under(String prefix);

    /** The slots of {@code slots}, a sorted map by key as the store is (the tests' and the benchmarks' store). */
    static ItemSlots of(NavigableMap<String, Slot> slots) {
        return prefix -> {
            List<Slot> out = new ArrayList<>();
            for (Map.Entry<String, Slot> e : slots.tailMap(prefix, true).entrySet()) {
                if (!e.getKey().startsWith(prefix)) {
                    break;
                }
                out.add(e.getValue());
            }
            return out;
        };
    }
}
