package io.assay.kit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class BrokerCheckTest {
    private static final Map<String, Object> SETTINGS = Map.of(
            "bootstrap.servers", "broker:9093", "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512");

    @Test
    void aRefusedLoginNamesTheSettingsToCheck() {
        String message = BrokerCheck.explain(
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
        assertThat(BrokerCheck.explain(untrusted, SETTINGS))
                .startsWith("The TLS handshake with Kafka failed: SSL handshake failed: PKIX path building failed")
                .contains("kafka.ssl.truststore.location (KAFKA_SSL_TRUSTSTORE_LOCATION)");
        assertThat(BrokerCheck.explain(new TopicAuthorizationException("not authorized"), SETTINGS))
                .contains("Grant its principal the ACLs of its row in the README's \"ACLs\" section");
    }

    @Test
    void aStreamThreadsMissingGrantIsFoundBehindItsWrapperAndNamesTheGroup() {
        var denied = new GroupAuthorizationException("Not authorized to access group: assay-judge");
        var failure = new StreamsException("stream-thread [assay-judge-1] failed", new KafkaException("poll", denied));

        assertThat(BrokerCheck.refusal(failure)).containsSame(denied);
        assertThat(BrokerCheck.explain(BrokerCheck.refusal(failure).orElseThrow(), SETTINGS))
                .startsWith("Kafka authenticated this client but does not allow it: Not authorized to access group: "
                        + "assay-judge");
        assertThat(BrokerCheck.refusal(new StreamsException("a bug", new IllegalStateException("x"))))
                .isEmpty();
    }
}
