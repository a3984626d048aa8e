package io.assay.aggregator.leaderboard;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;

/**
 * Feeds {@link BenchmarkTallies} as the aggregator's fold does: each slot with the other slots of its item and
 * model tallied so far ({@link BenchmarkTallies#others}) and, for a reference verdict of a model with declared
 * partners, its item's slots of those partners ({@link BenchmarkTallies#partnerSlots}), kept here per tallies in key
 * order as the store keeps them, and reads them back as the tallied views read the store ({@link #stored}).
 */
final class Tallying {
    private static final Map<BenchmarkTallies, TreeMap<String, Slot>> TALLIED =
            Collections.synchronizedMap(new WeakHashMap<>());

    private Tallying() {}

    /** {@code tallies.replace} of the slot under {@code key} from {@code old} to {@code now}, in partition 0. */
    static void replace(BenchmarkTallies tallies, String key, Slot old, Slot now) {
        replace(tallies, 0, key, old, now);
    }

    /** {@code tallies.replace} of the slot under {@code key} from {@code old} to {@code now}, in {@code partition}. */
    static void replace(BenchmarkTallies tallies, int partition, String key, Slot old, Slot now) {
        replace(tallies, partition, key, old, now, DeclaredPairs.NONE);
    }

    /**
     * {@code tallies.replace} of the slot under {@code key} from {@code old} to {@code now}, in {@code partition},
     * while the model specs declare {@code pairs}.
     */
    static void replace(BenchmarkTallies tallies, int partition, String key, Slot old, Slot now, DeclaredPairs pairs) {
        TreeMap<String, Slot> slots = slots(tallies);
        List<Slot> partnerSlots = BenchmarkTallies.readsPartners(old, now, pairs)
                ? BenchmarkTallies.partnerSlots(slots, key, now != null ? now : old, pairs)
                : List.of();
        tallies.replace(partition, key, old, now, BenchmarkTallies.others(slots, key), pairs, partnerSlots);
        if (now == null) {
            slots.remove(key);
        } else {
            slots.put(key, now);
        }
    }

    /** The slots tallied in {@code tallies}, read as {@code TalliedViews.build} reads the store. */
    static ItemSlots stored(BenchmarkTallies tallies) {
        return ItemSlots.of(slots(tallies));
    }

    private static TreeMap<String, Slot> slots(BenchmarkTallies tallies) {
        return TALLIED.computeIfAbsent(tallies, t -> new TreeMap<>());
    }
}
