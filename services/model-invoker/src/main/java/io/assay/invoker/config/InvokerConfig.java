package io.assay.invoker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Configuration of the model invoker ({@code assay.invoker.*}). */
@ConfigMapping(prefix = "assay.invoker")
public interface InvokerConfig {

    /** Calls per request, the first included, before a transient failure is published. */
    @WithDefault("5")
    int maxAttempts();

    /** Backoff after the first failed attempt; doubles with each further attempt, with jitter. */
    @WithDefault("50ms")
    Duration baseBackoff();

    /** Upper bound of any single backoff. */
    @WithDefault("5s")
    Duration maxBackoff();

    /** How long a prompt waits for its model to appear in the registry before it gets {@code unknown_model}. */
    @WithDefault("10s")
    Duration unknownModelWait();
}
