package io.assay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.kafka.ClientSettings;
import io.assay.contracts.Json;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.Topics;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** When a benchmark's snapshots on {@code assay.leaderboards} first count a target, on the in-JVM broker. */
@RequiresBroker
class LeaderboardWatchTest {
    private static final Properties CLIENT = new Properties();

    @BeforeAll
    static void topic() throws Exception {
        CLIENT.putAll(ClientSettings.forBootstrap(TestBroker.get().bootstrapServers()));
        try (Admin admin = Admin.create(CLIENT)) {
            admin.createTopics(List.of(new NewTopic(Topics.LEADERBOARDS.name(), 3, (short) 1)))
                    .all()
                    .get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    @Test
    void notesWhenASnapshotOfTheBenchmarkFirstCountsTheTarget() throws Exception {
        // Given a watch of benchmark b for 12 judgments, and another benchmark whose name starts the same
        String b = "watch-" + System.nanoTime();
        try (LeaderboardWatch watch = new LeaderboardWatch(TestBroker.get().bootstrapServers(), b, 12)) {
            // When the other benchmark's snapshot counts 100, and b's views count 5, then 9 and 12
            publish(b + "-warmup", "score", 100);
            publish(b, "score", 5);
            publish(b, "winrate", 9);
            long beforeTheLast = System.nanoTime();
            publish(b, "score", 12);

            // Then the target is seen after the last one was sent, and the count is b's own
            long seen = watch.awaitTarget(Duration.ofSeconds(30));
            assertThat(seen).isGreaterThanOrEqualTo(beforeTheLast);
            assertThat(watch.judgments()).isEqualTo(12);
        }
    }

    @Test
    void aTargetNeverReachedIsReportedAsNotSeenWithinTheTimeout() throws Exception {
        String b = "watch-" + System.nanoTime();
        try (LeaderboardWatch watch = new LeaderboardWatch(TestBroker.get().bootstrapServers(), b, 10)) {
            publish(b, "score", 9);

            assertThat(watch.awaitTarget(Duration.ofSeconds(3))).isEqualTo(-1);
            assertThat(watch.judgments()).isEqualTo(9);
        }
    }

    private static void publish(String benchmark, String view, long judgments) {
        LeaderboardSnapshot snapshot = new LeaderboardSnapshot(benchmark, view, Instant.now(), judgments, List.of());
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(CLIENT, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                    Topics.LEADERBOARDS.name(), benchmark + "/" + view, Json.writeBytes(snapshot)));
        }
    }
}
