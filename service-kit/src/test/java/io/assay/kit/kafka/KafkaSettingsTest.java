package io.assay.kit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void propertiesAndEnvironmentVariablesAreClientSettings() {
        // Given a configuration with properties, variables, Streams settings and other keys
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", "broker:9093");
        config.put("kafka.security.protocol", "SASL_SSL");
        config.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        config.put("KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        config.put("kafka-streams.commit.interval.ms", "100");
        config.put("KAFKA_STREAMS_NUM_STREAM_THREADS", "2");
        config.put("kafka.ssl.truststore.location", "");
        config.put("quarkus.http.port", "8080");

        // When the client settings are read
        Map<String, Object> settings = KafkaSettings.clients(config.keySet(), config::get);

        // Then every kafka.* property and KAFKA_* variable is one, nothing else, blanks left out
        assertThat(settings)
                .containsOnly(
                        Map.entry("bootstrap.servers", "broker:9093"),
                        Map.entry("security.protocol", "SASL_SSL"),
                        Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                        Map.entry(
                                "sasl.jaas.config",
                                "org.apache.kafka.common.security.scram.ScramLoginModule required;"));
        assertThat(KafkaSettings.streams(config.keySet(), config::get))
                .containsOnly(Map.entry("commit.interval.ms", "100"));
    }

    @Test
    void aLowerCaseNameStartingWithTheEnvironmentPrefixIsNotASetting() {
        assertThat(KafkaSettings.clientSetting("KAFKA_bootstrap")).isNull();
        assertThat(KafkaSettings.clientSetting("kafkaesque.x")).isNull();
    }
}
