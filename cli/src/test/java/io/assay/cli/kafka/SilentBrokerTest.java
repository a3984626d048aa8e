package io.assay.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.Assay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A command that reads a topic (models, benchmarks, review, retry-failed, import) with no broker at its address: it
 * used to end after 15 s with Kafka's own words alone, "org.apache.kafka.common.errors.TimeoutException: Timeout
 * expired while fetching topic metadata", the most common mistake of a new user (the stack not started) unexplained.
 */
class SilentBrokerTest {
    @Test
    void aTopicReadWithNothingListeningSaysWhereItLookedAndWhatToCheck() throws Exception {
        // Given an address where nothing listens
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String bootstrap = "127.0.0.1:" + port;

        // When the registered models are listed from it
        StringWriter err = new StringWriter();
        CommandLine cli = Assay.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("models", "list", "--bootstrap", bootstrap);

        // Then it fails saying where it looked, what is there and what to check, not Kafka's exception alone
        assertThat(exit).isNotZero();
        assertThat(err.toString())
                .contains("cannot reach Kafka at " + bootstrap + " within 15 s: cannot connect to " + bootstrap
                        + " (Connection refused); is the stack running? (./assay status, ./assay up)")
                .doesNotContain("TimeoutException");
    }
}
