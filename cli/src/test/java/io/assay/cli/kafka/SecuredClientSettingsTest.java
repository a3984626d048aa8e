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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The CLI logs in to a secured cluster (SASL_SSL, SCRAM-SHA-512) with the services' own {@code kafka.*} settings, and
 * when the cluster refuses them says which to check, as the services do, instead of "cannot reach Kafka".
 */
class SecuredClientSettingsTest {
    /** Well under the client's 8 s, and over a CLI command's run on a busy machine. */
    private static final Duration AT_ONCE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void ingestPublishesToASaslSslBrokerWithTheKafkaSettingsTheServicesUse() throws Exception {
        TestBroker secured = TestBroker.startSecured();
        Map<String, String> login = secured.serviceLogin(TestBroker.SERVICE_USER, TestBroker.SERVICE_PASSWORD);
        try {
            // Given the SCRAM login as kafka.* properties (KAFKA_* variables are read the same way)
            login.forEach((setting, value) -> System.setProperty(KafkaSettings.PREFIX + setting, value));
            String benchmark = "secured-" + System.nanoTime();
            Path file = dir.resolve("items.jsonl");
            Files.writeString(
                    file,
                    "{\"benchmark\":\"" + benchmark + "\",\"itemId\":\"a\",\"publishedAt\":\"2026-11-28T00:00:00Z\","
                            + "\"prompt\":\"2+2?\",\"reference\":{\"value\":4}}\n");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = Assay.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));

            // When it is ingested with only --bootstrap on the command line
            int exit = cli.execute("ingest", "--bootstrap", secured.bootstrapServers(), file.toString());

