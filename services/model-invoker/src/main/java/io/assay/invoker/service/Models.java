package io.assay.invoker.service;

import io.assay.contracts.ModelSpec;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the invoker finds the model a prompt is for. A prompt can arrive before the registration of
 * its model has been read, so a lookup waits briefly for it; the service wires the kit's config
 * registry here ({@code ConfigRegistry::awaitModel}).
 */
@FunctionalInterface
public interface Models {
    /**
     * The model, waiting up to {@code timeout} for it to be registered.
     *
     * @throws InterruptedException when the service shuts down while waiting
     */
    Optional<ModelSpec> await(String modelId, Duration timeout) throws InterruptedException;
}
