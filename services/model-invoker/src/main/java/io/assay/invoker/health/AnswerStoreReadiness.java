package io.assay.invoker.health;

import io.assay.invoker.cache.AnswerStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the answers already paid for have been read back from {@code assay.answers}. */
@Readiness
@ApplicationScoped
public class AnswerStoreReadiness implements HealthCheck {
    private final AnswerStore store;

    /** With the store to watch. */
    public AnswerStoreReadiness(AnswerStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("answer-store")
                .status(store.loaded())
                .withData("answers", store.size())
                .build();
    }
}
