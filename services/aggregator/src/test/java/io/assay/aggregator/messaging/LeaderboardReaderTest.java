package io.assay.aggregator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.Leaderboards;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.kit.config.ConfigRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reader over more slots than it reads into its heap: a window view is streamed and answers (the slot
 * path's snapshot), a view the tallies cannot answer is refused. Kafka Streams is a stand-in that is
 * RUNNING with every partition tallied and whose {@code slots} store is a sorted map.
 */
class LeaderboardReaderTest {
    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

    private final TreeMap<String, Slot> slots = new TreeMap<>();
    private final SlotTallies tallies = new SlotTallies();
    private final KafkaStreams streams = new Running(slots);

    @AfterEach
    void close() {
        streams.close(Duration.ZERO);
    }

    @Test
    void aWindowOverMoreSlotsThanTheLimitIsStreamedAndIrtIsRefused() {
        // Given: 1,000 reference verdicts of 10 models on 100 items, published an hour apart; a limit of 100
        for (int i = 0; i < 1_000; i++) {
            String item = "q" + (100 + i / 10);
            String model = "m" + i % 10;
            String key = String.join(Fold.SEPARATOR, "b", item, model, "v0", "exact", "1");
            slots.put(key, slot(i, item, model, AT.minus(Duration.ofHours(100 - i / 10))));
        }
        tallies.reset(0, slots::forEach);
        LeaderboardReader reader =
                new LeaderboardReader(streams, tallies, new ViewChanges(), new ConfigRegistry(), 100);
        ViewQuery window = new ViewQuery(View.ACCURACY, null, null, null, null, Duration.ofHours(24), false, 5);

        // When / Then: the window is answered, exactly as from the slots
        LeaderboardSnapshot streamed = reader.leaderboard("b", window).orElseThrow();
        assertThat(streamed)
                .isEqualTo(Leaderboards.build(
                        "b", List.copyOf(slots.values()), reader.context("b"), window, streamed.asOf()));
        assertThat(streamed.judgments()).isEqualTo(240);
        // ... and irt, which only the slots answer, is refused above the limit
        assertThatThrownBy(() -> reader.leaderboard("b", ViewQuery.of(View.IRT)))
                .isInstanceOf(TooManySlotsException.class);
    }

    private static Slot slot(int i, String item, String model, Instant published) {
        return new Slot(
                "judgment-" + i,
                1,
                i % 3 != 0,
                "c" + i % 4,
                false,
                item,
                model,
                JudgmentKind.CORRECT,
                null,
                "exact",
                null,
                null,
                null,
                null,
                null,
                false,
                null,
                published,
                AT.plusSeconds(i),
                "request-" + i,
                null,
                null,
                null,
                null,
                "1",
                null,
                null,
                null);
    }

    /** Kafka Streams RUNNING with no task of its own (so every partition counts as tallied), never started. */
    private static final class Running extends KafkaStreams {
        private final TreeMap<String, Slot> slots;

        Running(TreeMap<String, Slot> slots) {
            super(topology(), properties());
            this.slots = slots;
        }

        @Override
        public State state() {
            return State.RUNNING;
        }

        @Override
        public Set<ThreadMetadata> metadataForLocalThreads() {
            return Set.of();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T store(StoreQueryParameters<T> parameters) {
            NavigableMap<String, ?> store =
                    parameters.storeName().equals(AggregatorTopology.SLOTS) ? slots : new TreeMap<String, Object>();
            return (T) new SortedStore<>(store);
        }

        private static org.apache.kafka.streams.Topology topology() {
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream("in");
            return builder.build();
        }

        private static Properties properties() {
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "reader-test");
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
            try {
                p.put(
                        StreamsConfig.STATE_DIR_CONFIG,
                        Files.createTempDirectory("reader-test").toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return p;
        }
    }

    /** A store's prefix scan over a sorted map. */
    private record SortedStore<V>(NavigableMap<String, V> map) implements ReadOnlyKeyValueStore<String, V> {
        @Override
        public V get(String key) {
            return map.get(key);
        }

        @Override
        public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS serializer) {
            String p = (String) prefix;
            return iterator(map.subMap(p, true, p + Character.MAX_VALUE, false));
        }

        @Override
        public KeyValueIterator<String, V> range(String from, String to) {
            return iterator(map.subMap(from, true, to, true));
        }

        @Override
        public KeyValueIterator<String, V> all() {
            return iterator(map);
        }

        @Override
        public long approximateNumEntries() {
            return map.size();
        }

        private static <V> KeyValueIterator<String, V> iterator(Map<String, V> entries) {
            Iterator<Map.Entry<String, V>> it = entries.entrySet().iterator();
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public KeyValue<String, V> next() {
                    Map.Entry<String, V> e = it.next();
                    return KeyValue.pair(e.getKey(), e.getValue());
                }

                @Override
                public void close() {}

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }
}
