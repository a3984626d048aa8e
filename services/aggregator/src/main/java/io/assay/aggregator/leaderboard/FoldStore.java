package io.assay.aggregator.leaderboard;

/**
 * The state {@link Fold} works on: slots by key. The Kafka Streams processor backs
 * it with task-local persistent stores; unit tests back it with maps.
 */
public interface FoldStore {

    /** The slot at {@code key}, {@code null} when empty. */
    Slot slot(String key);

    /** Replaces the slot at {@code key}. */
    void putSlot(String key, Slot slot);
}
