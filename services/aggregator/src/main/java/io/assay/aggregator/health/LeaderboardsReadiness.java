package io.assay.aggregator.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the fold is RUNNING: its partitions are assigned and its stores restored, so the
 * leaderboard API answers instead of 503. Topic availability alone (Quarkus's own readiness check)
 * is true long before that after a restart.
 */
@Readiness
@ApplicationScoped
public class LeaderboardsReadiness implements HealthCheck {
    private final KafkaStreams streams;

    /** Checks the service's Kafka Streams instance. */
    public LeaderboardsReadiness(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        return HealthCheckResponse.named("leaderboards queryable")
                .status(state == KafkaStreams.State.RUNNING)
                .withData("state", state.name())
                .build();
    }
}
