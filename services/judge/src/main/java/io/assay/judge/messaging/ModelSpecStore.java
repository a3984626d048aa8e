package io.assay.judge.messaging;

import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.ModelSpec;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The registered models of {@code assay.models}, in a global store, so the judge knows which judge
 * models are simulators (only their requests carry simulation hints).
 */
final class ModelSpecStore {
    /** The global store's name. */
    static final String STORE = "models";

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
}
