package io.assay.kit.health;

import io.assay.kit.config.ConfigFollower;
import io.assay.kit.kafka.KafkaStartup;
import io.assay.kit.streams.StreamsRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive unless the service can no longer recover by itself: the broker refused it, the config reader
 * stopped on an error, or Kafka Streams failed or stopped after it had started. Waiting for a broker
 * and restoring state (REBALANCING) are alive: a restart would only begin them again.
 */
@Liveness
@ApplicationScoped
public class KafkaLiveness implements HealthCheck {
    private final KafkaStartup startup;
    private final ConfigFollower config;
    private final StreamsRuntime streams;

    /** Checks the service's Kafka start-up, config reader and Kafka Streams. */
    public KafkaLiveness(KafkaStartup startup, ConfigFollower config, StreamsRuntime streams) {
        this.startup = startup;
        this.config = config;
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        boolean streamsDead = streams.started()
                && (state == KafkaStreams.State.ERROR
                        || state == KafkaStreams.State.PENDING_ERROR
                        || state == KafkaStreams.State.NOT_RUNNING
                        || state == KafkaStreams.State.PENDING_SHUTDOWN);
        boolean refused = startup.state() == KafkaStartup.State.REFUSED;
        var response = HealthCheckResponse.named("kafka clients")
                .status(!refused && !config.failed() && !streamsDead)
                .withData("broker", startup.state().name())
                .withData("config", config.failed() ? "stopped" : "following");
        if (state != null) {
            response.withData("streams", state.name());
        }
        return response.build();
    }
}
