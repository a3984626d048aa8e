package io.assay.judge.messaging;

import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Keeps a global store of config specs: valid specs in (their bytes), tombstones out, invalid specs
 * logged and ignored (the config validator dead-letters them once for the whole system).
 *
 * @param <T> the spec record
 */
final class SpecUpdater<T> implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = Logger.getLogger(SpecUpdater.class);

    private final String storeName;
    private final EventType type;
    private final Class<T> recordType;
    private final Function<T, String> id;
    private KeyValueStore<String, byte[]> store;

    /**
     * @param id the spec's id, which must equal the record key; {@code null} when the key is not checked
     */
    SpecUpdater(String storeName, EventType type, Class<T> recordType, Function<T, String> id) {
        this.storeName = storeName;
        this.type = type;
        this.recordType = recordType;
        this.id = id;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            LOG.warnf("ignoring a %s without a key", recordType.getSimpleName());
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            return;
        }
        try {
            T spec = type.parse(record.value(), recordType);
            if (id != null && !record.key().equals(id.apply(spec))) {
                LOG.warnf(
                        "ignoring the %s of %s published under key %s",
                        recordType.getSimpleName(), id.apply(spec), record.key());
                return;
            }
            store.put(record.key(), record.value());
        } catch (InvalidEventException e) {
            LOG.warnf("ignoring an invalid %s %s: %s", recordType.getSimpleName(), record.key(), e.getMessage());
        }
    }
}
