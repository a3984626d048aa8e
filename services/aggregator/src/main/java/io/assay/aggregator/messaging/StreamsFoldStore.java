package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.FoldStore;
import io.assay.aggregator.leaderboard.Slot;
import org.apache.kafka.streams.state.KeyValueStore;

/** {@link FoldStore} over a stream task's persistent stores. */
final class StreamsFoldStore implements FoldStore {
    private final KeyValueStore<String, Slot> slots;
    private final SlotMirror mirror;
    private final int partition;

    StreamsFoldStore(KeyValueStore<String, Slot> slots, SlotMirror mirror, int partition) {
        this.slots = slots;
        this.mirror = mirror;
        this.partition = partition;
    }

    @Override
    public Slot slot(String key) {
        return slots.get(key);
    }

    @Override
    public void putSlot(String key, Slot slot) {
        slots.put(key, slot);
        mirror.put(partition, key, slot);
    }
}
