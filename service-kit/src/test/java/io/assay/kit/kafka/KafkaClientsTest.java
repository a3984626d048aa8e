package io.assay.kit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.kit.ServiceIdentity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
    private static final Map<String, Object> SECURED = Map.of(
            "bootstrap.servers", "broker:9093",
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    private final KafkaClients clients = new KafkaClients(SECURED, new ServiceIdentity("judge", "pod-1"), null);

    @Test
    void groupMembersAreStaticAndRebalanceCooperatively() {
        Map<String, Object> config = clients.groupConsumerConfig("assay-judge");

        assertThat(config)
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "assay-judge")
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "assay-judge-pod-1")
                .containsEntry(
                        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName())
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000)
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
    }

    @Test
    void aSessionTimeoutInTheSettingsWinsOverTheKitsForGroupsAndStreams() {
        KafkaClients patient = new KafkaClients(
                Map.of("bootstrap.servers", "broker:9092", "session.timeout.ms", "45000"),
                new ServiceIdentity("judge", "pod-1"),
                null);

        assertThat(patient.groupConsumerConfig("assay-judge"))
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "45000")
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        assertThat(patient.streamsConfig("assay-judge", Map.of()))
                .containsEntry("session.timeout.ms", "45000")
                .doesNotContainKey("main.consumer.session.timeout.ms");
        assertThat(clients.streamsConfig("assay-judge", Map.of("consumer.heartbeat.interval.ms", "1000")))
                .containsEntry("main.consumer.session.timeout.ms", 10_000)
                .containsEntry("consumer.heartbeat.interval.ms", "1000")
                .doesNotContainKey("main.consumer.heartbeat.interval.ms");
    }

    @Test
    void kafkaStreamsGetsTheSecuritySettingsAndStaticMembershipOverItsOwnSettings() {
        // Given Streams settings that try to change what the kit owns
        Properties config = clients.streamsConfig(
                "assay-judge",
                Map.of(
                        "commit.interval.ms",
                        "100",
                        StreamsConfig.APPLICATION_ID_CONFIG,
                        "other",
                        StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                        "other"));

        // Then the security settings are there, and the kit's identity wins
        assertThat(config)
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("commit.interval.ms", "100")
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "assay-judge")
                .containsEntry(StreamsConfig.CLIENT_ID_CONFIG, "assay-judge-streams-pod-1")
                .containsEntry("main.consumer.group.instance.id", "assay-judge-pod-1")
                .containsEntry("main.consumer.session.timeout.ms", 10_000)
                .containsEntry("main.consumer.heartbeat.interval.ms", 3_000);
    }

    @Test
    void aClosedClientLeavesNoMeterAndNoRefreshThreadBehind() throws InterruptedException {
        // Given: clients whose metrics go to a registry, and the refresh threads of Micrometer's Kafka binders now
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        KafkaClients metered = new KafkaClients(
                Map.of("bootstrap.servers", "127.0.0.1:9"), new ServiceIdentity("aggregator", "local"), meters);
        long before = refreshThreads();

        // When: a reader and a producer are opened and closed three times, as the aggregator's status reads do
        for (int i = 0; i < 3; i++) {
            try (Consumer<byte[], byte[]> reader =
                    metered.reader("status", new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                Producer<byte[], byte[]> producer =
                        metered.producer("events", new ByteArraySerializer(), new ByteArraySerializer());
                assertThat(meters.getMeters()).as("bound while open").isNotEmpty();
                producer.close(Duration.ZERO);
            }
        }

        // Then: none of their meters is left in the registry, and none of their refresh threads runs on
        assertThat(meters.getMeters()).isEmpty();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (refreshThreads() > before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(refreshThreads()).isEqualTo(before);
    }

    /** The threads that refresh a Kafka client's meters (one per binder, until it is closed). */
    private static long refreshThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("micrometer-kafka-metrics"))
                .count();
    }

    @Test
    void withoutBootstrapServersThereIsNoClient() {
        assertThatThrownBy(() -> new KafkaClients(Map.of(), new ServiceIdentity("judge", "local"), null))
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
    }
}
