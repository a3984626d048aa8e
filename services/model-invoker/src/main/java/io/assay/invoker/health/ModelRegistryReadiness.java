package io.assay.invoker.health;

import io.assay.invoker.service.ModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the model registry has read {@code assay.models} up to the end offsets seen at startup. */
@Readiness
@ApplicationScoped
public class ModelRegistryReadiness implements HealthCheck {
    private final ModelRegistry registry;

    /** With the registry to watch. */
    public ModelRegistryReadiness(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("model-registry")
                .status(registry.caughtUp())
                .withData("models", registry.size())
                .build();
    }
}
