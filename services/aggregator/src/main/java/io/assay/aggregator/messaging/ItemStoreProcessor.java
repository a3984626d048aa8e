package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.Fold;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Keeps every benchmark item read from {@code assay.items}, so the item page shows the item (its input,
 * choices, reference, categories) beside its verdicts. A later revision replaces an earlier one, an
 * earlier one arriving late is ignored, the same revision again replaces itself; a tombstone deletes
 * the item. An invalid item, or one under another key than its {@code benchmark/itemId}, is skipped and
 * counted: dead-lettering items is the prompt-generator's job, which reads the topic first-hand.
 */
final class ItemStoreProcessor implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = Logger.getLogger(ItemStoreProcessor.class);

    private final AggregatorMetrics metrics;
    private KeyValueStore<String, BenchmarkItem> items;

    ItemStoreProcessor(AggregatorMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.items = context.getStateStore(AggregatorTopology.ITEMS);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        // Neither a benchmark name nor an item id may contain '/' (the item schema): the first one splits.
        int cut = key == null ? -1 : key.indexOf('/');
        if (cut < 1) {
            metrics.skippedItem();
            LOG.debugf("skipped an item under key %s: an item is keyed benchmark/itemId", key);
            return;
        }
        String storeKey = key(key.substring(0, cut), key.substring(cut + 1));
        if (record.value() == null) {
            items.delete(storeKey);
            return;
        }
        BenchmarkItem item;
        try {
            item = EventType.BENCHMARK_ITEM.parse(record.value(), BenchmarkItem.class, record.headers());
        } catch (InvalidEventException e) {
            metrics.skippedItem();
            LOG.debugf("skipped an invalid item %s: %s", key, e.getMessage());
            return;
        }
        if (!item.key().equals(key)) {
            metrics.skippedItem();
            LOG.debugf("skipped item %s under key %s", item.key(), key);
            return;
        }
        BenchmarkItem previous = items.get(storeKey);
        if (previous == null || previous.revisionOrDefault() <= item.revisionOrDefault()) {
            items.put(storeKey, item);
        }
    }

    /** The item store's key. */
    static String key(String benchmark, String itemId) {
        return benchmark + Fold.SEPARATOR + itemId;
    }
}
