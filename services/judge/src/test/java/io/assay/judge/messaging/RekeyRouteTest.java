package io.assay.judge.messaging;

import static io.assay.judge.JudgeFixtures.numericAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Json;
import io.assay.contracts.Judgment;
import io.assay.contracts.Reference;
import io.assay.contracts.Topics;
import io.assay.judge.JudgeFixtures;
import io.assay.kit.config.ConfigRegistry;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Only the records off their partition take the judge's repartition topic: on a real broker and a real
 * Kafka Streams runtime, items a Java producer wrote and items written elsewhere (as librdkafka's CRC32
 * partitioner would) are all judged with their responses, and the repartition topic carries only the
 * latter (counted by the Streams producer's own per-topic metric).
 */
@RequiresBroker
class RekeyRouteTest {
    private static final int ITEMS = 12;

    @Test
    void onlyRecordsOffTheirPartitionTakeTheRepartitionTopicAndEveryItemIsJudged() throws Exception {
        // Given 12 numeric items on topics of 3 partitions, every other one written off the partition murmur2
        // gives its key, and an answer to each written by a Java producer; when the judge runs, then every
        // answer is judged and only the six items off their partition went through the repartition topic
        assertThat(judgeAll(Topics.PARTITIONS)).isEqualTo(ITEMS / 2);
    }

    @Test
    void itemsOnMorePartitionsThanResponsesAreJudgedToo() throws Exception {
        // Given items on 6 partitions and responses on 3 (the repartition topic's count is Kafka Streams'),
        // then every answer is judged and exactly the records off the repartition topic's partition took it
        judgeAll(6);
    }

    /**
     * Writes {@value #ITEMS} items on {@code itemPartitions} partitions (every other one off murmur2's) and an
     * answer to each, runs the judge until every answer is judged correct against its own item, checks that
     * the records that took the repartition topic are exactly those off the partition it would give them, and
     * returns how many did.
     */
    private static double judgeAll(int itemPartitions) throws Exception {
        String run = "rekey-" + UUID.randomUUID().toString().substring(0, 8);
        JudgeTopology.Names names = JudgeTopology.Names.prefixed(run + ".");
        PairingRestartTest.createTopics(names);
        if (itemPartitions != Topics.PARTITIONS) {
            try (Admin admin = TestBroker.get().admin()) {
                admin.createPartitions(Map.of(names.items(), NewPartitions.increaseTo(itemPartitions)))
                        .all()
                        .get();
            }
        }
        String appId = "judge-" + run;
        Path disk = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "judge-rekey");
        List<BenchmarkItem> items = new ArrayList<>();
        List<Integer> partitions = new ArrayList<>();
        try (TestClient client = TestBroker.get().client();
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        TestBroker.get().clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < ITEMS; i++) {
                BenchmarkItem item =
                        JudgeFixtures.item("bench", "item-" + i, "What is " + i + "?", Reference.numeric(i, 0));
                int murmur2 = murmur2(item.key(), itemPartitions);
                int partition = i % 2 == 0 ? murmur2 : (murmur2 + 1) % itemPartitions;
                producer.send(new ProducerRecord<>(names.items(), partition, item.key(), Json.writeBytes(item)))
                        .get();
                items.add(item);
                partitions.add(partition);
                ObjectNode answer = (ObjectNode) Json.tree(Json.writeBytes(numericAnswer("r" + i, 1, "Answer: " + i)));
                answer.put("itemId", "item-" + i);
                client.sendRaw(names.responses(), item.key(), Json.writeBytes(answer));
            }

            KafkaStreams streams = PairingRestartTest.start(names, new ConfigRegistry(), appId, disk);
            try {
                List<Judgment> judgments = Awaitility.await()
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(200))
                        .until(
                                () -> client.readAllRaw(names.judgments()).stream()
                                        .map(r -> Json.read(
                                                new String(r.value(), StandardCharsets.UTF_8), Judgment.class))
                                        .toList(),
                                j -> j.size() >= ITEMS);
                assertThat(judgments).hasSize(ITEMS);
                assertThat(judgments).allSatisfy(j -> assertThat(j.correct()).isTrue());

                String rekey = JudgeTopology.rekeyTopic(appId);
                int n;
                try (Admin admin = TestBroker.get().admin()) {
                    n = admin.describeTopics(List.of(rekey))
                            .allTopicNames()
                            .get()
                            .get(rekey)
                            .partitions()
                            .size();
                }
                long offItems = 0;
                long offResponses = 0;
                for (int i = 0; i < ITEMS; i++) {
                    String key = items.get(i).key();
                    offItems += partitions.get(i) == murmur2(key, n) ? 0 : 1;
                    offResponses += murmur2(key, Topics.PARTITIONS) == murmur2(key, n) ? 0 : 1;
                }
                double sent = sent(streams, rekey);
                assertThat(sent).isEqualTo((double) (offItems + offResponses));
                return sent;
            } finally {
                PairingRestartTest.stop(streams);
                PairingRestartTest.deleteRecursively(disk);
            }
        }
    }

    private static int murmur2(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Records the application's producers sent to {@code topic}, by their per-topic metric. */
    private static double sent(KafkaStreams streams, String topic) {
        return streams.metrics().values().stream()
                .filter(m -> m.metricName().name().equals("record-send-total")
                        && m.metricName().group().equals("producer-topic-metrics")
                        && topic.equals(m.metricName().tags().get("topic")))
                .mapToDouble(m -> ((Number) m.metricValue()).doubleValue())
                .sum();
    }
}
