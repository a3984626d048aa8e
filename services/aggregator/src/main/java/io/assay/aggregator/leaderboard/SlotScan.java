package io.assay.aggregator.leaderboard;

import java.util.function.BiConsumer;

/**
 * Reads slots with their store keys: a partition's store in key order, or the local tasks' stores one
 * after the other, each in key order. Either way an item's slots are contiguous (an item lives in one
 * partition: judgments are keyed {@code benchmark/itemId}), and within them a model's ({@link ItemRuns}).
 */
@FunctionalInterface
public interface SlotScan {
    /** Hands every slot to {@code action}. */
    void forEach(BiConsumer<String, Slot> action);
}
