package io.assay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.kafka.ClientSettings;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** What the broker's logs gained between two readings, on the in-JVM broker and from hand-made readings. */
@RequiresBroker
class BrokerWritesTest {

    @Test
    void countsTheRecordsAndBytesATopicGainedSinceTheFirstReading() throws Exception {
        // Given a topic of 2 partitions holding 5 records before the first reading
        String bootstrap = TestBroker.get().bootstrapServers();
        String topic = "broker-writes-" + System.nanoTime();
        Properties p = new Properties();
        p.putAll(ClientSettings.forBootstrap(bootstrap));
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        send(p, topic, 5);
        BrokerWrites before = BrokerWrites.read(bootstrap);

        // When 20 records of 1,000 bytes are written to it
        send(p, topic, 20);
        BrokerWrites written = BrokerWrites.read(bootstrap).since(before);

        // Then the topic gained 20 records and at least their 20,000 bytes (headers of the batches on top)
        BrokerWrites.Log log = written.topics().get(topic);
        assertThat(log.records()).isEqualTo(20);
        assertThat(log.bytes()).isBetween(20_000L, 30_000L);
    }

    @Test
    void subtractsPerTopicCountsNewTopicsFromZeroAndLeavesUnchangedOnesOut() {
        BrokerWrites before =
                new BrokerWrites(Map.of("a", new BrokerWrites.Log(10, 1_000), "b", new BrokerWrites.Log(5, 500)));
        BrokerWrites after = new BrokerWrites(Map.of(
                "a", new BrokerWrites.Log(30, 4_000),
                "b", new BrokerWrites.Log(5, 500),
                "c", new BrokerWrites.Log(4, 200)));

        BrokerWrites written = after.since(before);

        assertThat(written.topics())
                .containsOnly(
                        Map.entry("a", new BrokerWrites.Log(20, 3_000)), Map.entry("c", new BrokerWrites.Log(4, 200)));
        assertThat(written.total()).isEqualTo(new BrokerWrites.Log(24, 3_200));
        assertThat(written.perUnit(4, 1)).isEqualTo("6.00 records, 0.80 KB: a 5.00 / 0.75 KB");
    }

    private static void send(Properties p, String topic, int n) {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, new byte[1_000]));
            }
            producer.flush();
        }
    }
}
