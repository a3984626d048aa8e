package io.assay.aggregator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.assay.kit.ServiceIdentity;
import io.assay.kit.kafka.KafkaClients;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The status when the broker does not answer: a clear failure in its own timeout, not a hang. */
class PipelineStatusTest {

    @Test
    void aBrokerThatIsDownIsReportedWithinTheStatusTimeoutAndEveryoneQueuedLearnsItAtOnce() throws IOException {
        // Given a bootstrap address nothing listens on (the broker is down)
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        KafkaClients clients = new KafkaClients(
                Map.of("bootstrap.servers", "127.0.0.1:" + port), new ServiceIdentity("aggregator", "t"), null);
        PipelineStatus status = new PipelineStatus(clients, Optional.empty(), "assay-aggregator");

        // When the status is asked (the admin's own api timeout is 60 s: closing it waited that long, and
        // GET /api/status took over 90 s with the broker down)
        Throwable first = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> catchThrowable(status::now));

        // Then it says the broker did not answer, and a request within the TTL gets that answer without a read
        assertThat(first)
                .isInstanceOf(PipelineStatus.StatusUnavailableException.class)
                .hasMessage("the broker did not answer within 5 s");
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(1), () -> catchThrowable(status::now)))
                .isSameAs(first);
    }
}