            // Then it is published, and read back through the same settings
            assertThat(exit).as(err.toString()).isZero();
            List<String> keys = new ArrayList<>();
            TopicReader.readAll(secured.bootstrapServers(), Topics.ITEMS.name(), r -> keys.add(r.key()));
            assertThat(keys).containsExactly(benchmark + "/a");
        } finally {
            login.keySet().forEach(setting -> System.clearProperty(KafkaSettings.PREFIX + setting));
            secured.close();
        }
    }

    @Test
    void aRefusedHandshakeOrLoginOrAnUnreadableTrustStoreIsSaidAsSuchNamingTheSettings() throws Exception {
        TestBroker secured = TestBroker.startSecured();
        Map<String, String> login = secured.serviceLogin(TestBroker.SERVICE_USER, TestBroker.SERVICE_PASSWORD);
        Path file = dir.resolve("items.jsonl");
        Files.writeString(
                file,
                "{\"benchmark\":\"refused\",\"itemId\":\"a\",\"publishedAt\":\"2026-11-28T00:00:00Z\","
                        + "\"prompt\":\"2+2?\",\"reference\":{\"value\":4}}\n");
        try {
            // Given the right login but no trust store: the JDK's own CAs, not the broker's certificate
            Map<String, String> untrusting = new HashMap<>(login);
            untrusting.keySet().removeIf(setting -> setting.startsWith("ssl.truststore"));
            assertThat(ingest(secured, untrusting, file))
                    .startsWith("assay: The TLS handshake with Kafka failed: SSL handshake failed: PKIX path building")
                    .contains("kafka.ssl.truststore.location (KAFKA_SSL_TRUSTSTORE_LOCATION)")
                    .doesNotContain("is the stack running");

            // Given the trust store but a wrong password
            Map<String, String> wrong =
                    new HashMap<>(secured.serviceLogin(TestBroker.SERVICE_USER, "not-the-password"));
            assertThat(ingest(secured, wrong, file))
                    .startsWith("assay: Kafka refused the SASL credentials")
                    .contains("kafka.sasl.jaas.config (KAFKA_SASL_JAAS_CONFIG)");

            // Given no settings at all for this cluster: its SASL_SSL listener accepts the connection and never
            // answers a PLAINTEXT client, which is said as such, not as a stack that is not running, and at once: the
            // listener closes the connection on a request in the clear (the client would wait its 8 s for nothing)
            long start = System.nanoTime();
            assertThat(ingest(secured, Map.of(), file))
                    .contains("assay: cannot reach Kafka at " + secured.bootstrapServers() + ": "
                            + secured.bootstrapServers() + " closed the connection when sent a Kafka request in the"
                            + " clear, as a TLS listener does (SSL or SASL_SSL), and security.protocol is PLAINTEXT;"
                            + " check kafka.security.protocol (KAFKA_SECURITY_PROTOCOL) and the kafka.ssl.* settings")
                    .doesNotContain("is the stack running");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);

            // Given the whole login, TLS included, for a broker whose listener is PLAINTEXT: said at once too
            TestBroker plain = TestBroker.get();
            start = System.nanoTime();
            assertThat(ingest(plain, login, file))
                    .contains("assay: cannot reach Kafka at " + plain.bootstrapServers() + ": "
                            + plain.bootstrapServers() + " answers Kafka requests in the clear (a PLAINTEXT or"
                            + " SASL_PLAINTEXT listener), and security.protocol is SASL_SSL, which speaks TLS; check"
                            + " kafka.security.protocol (KAFKA_SECURITY_PROTOCOL)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);

            // Given a trust store that is not there
            Map<String, String> missing = new HashMap<>(login);
            missing.put("ssl.truststore.location", dir.resolve("no-such.p12").toString());
            assertThat(ingest(secured, missing, file))
                    .startsWith("assay: The Kafka client settings do not work: the file of ssl.truststore.location, ")
                    .contains("no-such.p12, does not exist")
                    .contains("Check kafka.ssl.truststore.location (KAFKA_SSL_TRUSTSTORE_LOCATION)");
        } finally {
            secured.close();
        }
    }

    @Test
    void aClientInTheClearWithoutALoginAgainstASaslPlaintextListenerIsToldAtOnce() throws Exception {
        // Given a broker whose listener is SASL_PLAINTEXT (PLAIN and SCRAM-SHA-512), and no settings for it: the
        // listener answers ApiVersions in the clear and then closes the connection on any request before a login,
        // so a client waited its 8 s and heard "accepts connections but has not answered"
        TestBroker sasl = TestBroker.startAuthorized();
        Path file = dir.resolve("items.jsonl");
        Files.writeString(
                file,
                "{\"benchmark\":\"sasl\",\"itemId\":\"a\",\"publishedAt\":\"2026-11-28T00:00:00Z\","
                        + "\"prompt\":\"2+2?\",\"reference\":{\"value\":4}}\n");
        try {
            long start = System.nanoTime();
            assertThat(ingest(sasl, Map.of(), file))
                    .contains("assay: cannot reach Kafka at " + sasl.bootstrapServers() + ": " + sasl.bootstrapServers()
                            + " asks for a SASL login before any other request (a SASL_PLAINTEXT listener; mechanisms"
                            + " PLAIN, SCRAM-SHA-512), and security.protocol is PLAINTEXT; check"
                            + " kafka.security.protocol (KAFKA_SECURITY_PROTOCOL) and the kafka.sasl.* settings")
                    .doesNotContain("is the stack running");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);
        } finally {
            sasl.close();
        }
    }

    /** Runs {@code assay ingest} with {@code settings} as {@code kafka.*} properties; expects exit 1, returns stderr. */
    private static String ingest(TestBroker broker, Map<String, String> settings, Path file) {
        settings.forEach((setting, value) -> System.setProperty(KafkaSettings.PREFIX + setting, value));
        try {
            StringWriter err = new StringWriter();
            CommandLine cli = Assay.commandLine();
            cli.setOut(new PrintWriter(new StringWriter(), true));
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute("ingest", "--bootstrap", broker.bootstrapServers(), file.toString());
            assertThat(exit).as(err.toString()).isEqualTo(1);
            return err.toString();
        } finally {
            settings.keySet().forEach(setting -> System.clearProperty(KafkaSettings.PREFIX + setting));
        }
    }
}
