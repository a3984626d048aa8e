package io.assay.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.Assay;
import io.assay.contracts.Topics;
import io.assay.kit.kafka.KafkaSettings;
import io.assay.testing.TestBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A shell set up for a secured cluster (as the README shows for secured clusters: {@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_*}, {@code KAFKA_SSL_*}) and a command that runs on the local stack, whose broker is PLAINTEXT:
 * {@code assay demo} started its stack and then failed, its own clients speaking SASL_SSL to that broker.
 */
class LocalStackClientsTest {
    /** A SASL_SSL cluster's settings, as the shell would give them (here as the equivalent kafka.* properties). */
    private static final Map<String, String> CLUSTER = Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "PLAIN",
            "sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";",
            "ssl.truststore.location", "/nonexistent/cluster-ca.pem",
            "client.dns.lookup", "use_all_dns_ips");

    @TempDir
    Path dir;

    @Test
    void onTheLocalStackTheShellsSecuredClusterSettingsAreLeftOutAndTuningKept() {
        CLUSTER.forEach((setting, value) -> System.setProperty(KafkaSettings.PREFIX + setting, value));
        try {
            assertThat(ClientSettings.forBootstrap("127.0.0.1:9092"))
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsKeys("sasl.mechanism", "sasl.jaas.config", "ssl.truststore.location");

            ClientSettings.useLocalStack(true);
            assertThat(ClientSettings.forBootstrap("127.0.0.1:9092"))
                    .containsExactlyInAnyOrderEntriesOf(
                            Map.of("bootstrap.servers", "127.0.0.1:9092", "client.dns.lookup", "use_all_dns_ips"));
        } finally {
            ClientSettings.useLocalStack(false);
            CLUSTER.keySet().forEach(setting -> System.clearProperty(KafkaSettings.PREFIX + setting));
        }
    }

    @Test
    void aCommandOnTheLocalStackPublishesToItsPlaintextBrokerWhateverTheShellSaysForACluster() throws Exception {
        String bootstrap = TestBroker.get().bootstrapServers();
        String benchmark = "local-" + System.nanoTime();
        Path file = dir.resolve("items.jsonl");
        Files.writeString(
                file,
                "{\"benchmark\":\"" + benchmark + "\",\"itemId\":\"a\",\"publishedAt\":\"2026-11-28T00:00:00Z\","
                        + "\"prompt\":\"2+2?\",\"reference\":{\"value\":4}}\n");
        CLUSTER.forEach((setting, value) -> System.setProperty(KafkaSettings.PREFIX + setting, value));
        try {
            // Given the shell's settings for a cluster: a command for that cluster uses them (and this PLAINTEXT
            // broker is not it: the trust store they name is not on this machine)
            StringWriter err = new StringWriter();
            assertThat(ingest(bootstrap, file, err)).isEqualTo(1);
            assertThat(err.toString()).contains("ssl.truststore.location").contains("does not exist");

            // When a command runs on the local stack
            ClientSettings.useLocalStack(true);
            err = new StringWriter();
            int exit = ingest(bootstrap, file, err);

            // Then its clients reach the stack's own broker
            assertThat(exit).as(err.toString()).isZero();
            List<String> keys = new ArrayList<>();
            TopicReader.readAll(bootstrap, Topics.ITEMS.name(), r -> {
                if (r.key().startsWith(benchmark)) {
                    keys.add(r.key());
                }
            });
            assertThat(keys).containsExactly(benchmark + "/a");
        } finally {
            ClientSettings.useLocalStack(false);
            CLUSTER.keySet().forEach(setting -> System.clearProperty(KafkaSettings.PREFIX + setting));
        }
    }

    private static int ingest(String bootstrap, Path file, StringWriter err) {
        CommandLine cli = Assay.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute("ingest", "--bootstrap", bootstrap, file.toString());
    }
}
