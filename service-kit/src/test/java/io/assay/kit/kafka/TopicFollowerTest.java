package io.assay.kit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The follower against the test broker, through a real consumer whose calls time out now and then, and with a
 * record its owner cannot apply.
 */
@RequiresBroker
class TopicFollowerTest {

    @Test
    void timeoutsOfTheClientAreRetriedAndTheFollowerStillCatchesUpAndFollows() throws Exception {
        // Given a topic with two records, and a consumer whose end offsets and first polls time out
        String topic = "follower-" + UUID.randomUUID();
        TestBroker.get().createTopicsNamed(List.of(new NewTopic(topic, 2, (short) 1)));
        TestClient client = TestBroker.get().client();
        client.sendRaw(topic, "a", "1");
        client.sendRaw(topic, "b", "2");
        AtomicInteger timeouts = new AtomicInteger();
        List<String> read = new CopyOnWriteArrayList<>();

        // When it is followed
        try (TopicFollower follower = TopicFollower.start(
                "follower-test", List.of(topic), () -> new TimingOut(timeouts), r -> read.add(r.key()), () -> {})) {

            // Then it reads everything there, says so, and goes on with what comes later
            assertThat(follower.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(read).containsExactlyInAnyOrder("a", "b");
            client.sendRaw(topic, "c", "3");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!read.contains("c") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(read).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(follower.failed()).isFalse();
            assertThat(timeouts.get()).isEqualTo(4);
        } finally {
            client.close();
        }
    }

    @Test
    void anErrorThatIsNotRetriableStopsTheFollowerAndShowsUntilItIsClosed() throws Exception {
        // Given a topic with a record its owner cannot apply
        String topic = "stopping-" + UUID.randomUUID();
        TestBroker.get().createTopicsNamed(List.of(new NewTopic(topic, 1, (short) 1)));
        TestClient client = TestBroker.get().client();
        client.sendRaw(topic, "bad", "1");

        // When it is followed
        TopicFollower follower = TopicFollower.start(
                "stopping-test",
                List.of(topic),
                () -> new KafkaConsumer<>(
                        TestBroker.get().clientSettings(), new StringDeserializer(), new ByteArrayDeserializer()),
                r -> {
                    throw new IllegalStateException("cannot apply " + r.key());
                },
                () -> {});
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!follower.failed() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }

            // Then it stops, and the JVM's stopped followers name its topic and the error (liveness fails on them)
            assertThat(follower.failed()).isTrue();
            assertThat(TopicFollower.stopped())
                    .anySatisfy(s -> assertThat(s).contains(topic).contains("cannot apply bad"));
        } finally {
            follower.close();
            client.close();
        }
        // ... until it is closed
        assertThat(TopicFollower.stopped()).noneSatisfy(s -> assertThat(s).contains(topic));
    }

    /** A real consumer of the test broker whose first end-offsets call and first three polls time out. */
    private static final class TimingOut extends KafkaConsumer<String, byte[]> {
        private final AtomicInteger timeouts;
        private int endOffsetCalls;
        private int polls;

        TimingOut(AtomicInteger timeouts) {
            super(TestBroker.get().clientSettings(), new StringDeserializer(), new ByteArrayDeserializer());
            this.timeouts = timeouts;
        }

        @Override
        public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
            if (endOffsetCalls++ == 0) {
                timeouts.incrementAndGet();
                throw new TimeoutException("end offsets timed out (injected)");
            }
            return super.endOffsets(partitions);
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            if (polls++ < 3) {
                timeouts.incrementAndGet();
                throw new TimeoutException("poll timed out (injected)");
            }
            return super.poll(timeout);
        }
    }
}
