package io.assay.aggregator.streams;

import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Keeps a global config store (models, benchmarks): a valid spec is stored (its original bytes), a
 * tombstone removes it, an invalid spec is skipped so the last valid one stays.
 */
final class ConfigProcessor implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = Logger.getLogger(ConfigProcessor.class);

    private final AggregatorMetrics metrics;
    private final String storeName;
    private final EventType type;
    private final Class<?> recordType;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;

    ConfigProcessor(AggregatorMetrics metrics, String storeName, EventType type, Class<?> recordType) {
        this.metrics = metrics;
        this.storeName = storeName;
        this.type = type;
        this.recordType = recordType;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            return;
        }
        try {
            type.parse(record.value(), recordType);
            store.put(record.key(), record.value());
        } catch (InvalidEventException e) {
            String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("?");
            metrics.invalidModel(topic);
            LOG.warnf("skipped an invalid %s %s: %s", recordType.getSimpleName(), record.key(), e.getMessage());
        }
    }
}
