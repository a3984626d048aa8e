package io.assay.judge.streams;

import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.ModelSpec;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * The registered models of {@code assay.models}, in a global store, so the judge knows which judge
 * models are simulators (only their requests carry simulation hints).
 */
final class ModelSpecStore {
    /** The global store's name. */
    static final String STORE = "models";
    private static final Logger LOG = Logger.getLogger(ModelSpecStore.class);

    private final KeyValueStore<String, byte[]> store;

    ModelSpecStore(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    /** Whether {@code modelId} is a registered {@code sim} model. */
    boolean simulated(String modelId) {
        byte[] bytes = modelId == null ? null : store.get(modelId);
        if (bytes == null) {
            return false;
        }
        try {
            return EventType.MODEL_SPEC.parse(bytes, ModelSpec.class).simulated();
        } catch (InvalidEventException e) {
            return false;
        }
    }

    /** Keeps the global store: valid specs in, tombstones (retired models) out. */
    static final class Updater implements Processor<String, byte[], Void, Void> {
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
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
                EventType.MODEL_SPEC.parse(record.value(), ModelSpec.class);
                store.put(record.key(), record.value());
            } catch (InvalidEventException e) {
                LOG.debugf("ignoring an invalid model spec %s: %s", record.key(), e.getMessage());
            }
        }
    }
}
