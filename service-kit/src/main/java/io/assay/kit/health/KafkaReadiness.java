package io.assay.kit.health;

import io.assay.kit.config.ConfigRegistry;
import io.assay.kit.kafka.KafkaStartup;
import io.assay.kit.streams.StreamsRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the service is actually consuming: the broker answers and every topic exists, the config
 * registry has read both config topics to their end, and — for a service with a topology — Kafka
 * Streams is RUNNING (partitions assigned, stores restored). Topic existence alone is true long before
 * a restarted instance has restored its stores; REBALANCING is not ready, because a store being
 * restored answers with partial state.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
    private final KafkaStartup startup;
    private final ConfigRegistry registry;
    private final StreamsRuntime streams;

    /** Checks the service's Kafka start-up, config registry and Kafka Streams. */
    public KafkaReadiness(KafkaStartup startup, ConfigRegistry registry, StreamsRuntime streams) {
        this.startup = startup;
        this.registry = registry;
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        boolean brokerReady = startup.state() == KafkaStartup.State.READY;
        KafkaStreams.State state = streams.state();
        boolean streamsReady = !streams.present() || state == KafkaStreams.State.RUNNING;
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka consuming")
                .status(brokerReady && registry.caughtUp() && streamsReady)
                .withData("broker", startup.state().name())
                .withData("config", registry.caughtUp() ? "read" : "reading")
                .withData("models", registry.models().size());
        if (state != null) {
            response.withData("streams", state.name());
        }
        if (startup.problem() != null) {
            response.withData("problem", startup.problem());
        }
        return response.build();
    }
}
