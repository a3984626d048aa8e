package io.assay.aggregator.streams;

import io.assay.aggregator.leaderboard.BenchmarkSummary;
import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.Leaderboards;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.Json;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The read side: leaderboards computed from the slot store through interactive queries. The store
 * seen here is the composite of every local task (each holds the slots of its partition's items);
 * slots are sorted by key, so every view sees them in the same order whatever the partitioning.
 *
 * <p>Only local tasks are read: one instance serves every partition. Several instances would need
 * a repartition by benchmark or remote queries (a later issue).
 *
 * <p>Throws {@link InvalidStateStoreException} while the stores are not queryable (startup,
 * rebalancing); the REST layer answers 503 with Retry-After.
 */
@ApplicationScoped
public class LeaderboardReader {
    private final KafkaStreams streams;
    private final Clock clock = Clock.systemUTC();

    /** Reads the stores of {@code streams}. */
    public LeaderboardReader(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Every benchmark with judgments, sorted by name. */
    public List<BenchmarkSummary> benchmarks() {
        Map<String, List<Slot>> byBenchmark = new TreeMap<>();
        try (KeyValueIterator<String, Slot> it = slotStore().all()) {
            it.forEachRemaining(kv -> byBenchmark.computeIfAbsent(benchmarkOf(kv.key), b -> new ArrayList<>())
                    .add(kv.value));
        }
        List<BenchmarkSummary> out = new ArrayList<>();
        byBenchmark.forEach((b, slots) -> out.add(new BenchmarkSummary(b, slots.size(),
                (int) slots.stream().map(Slot::modelId).distinct().count())));
        return out;
    }

    /** The names of the benchmarks with judgments. */
    public List<String> benchmarkNames() {
        return benchmarks().stream().map(BenchmarkSummary::benchmark).toList();
    }

    /** The slots of {@code benchmark} in key order. */
    public List<Slot> slots(String benchmark) {
        List<KeyValue<String, Slot>> entries = new ArrayList<>();
        try (KeyValueIterator<String, Slot> it = slotStore().prefixScan(Fold.prefix(benchmark),
                new StringSerializer())) {
            it.forEachRemaining(entries::add);
        }
        entries.sort(Comparator.comparing(kv -> kv.key));
        return entries.stream().map(kv -> kv.value).toList();
    }

    /** The accuracy leaderboard of {@code benchmark}, empty when it has no judgments. */
    public Optional<LeaderboardSnapshot> accuracy(String benchmark) {
        return leaderboard(benchmark, ViewQuery.of(View.ACCURACY));
    }

    /** A view of {@code benchmark}, empty when the benchmark has no judgments at all. */
    public Optional<LeaderboardSnapshot> leaderboard(String benchmark, ViewQuery query) {
        List<Slot> slots = slots(benchmark);
        if (slots.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Leaderboards.build(benchmark, slots, context(benchmark), query, clock.instant()));
    }

    /** What the views know of {@code benchmark} besides its slots. */
    public Leaderboards.Context context(String benchmark) {
        return new Leaderboards.Context(models(), spec(benchmark));
    }

    /** Every registered model that parses. */
    public Map<String, ModelSpec> models() {
        Map<String, ModelSpec> models = new TreeMap<>();
        ReadOnlyKeyValueStore<String, byte[]> store = store(AggregatorTopology.MODELS);
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> parse(kv.value, ModelSpec.class).ifPresent(m -> models.put(kv.key, m)));
        }
        return models;
    }

    /** The benchmark's spec, {@code null} when it is not registered. */
    public BenchmarkSpec spec(String benchmark) {
        byte[] bytes = this.<byte[]>store(AggregatorTopology.BENCHMARKS).get(benchmark);
        return bytes == null ? null : parse(bytes, BenchmarkSpec.class).orElse(null);
    }

    private static <T> Optional<T> parse(byte[] bytes, Class<T> type) {
        try {
            return Optional.of(Json.mapper().readValue(bytes, type));
        } catch (IOException | RuntimeException e) {
            // The config processor stores only valid specs; an unreadable one is treated as absent.
            return Optional.empty();
        }
    }

    private static String benchmarkOf(String slotKey) {
        return slotKey.substring(0, slotKey.indexOf(Fold.SEPARATOR));
    }

    private ReadOnlyKeyValueStore<String, Slot> slotStore() {
        return store(AggregatorTopology.SLOTS);
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        // KafkaStreams.store throws IllegalStateException once it is shutting down or has failed;
        // to callers that is the same "not queryable now" as a rebalance.
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            throw new InvalidStateStoreException("Kafka Streams is " + state);
        }
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }
}
