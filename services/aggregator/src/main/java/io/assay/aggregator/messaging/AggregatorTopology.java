package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.Call;
import io.assay.aggregator.leaderboard.CallTally;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Topics;
import io.assay.kit.events.DeadLetterSink;
import io.assay.kit.events.EventHeaders;
import io.assay.kit.streams.StreamsEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The fold as a Processor API topology, run by the kit with exactly-once v2 so that a store update,
 * its changelog and the input offset commit together: a crash neither loses nor double-counts.
 *
 * <pre>
 * assay.judgments ─► judgments (JudgmentProcessor: slots) ─► assay.dead-letters
 * assay.responses ─► responses (ResponseProcessor: calls, call-tallies)
 * assay.items     ─► items (ItemStoreProcessor: items)
 * </pre>
 */
@ApplicationScoped
public class AggregatorTopology {
    /** Task-local store: slot key → the judgment that counts in it. */
    public static final String SLOTS = "slots";
    /** Task-local store: {@code benchmark|modelId|requestId} → cost, latency and answer of an evaluation call. */
    public static final String CALLS = "calls";
    /** Task-local store: {@code benchmark|modelId} → answered, failed by kind, last error (this partition's). */
    public static final String TALLIES = "call-tallies";

    /** Task-local store: {@code benchmark|itemId} → the item's latest revision, for the item page. */
    public static final String ITEMS = "items";

    private static final String JUDGMENTS_SOURCE = "judgments-source";
    private static final String JUDGMENTS_PROCESSOR = "judgments";
    private static final String RESPONSES_SOURCE = "responses-source";
    private static final String RESPONSES_PROCESSOR = "responses";
    private static final String ITEMS_SOURCE = "items-source";
    private static final String ITEMS_PROCESSOR = "items";

    private final AggregatorMetrics metrics;
    private final ViewChanges changes;
    private final SlotTallies tallies;
    private final EventHeaders headers;
    private final DeadLetterSink deadLetters;

    /**
     * A topology counting into {@code metrics}, telling {@code changes} which benchmarks changed and
     * keeping {@code tallies} in step with the slot stores.
     */
    public AggregatorTopology(
            AggregatorMetrics metrics,
            ViewChanges changes,
            SlotTallies tallies,
            EventHeaders headers,
            DeadLetterSink deadLetters) {
        this.metrics = metrics;
        this.changes = changes;
        this.tallies = tallies;
        this.headers = headers;
        this.deadLetters = deadLetters;
    }

    /** The topology the kit runs. */
    @Produces
    public Topology topology() {
        Topology topology = new Topology();
        topology.addSource(
                JUDGMENTS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), Topics.JUDGMENTS.name());
        topology.addProcessor(
                JUDGMENTS_PROCESSOR,
                () -> new JudgmentProcessor(metrics, changes, tallies, headers, deadLetters),
                JUDGMENTS_SOURCE);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(SLOTS), Serdes.String(), new JsonStoreSerde<>(Slot.class)),
                JUDGMENTS_PROCESSOR);
        StreamsEmitter.addSink(topology, Topics.DEAD_LETTERS, JUDGMENTS_PROCESSOR);
        topology.addSource(
                RESPONSES_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), Topics.RESPONSES.name());
        topology.addProcessor(RESPONSES_PROCESSOR, () -> new ResponseProcessor(metrics, changes), RESPONSES_SOURCE);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(CALLS), Serdes.String(), new JsonStoreSerde<>(Call.class)),
                RESPONSES_PROCESSOR);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(TALLIES),
                        Serdes.String(),
                        new JsonStoreSerde<>(CallTally.class)),
                RESPONSES_PROCESSOR);
        // Keyed benchmark/itemId with as many partitions as the judgments (Topics.PARTITIONS).
        topology.addSource(ITEMS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), Topics.ITEMS.name());
        topology.addProcessor(ITEMS_PROCESSOR, () -> new ItemStoreProcessor(metrics), ITEMS_SOURCE);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(ITEMS),
                        Serdes.String(),
                        new JsonStoreSerde<>(BenchmarkItem.class)),
                ITEMS_PROCESSOR);
        return topology;
    }
}
