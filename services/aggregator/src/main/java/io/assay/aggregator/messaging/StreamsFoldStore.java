package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.BenchmarkTallies;
import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.FoldStore;
import io.assay.aggregator.leaderboard.Slot;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@link FoldStore} over a stream task's persistent {@code slots} store, writing each slot through to
 * the {@link SlotTallies} with the verdict it replaces (the fold reads a slot before it writes it: the
 * one read last is that one), whether its item is new to the store, and the other slots of its item and
 * model (one prefix scan: they sit beside it in key order), whose verdicts the per-item cells of the
 * tallies read instead of keeping per item. The store write happens under the tallies' lock ({@link
 * SlotTallies#put}): a reader of the tallies that reads the store too sees both in one state.
 */
final class StreamsFoldStore implements FoldStore {
    private final KeyValueStore<String, Slot> slots;
    private final SlotTallies tallies;
    private final int partition;
    private String readKey;
    private Slot read;

    StreamsFoldStore(KeyValueStore<String, Slot> slots, SlotTallies tallies, int partition) {
        this.slots = slots;
        this.tallies = tallies;
        this.partition = partition;
    }

    @Override
    public Slot slot(String key) {
        readKey = key;
        read = slots.get(key);
        return read;
    }

    @Override
    public void putSlot(String key, Slot slot) {
        Slot old = key.equals(readKey) ? read : slots.get(key);
        List<Slot> others = others(key);
        boolean newItem = old == null && others.isEmpty() && !has(Fold.itemPrefix(key));
        readKey = null;
        read = null;
        tallies.put(partition, key, old, slot, newItem, others, () -> slots.put(key, slot));
    }

    /** The slots of {@code key}'s item and model besides its own. */
    private List<Slot> others(String key) {
        List<Slot> out = new ArrayList<>();
        try (KeyValueIterator<String, Slot> it =
                slots.prefixScan(BenchmarkTallies.itemAndModel(key), new StringSerializer())) {
            it.forEachRemaining(kv -> {
                if (!kv.key.equals(key)) {
                    out.add(kv.value);
                }
            });
        }
        return out;
    }

    private boolean has(String prefix) {
        try (KeyValueIterator<String, Slot> it = slots.prefixScan(prefix, new StringSerializer())) {
            return it.hasNext();
        }
    }
}
