package io.assay.aggregator.streams;

import io.assay.aggregator.leaderboard.FoldStore;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.Tally;
import org.apache.kafka.streams.state.KeyValueStore;

/** {@link FoldStore} over a stream task's persistent stores. */
final class StreamsFoldStore implements FoldStore {
    private final KeyValueStore<String, Slot> slots;
    private final KeyValueStore<String, Tally> tallies;
    private final SlotMirror mirror;
    private final int partition;

    StreamsFoldStore(KeyValueStore<String, Slot> slots, KeyValueStore<String, Tally> tallies, SlotMirror mirror,
                     int partition) {
        this.slots = slots;
        this.tallies = tallies;
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

    @Override
    public Tally tally(String key) {
        return tallies.get(key);
    }

    @Override
    public void putTally(String key, Tally tally) {
        if (tally == null) {
            tallies.delete(key);
        } else {
            tallies.put(key, tally);
        }
    }
}
