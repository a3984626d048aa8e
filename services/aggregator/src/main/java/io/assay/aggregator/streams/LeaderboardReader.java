package io.assay.aggregator.streams;

import io.assay.aggregator.leaderboard.AccuracyView;
import io.assay.aggregator.leaderboard.BenchmarkSummary;
import io.assay.aggregator.leaderboard.Tallies;
import io.assay.aggregator.leaderboard.Tally;
import io.assay.contracts.Json;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The read side: leaderboards computed from the stores through interactive queries. The tally
 * store seen here is the composite of every local task, and each task holds partial tallies of
 * the items of its partition, so entries of the same key are summed.
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
        return Tallies.summarize(read(tallies().all()));
    }

    /** The accuracy leaderboard of {@code benchmark}, empty when it has no judgments. */
    public Optional<LeaderboardSnapshot> accuracy(String benchmark) {
        List<Tally> merged = read(tallies().prefixScan(Tally.prefix(benchmark), new StringSerializer()));
        if (merged.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(AccuracyView.build(benchmark, merged, simulated(), now()));
    }

    /** The accuracy leaderboard of every benchmark, read in one pass. */
    public List<LeaderboardSnapshot> allAccuracy() {
        Map<String, List<Tally>> byBenchmark = read(tallies().all()).stream()
                .collect(Collectors.groupingBy(Tally::benchmark));
        Predicate<String> simulated = simulated();
        Instant asOf = now();
        List<LeaderboardSnapshot> snapshots = new ArrayList<>();
        byBenchmark.forEach((benchmark, merged) ->
                snapshots.add(AccuracyView.build(benchmark, merged, simulated, asOf)));
        return snapshots;
    }

    private Predicate<String> simulated() {
        ReadOnlyKeyValueStore<String, byte[]> models = store(AggregatorTopology.MODELS);
        return modelId -> {
            byte[] spec = models.get(modelId);
            if (spec == null) {
                return false;
            }
            try {
                return Json.mapper().readValue(spec, ModelSpec.class).simulated();
            } catch (IOException | RuntimeException e) {
                // Unknown is not simulated: only a spec that says provider sim labels a model so.
                return false;
            }
        };
    }

    private ReadOnlyKeyValueStore<String, Tally> tallies() {
        return store(AggregatorTopology.TALLIES);
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

    private static List<Tally> read(KeyValueIterator<String, Tally> iterator) {
        List<Tally> partials = new ArrayList<>();
        try (iterator) {
            iterator.forEachRemaining(kv -> partials.add(kv.value));
        }
        return Tallies.merge(partials);
    }

    private Instant now() {
        return clock.instant();
    }
}
