package io.assay.invoker.service;

import io.assay.contracts.ModelSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Models registered by a test; a lookup waits for a registration made later, as the service's does. */
final class TestModels implements Models {
    private final Map<String, ModelSpec> models = new HashMap<>();

    /** Registers or updates a model, waking up lookups waiting for it. */
    synchronized void put(ModelSpec model) {
        models.put(model.modelId(), model);
        notifyAll();
    }

    @Override
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
}
