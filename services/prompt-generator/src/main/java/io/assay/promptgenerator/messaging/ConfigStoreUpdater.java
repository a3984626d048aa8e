package io.assay.promptgenerator.messaging;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.EventType;
import io.assay.contracts.ModelSpec;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Keeps a global store of models or benchmark specs: the raw bytes of the latest valid event per
 * key; a tombstone removes the key.
 *
 * <p>An invalid event is logged, counted and skipped, so the last valid spec stays in force. It is
 * not dead-lettered: a global store's processor runs on the global thread and has no sink to
 * forward to, and Kafka Streams does not allow the same topic to feed a regular source as well.
 */
final class ConfigStoreUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = Logger.getLogger(ConfigStoreUpdater.class);

    private final String storeName;
    private final String topic;
    private final EventType type;
    private final GeneratorMetrics metrics;
    private KeyValueStore<String, byte[]> store;

    ConfigStoreUpdater(String storeName, String topic, EventType type, GeneratorMetrics metrics) {
        this.storeName = storeName;
        this.topic = topic;
        this.type = type;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            reject(key, "no key");
            return;
        }
        if (record.value() == null) {
            store.delete(key);
            return;
        }
        try {
            Object spec = type.parse(record.value(), type.recordType());
            String id = idOf(spec);
            if (!key.equals(id)) {
                reject(key, "key does not match the id in the event (" + id + ")");
                return;
            }
            store.put(key, record.value());
        } catch (RuntimeException e) {
            reject(key, e.getMessage());
        }
    }

    private void reject(String key, String reason) {
        LOG.warnf("Skipping invalid %s event on %s (key %s): %s", type, topic, key, reason);
        metrics.configRejected(topic);
    }

    private static String idOf(Object spec) {
        if (spec instanceof ModelSpec model) {
            return model.modelId();
        }
        if (spec instanceof BenchmarkSpec benchmark) {
            return benchmark.benchmark();
        }
        throw new IllegalArgumentException(
                "not a config event: " + spec.getClass().getSimpleName());
    }
}
