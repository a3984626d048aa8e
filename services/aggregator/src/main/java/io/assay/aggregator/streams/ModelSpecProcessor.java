package io.assay.aggregator.streams;

import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.ModelSpec;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Keeps the global model store: a valid spec is stored (its original bytes), a tombstone retires
 * the model, an invalid spec is skipped so the last valid one stays.
 */
final class ModelSpecProcessor implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = Logger.getLogger(ModelSpecProcessor.class);

    private final AggregatorMetrics metrics;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> models;

    ModelSpecProcessor(AggregatorMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.models = context.getStateStore(AggregatorTopology.MODELS);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            models.delete(record.key());
            return;
        }
        try {
            EventType.MODEL_SPEC.parse(record.value(), ModelSpec.class);
            models.put(record.key(), record.value());
        } catch (InvalidEventException e) {
            String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("?");
            metrics.invalidModel(topic);
            LOG.warnf("skipped an invalid model spec %s: %s", record.key(), e.getMessage());
        }
    }
}
