package io.assay.kit.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Kafka Streams application under exactly-once on the in-JVM broker, whose store is given a write its
 * changelog never got between two runs: what a RocksDB memtable flushed during a transaction that was then
 * aborted leaves on disk, next to the checkpoint Kafka Streams 4.1 keeps while running (KAFKA-20685).
 */
@RequiresBroker
class LastRunTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String STORE = "counts";

    private String topic;
    private Properties config;

    @BeforeEach
    void application() throws Exception {
        String id = "last-run-" + UUID.randomUUID();
        topic = id + "-in";
        try (Admin admin = TestBroker.get().admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        config = TestBroker.get().clientProperties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, id);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Path.of("target", "last-run", id).toAbsolutePath().toString());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // As the kit's services run: a restart takes the member's place at once (static membership)
        config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id + "-1");
    }

    @Test
    void afterARunThatDidNotCloseCleanlyEveryStoreIsRestoredFromItsChangelog() throws Exception {
        // Given a run that counted three records and closed cleanly, then a write in its store that its
        // changelog never got, and the record of a run that did not close (what a SIGKILL leaves)
        LastRun lastRun = LastRun.of(config);
        countedAndClosed(lastRun);
        writeBehindTheChangelog("ghost", 99L);
        Files.writeString(lastRun.marker(), "killed\n");

        // When the application starts again
        KafkaStreams streams = new KafkaStreams(counting(), config);
        boolean wiped = lastRun.beforeStart(streams);
        streams.start();
        try {
            // Then its local state was wiped and restored: the counts are back, the stray write is gone
            assertThat(wiped).isTrue();
            Map<String, Long> counts = awaitCounts(streams, 2);
            assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("a", 2L, "b", 1L));
        } finally {
            lastRun.afterClose(streams, streams.close(WAIT));
        }
        assertThat(lastRun.marker()).doesNotExist();
    }

    @Test
    void afterACleanCloseTheLocalStateIsKeptAsItIs() throws Exception {
        // Given the same run and stray write, but the run closed cleanly
        LastRun lastRun = LastRun.of(config);
        countedAndClosed(lastRun);
        writeBehindTheChangelog("ghost", 99L);

        // When the application starts again
        KafkaStreams streams = new KafkaStreams(counting(), config);
        boolean wiped = lastRun.beforeStart(streams);
        streams.start();
        try {
            // Then Kafka Streams trusts its files and its checkpoint: the stray write is read back. This is
            // why a run that was killed must not look like one that closed.
            assertThat(wiped).isFalse();
            assertThat(lastRun.marker()).exists();
            assertThat(awaitCounts(streams, 3)).containsEntry("ghost", 99L);
        } finally {
            lastRun.afterClose(streams, streams.close(WAIT));
        }
    }

    /** Counts a, a, b in a first run, closed cleanly: no marker left, a checkpoint written. */
    private void countedAndClosed(LastRun lastRun) throws Exception {
        try (TestClient client = TestBroker.get().client()) {
            for (String key : List.of("a", "a", "b")) {
                client.sendRaw(topic, key, key.getBytes(StandardCharsets.UTF_8));
            }
        }
        KafkaStreams streams = new KafkaStreams(counting(), config);
        assertThat(lastRun.beforeStart(streams)).isFalse();
        assertThat(lastRun.marker()).exists();
        streams.start();
        try {
            assertThat(awaitCounts(streams, 2)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 2L, "b", 1L));
        } finally {
            lastRun.afterClose(streams, streams.close(WAIT));
        }
        assertThat(lastRun.marker()).doesNotExist();
        assertThat(taskDir().resolve(".checkpoint")).exists();
    }

    /** Puts a key in task 0_0's RocksDB files directly, as a write that never reached the changelog. */
    private void writeBehindTheChangelog(String key, long value) {
        MockProcessorContext<Object, Object> context =
                new MockProcessorContext<>(config, new TaskId(0, 0), taskDir().toFile());
        KeyValueStore<Bytes, byte[]> store =
                Stores.persistentKeyValueStore(STORE).get();
        store.init(context.getStateStoreContext(), store);
        try {
            store.put(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)), new LongSerializer().serialize(topic, value));
        } finally {
            store.close();
        }
    }

    private Path taskDir() {
        return Path.of(config.getProperty(StreamsConfig.STATE_DIR_CONFIG), config.getProperty("application.id"), "0_0");
    }

    /** Counts the records of each key in a persistent, changelogged store. */
    private Topology counting() {
        Topology topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), topic);
        topology.addProcessor("count", Count::new, "in");
        topology.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Long()),
                "count");
        return topology;
    }

    private static final class Count implements Processor<String, String, Void, Void> {
        private KeyValueStore<String, Long> counts;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            counts = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, String> record) {
            Long count = counts.get(record.key());
            counts.put(record.key(), count == null ? 1 : count + 1);
        }
    }

    /** The store's entries once it is queryable and holds at least {@code keys} keys. */
    private static Map<String, Long> awaitCounts(KafkaStreams streams, int keys) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, Long> counts = new HashMap<>();
        while (System.nanoTime() < deadline) {
            try {
                ReadOnlyKeyValueStore<String, Long> store =
                        streams.store(StoreQueryParameters.fromNameAndType(STORE, QueryableStoreTypes.keyValueStore()));
                counts.clear();
                store.all().forEachRemaining(kv -> counts.put(kv.key, kv.value));
                if (counts.size() >= keys
                        && counts.values().stream().mapToLong(Long::longValue).sum() >= 3) {
                    return counts;
                }
            } catch (InvalidStateStoreException notYet) {
                // restoring, or not assigned yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the store held " + counts + " after " + WAIT + ", state " + streams.state());
    }
}
