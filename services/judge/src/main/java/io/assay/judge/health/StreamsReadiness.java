package io.assay.judge.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the topology is RUNNING: partitions assigned and state stores restored. Quarkus's own
 * readiness check only says the source topics exist, which is true long before a restarted
 * instance has restored its stores; its liveness check accepts REBALANCING, so a long restoration
 * is not mistaken for a hung process.
 */
@Readiness
@ApplicationScoped
public class StreamsReadiness implements HealthCheck {
    private final KafkaStreams streams;

    /** Checks the service's Kafka Streams instance. */
    public StreamsReadiness(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        return HealthCheckResponse.named("judge streams running")
                .status(state == KafkaStreams.State.RUNNING)
                .withData("state", state.name())
                .build();
    }
}
