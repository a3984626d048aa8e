package io.assay.kit.health;

import io.assay.kit.kafka.KafkaStartup;
import io.assay.kit.kafka.TopicFollower;
import io.assay.kit.streams.StreamsRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive unless the service can no longer recover by itself: the broker refused it, a reader of a whole
 * topic ({@link TopicFollower}: the config, the invoker's answers, the leaderboards) stopped on an error
 * that is not retriable, or Kafka Streams failed or stopped after it had started. Waiting for a broker
 * and restoring state (REBALANCING) are alive: a restart would only begin them again.
 */
@Liveness
@ApplicationScoped
public class KafkaLiveness implements HealthCheck {
    private final KafkaStartup startup;
    private final StreamsRuntime streams;

    /** Checks the service's Kafka start-up, its topic followers and Kafka Streams. */
    public KafkaLiveness(KafkaStartup startup, StreamsRuntime streams) {
        this.startup = startup;
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
        List<String> stopped = TopicFollower.stopped();
        var response = HealthCheckResponse.named("kafka clients")
                .status(!refused && stopped.isEmpty() && !streamsDead)
                .withData("broker", startup.state().name())
                .withData("followers", stopped.isEmpty() ? "reading" : "stopped: " + String.join("; ", stopped));
        if (state != null) {
            response.withData("streams", state.name());
        }
        return response.build();
    }
}
