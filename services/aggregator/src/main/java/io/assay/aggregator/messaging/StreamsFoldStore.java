package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.BenchmarkTallies;
import io.assay.aggregator.leaderboard.DeclaredPairs;
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
 * tallies read instead of keeping per item; for a reference verdict of a model that declares a previous version
 * or is one ({@link DeclaredPairs}), the slots of its item of each of those partners (one prefix scan each: a few
 * slots), whose verdicts on its case the {@code regression} flips pair with it. A model without partners pays
 * nothing more. The store write happens under the tallies' lock ({@link SlotTallies#put}): a reader of the
 * tallies that reads the store too sees both in one state. The partners are those of the pairs read before the
 * scans, handed to the tallies with the slots: the tallies count the pairs those declare, whatever the registry
 * says by the time the lock is taken, so the slots read always cover the pairs counted. The item's slots are this
 * task's alone (the judgments are keyed by item), so none moves between the scans and the write.
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
        DeclaredPairs pairs = tallies.pairs();
        List<Slot> partnerSlots = List.of();
        if (BenchmarkTallies.readsPartners(old, slot, pairs)) {
            partnerSlots = new ArrayList<>();
            for (String partner : pairs.partners(slot.modelId()).keySet()) {
                scan(BenchmarkTallies.itemAndModel(key, partner), null, partnerSlots);
            }
        }
        readKey = null;
        read = null;
        tallies.put(partition, key, old, slot, newItem, others, pairs, partnerSlots, () -> slots.put(key, slot));
    }

    /** The slots of {@code key}'s item and model besides its own. */
    private List<Slot> others(String key) {
        List<Slot> out = new ArrayList<>();
        scan(BenchmarkTallies.itemAndModel(key), key, out);
        return out;
    }

    /** Adds the slots under {@code prefix}, besides {@code key}'s own (none: every one), to {@code out}. */
    private void scan(String prefix, String key, List<Slot> out) {
        try (KeyValueIterator<String, Slot> it = slots.prefixScan(prefix, new StringSerializer())) {
            it.forEachRemaining(kv -> {
                if (!kv.key.equals(key)) {
                    out.add(kv.value);
                }
            });
        }
    }

    private boolean has(String prefix) {
        try (KeyValueIterator<String, Slot> it = slots.prefixScan(prefix, new StringSerializer())) {
            return it.hasNext();
        }
    }
}
