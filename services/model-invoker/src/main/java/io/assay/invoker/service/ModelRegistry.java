package io.assay.invoker.service;

import io.assay.contracts.ModelSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registered models, as read from the compacted topic {@code assay.models}. A prompt may
 * arrive before its model's registration has been read, so lookups can wait for it.
 */
public final class ModelRegistry {
    private final Map<String, ModelSpec> models = new HashMap<>();
    private volatile boolean caughtUp;

    /** Registers or updates a model, waking up lookups waiting for it. */
    public synchronized void put(ModelSpec model) {
        models.put(model.modelId(), model);
        notifyAll();
    }

    /** Retires a model (a tombstone). */
    public synchronized void remove(String modelId) {
        models.remove(modelId);
    }

    /** The model, if registered now. */
    public synchronized Optional<ModelSpec> find(String modelId) {
        return Optional.ofNullable(models.get(modelId));
    }

    /** How many models are registered. */
    public synchronized int size() {
        return models.size();
    }

    /**
     * The model, waiting up to {@code timeout} for it to be registered.
     *
     * @throws InterruptedException when the service shuts down while waiting
     */
    public synchronized Optional<ModelSpec> await(String modelId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ModelSpec model = models.get(modelId);
        while (model == null) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return Optional.empty();
            }
            wait(leftMs);
            model = models.get(modelId);
        }
        return Optional.of(model);
    }

    /** Marks the registry as having read the topic up to the end offsets seen at startup. */
    public void markCaughtUp() {
        caughtUp = true;
    }

    /** Whether the registry has read the topic up to the end offsets seen at startup. */
    public boolean caughtUp() {
        return caughtUp;
    }
}
