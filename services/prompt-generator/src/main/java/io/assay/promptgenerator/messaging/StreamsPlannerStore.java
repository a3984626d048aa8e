package io.assay.promptgenerator.messaging;

import io.assay.contracts.Json;
import io.assay.promptgenerator.prompts.PlannerStore;
import io.assay.promptgenerator.prompts.StoredItem;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** {@link PlannerStore} over a stream task's persistent stores; items are kept as JSON. */
final class StreamsPlannerStore implements PlannerStore {
    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, String> items;
    private final KeyValueStore<String, String> acknowledged;

    StreamsPlannerStore(KeyValueStore<String, String> items, KeyValueStore<String, String> acknowledged) {
        this.items = items;
        this.acknowledged = acknowledged;
    }

    @Override
    public StoredItem item(String key) {
        String json = items.get(key);
        return json == null ? null : Json.read(json, StoredItem.class);
    }

    @Override
    public void putItem(String key, StoredItem item) {
        items.put(key, Json.write(item));
    }

    @Override
    public void deleteItem(String key) {
        items.delete(key);
    }

    @Override
    public void forEachItem(String keyPrefix, Consumer<StoredItem> action) {
        try (KeyValueIterator<String, String> all = items.prefixScan(keyPrefix, KEYS)) {
            while (all.hasNext()) {
                action.accept(Json.read(all.next().value, StoredItem.class));
            }
        }
    }

    @Override
    public String acknowledgement(String key) {
        return acknowledged.get(key);
    }

    @Override
    public Map<String, String> acknowledgements(String keyPrefix) {
        Map<String, String> found = new HashMap<>();
        try (KeyValueIterator<String, String> all = acknowledged.prefixScan(keyPrefix, KEYS)) {
            while (all.hasNext()) {
                KeyValue<String, String> entry = all.next();
                found.put(entry.key, entry.value);
            }
        }
        return found;
    }

    @Override
    public void acknowledge(String key, String value) {
        acknowledged.put(key, value);
    }

    @Override
    public void forget(String key) {
        acknowledged.delete(key);
    }
}
