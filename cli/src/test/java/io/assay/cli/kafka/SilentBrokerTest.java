package io.assay.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.Assay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A command that reads a topic (models, benchmarks, review, retry-failed, import) or publishes to one (ingest, feed,
 * register) with no broker at its address, the most common mistake of a new user (the stack not started). Reading
 * used to end after 15 s with Kafka's own words alone, "org.apache.kafka.common.errors.TimeoutException: Timeout
 * expired while fetching topic metadata"; then after 15 s with the words below; publishing after its 8-s reach check.
 * Where every address refuses the connection outright, no client would reach it: both say so at once.
 */
class SilentBrokerTest {
    /** Well under the 8 and 15 s the commands waited, and over a CLI's start on a busy machine. */
    private static final Duration AT_ONCE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void aTopicReadWithNothingListeningSaysAtOnceWhereItLookedAndWhatToCheck() throws Exception {
        // Given an address where nothing listens
        String bootstrap = closedAddress();

        // When the registered models are listed from it
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int exit = run(err, "models", "list", "--bootstrap", bootstrap);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // Then it fails at once saying where it looked, what is there and what to check, not Kafka's exception alone
        assertThat(exit).isNotZero();
        assertThat(err.toString())
                .contains("assay: cannot reach Kafka at " + bootstrap + ": cannot connect to " + bootstrap
                        + " (Connection refused); is the stack running? (./assay status, ./assay up)")
                .doesNotContain("TimeoutException");
        assertThat(took).isLessThan(AT_ONCE);
    }

    @Test
    void aPublishWithNothingListeningSaysAtOnceWhereItLookedAndWhatToCheck() throws Exception {
        // Given an address where nothing listens, and an item to ingest
        String bootstrap = closedAddress();
        Path file = dir.resolve("items.jsonl");
        Files.writeString(
                file,
                "{\"benchmark\":\"b\",\"itemId\":\"a\",\"prompt\":\"2+2?\",\"reference\":{\"value\":4},"
                        + "\"publishedAt\":\"2026-12-06T00:00:00Z\"}\n");

        // When it is ingested there
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int exit = run(err, "ingest", "--bootstrap", bootstrap, file.toString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // Then the same words, at once
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString())
                .contains("cannot reach Kafka at " + bootstrap + ": cannot connect to " + bootstrap
                        + " (Connection refused); is the stack running? (./assay status, ./assay up)");
        assertThat(took).isLessThan(AT_ONCE);
    }

    private static int run(StringWriter err, String... args) {
        CommandLine cli = Assay.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static String closedAddress() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }
}
