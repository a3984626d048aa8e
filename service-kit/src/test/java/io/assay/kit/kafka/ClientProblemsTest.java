package io.assay.kit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientProblemsTest {
    private static final Map<String, Object> SETTINGS = Map.of(
            "bootstrap.servers", "broker:9093", "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512");

    @Test
    void aRefusedLoginNamesTheSettingsToCheck() {
        String message = ClientProblems.explain(
                new SaslAuthenticationException("Authentication failed: Invalid username or password"), SETTINGS);

        assertThat(message)
                .contains("Invalid username or password")
                .contains("broker:9093")
                .contains("SASL_SSL")
                .contains("SCRAM-SHA-512")
                .contains("kafka.sasl.jaas.config (KAFKA_SASL_JAAS_CONFIG)");
    }

    @Test
    void aFailedHandshakeAndAMissingGrantSayWhatToCheck() {
        // as the client reports it: Kafka's own message, the JDK's reason as its cause
        var untrusted = new SslAuthenticationException(
                "SSL handshake failed",
                new SSLHandshakeException("PKIX path building failed: unable to find valid certification path"));
        assertThat(ClientProblems.explain(untrusted, SETTINGS))
                .startsWith("The TLS handshake with Kafka failed: SSL handshake failed: PKIX path building failed")
                .contains("kafka.ssl.truststore.location (KAFKA_SSL_TRUSTSTORE_LOCATION)");
        assertThat(ClientProblems.explain(new TopicAuthorizationException("not authorized"), SETTINGS))
                .contains("Grant its principal the ACLs of its row in the README's \"ACLs\" section");
    }

    @Test
    void aStreamThreadsMissingGrantIsFoundBehindItsWrapperAndNamesTheGroup() {
        var denied = new GroupAuthorizationException("Not authorized to access group: assay-judge");
        var failure = new StreamsException("stream-thread [assay-judge-1] failed", new KafkaException("poll", denied));

        assertThat(ClientProblems.refusal(failure)).containsSame(denied);
        assertThat(ClientProblems.explain(ClientProblems.refusal(failure).orElseThrow(), SETTINGS))
                .startsWith("Kafka authenticated this client but does not allow it: Not authorized to access group: "
                        + "assay-judge");
        assertThat(ClientProblems.refusal(new StreamsException("a bug", new IllegalStateException("x"))))
                .isEmpty();
    }

    @Test
    void settingsKafkaCannotMakeAClientOfAreSaidWithTheSettingToCheck(@TempDir Path dir) {
        // Given a trust store that is not there, as from a secret mounted under another name
        String missing = dir.resolve("ca.pem").toString();
        assertThat(ClientProblems.unusable(Map.of(
                        "bootstrap.servers", "127.0.0.1:9",
                        "security.protocol", "SSL",
                        "ssl.truststore.type", "PEM",
                        "ssl.truststore.location", missing)))
                .hasValueSatisfying(message -> assertThat(message)
                        .startsWith("The Kafka client settings do not work: the file of ssl.truststore.location, "
                                + missing + ", does not exist")
                        .contains("security.protocol SSL")
                        .endsWith("Check kafka.ssl.truststore.location (KAFKA_SSL_TRUSTSTORE_LOCATION)"));

        // a value Kafka does not accept, and a bootstrap host that does not resolve
        assertThat(ClientProblems.unusable(Map.of("bootstrap.servers", "127.0.0.1:9", "security.protocol", "SASL-SSL")))
                .hasValueSatisfying(message -> assertThat(message)
                        .contains("ConfigException: Invalid value SASL-SSL for configuration security.protocol")
                        .endsWith("Check kafka.security.protocol (KAFKA_SECURITY_PROTOCOL)"));
        assertThat(ClientProblems.unusable(Map.of("bootstrap.servers", "kafka.no-such-host.invalid:9092")))
                .hasValueSatisfying(message -> assertThat(message)
                        .contains("No resolvable bootstrap urls")
                        .endsWith("Check kafka.bootstrap.servers (KAFKA_BOOTSTRAP_SERVERS)"));

        // a login Kafka cannot parse, named in words by its message
        assertThat(
                        ClientProblems.unusable(
                                Map.of(
                                        "bootstrap.servers",
                                        "127.0.0.1:9",
                                        "security.protocol",
                                        "SASL_PLAINTEXT",
                                        "sasl.mechanism",
                                        "SCRAM-SHA-512",
                                        "sasl.jaas.config",
                                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"a\" password=\"b\"")))
                .hasValueSatisfying(message -> assertThat(message)
                        .contains("IllegalArgumentException: JAAS config entry not terminated by semi-colon")
                        .endsWith("Check kafka.sasl.jaas.config (KAFKA_SASL_JAAS_CONFIG)"));

        // SASL without a login: Kafka's message names no setting that is set, so all of them are to check
        assertThat(ClientProblems.unusable(Map.of(
                        "bootstrap.servers", "127.0.0.1:9",
                        "security.protocol", "SASL_PLAINTEXT",
                        "sasl.mechanism", "SCRAM-SHA-512")))
                .hasValueSatisfying(message -> assertThat(message)
                        .contains("Could not find a 'KafkaClient' entry in the JAAS configuration")
                        .endsWith("Check the KAFKA_* variables and kafka.* properties"));

        // Settings Kafka can make a client of need no broker to say so; a broker that does not answer is no problem
        // of the settings
        assertThat(ClientProblems.unusable(Map.of("bootstrap.servers", "127.0.0.1:9")))
                .isEmpty();
        // nor is a trust store without TLS, which Kafka does not read
        assertThat(ClientProblems.unusable(
                        Map.of("bootstrap.servers", "127.0.0.1:9", "ssl.truststore.location", missing)))
                .isEmpty();
        assertThat(ClientProblems.problem(new TimeoutException(), SETTINGS)).isEmpty();
    }

    @Test
    void aSilentBrokerIsProbedForWhetherAnythingListensThere() throws Exception {
        // Given an address where something accepts connections and never answers (as a TLS or SASL listener does not
        // answer a PLAINTEXT client): the kernel completes the handshake from the backlog
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + listener.getLocalPort();
            ClientProblems.Probe probe =
                    ClientProblems.probe(Map.of("bootstrap.servers", "127.0.0.1:1, " + address), Duration.ofSeconds(1));

            // Then the probe says so, naming the address and the protocol the client spoke; one address refusing is
            // not all of them refusing
            assertThat(probe.accepts()).isTrue();
            assertThat(probe.refused()).isFalse();
            assertThat(probe.words())
                    .startsWith(address + " accepts connections but has not answered as security.protocol PLAINTEXT")
                    .endsWith("check kafka.security.protocol (KAFKA_SECURITY_PROTOCOL)");
        }

        // Given addresses where nothing listens: each is named with the JDK's reason
        int closed;
        try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closed = gone.getLocalPort();
        }
        ClientProblems.Probe nothing = ClientProblems.probe(
                Map.of("bootstrap.servers", "127.0.0.1:" + closed, "security.protocol", "SASL_SSL"),
                Duration.ofSeconds(1));
        assertThat(nothing.accepts()).isFalse();
        assertThat(nothing.refused()).isTrue();
        assertThat(nothing.words()).startsWith("cannot connect to 127.0.0.1:" + closed + " (Connection refused");
        assertThat(ClientProblems.probe(Map.of("bootstrap.servers", ""), Duration.ofSeconds(1))
                        .refused())
                .as("no address is no refusal")
                .isFalse();
    }
}
