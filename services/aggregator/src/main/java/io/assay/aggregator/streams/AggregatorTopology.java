package io.assay.aggregator.streams;

import io.assay.aggregator.leaderboard.Call;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.EventType;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The fold as a Processor API topology, run with exactly-once v2 so that a store update, its
 * changelog and the input offset commit together: a crash neither loses nor double-counts.
 *
 * <pre>
 * assay.judgments ─► judgments (JudgmentProcessor: slots) ─► assay.dead-letters
 * assay.responses ─► responses (ResponseProcessor: calls)
 * assay.models     ─► global store "models"
 * assay.benchmarks ─► global store "benchmarks"
 * </pre>
 */
@ApplicationScoped
public class AggregatorTopology {
    /** The dead-letter stage name. */
    public static final String STAGE = "aggregator";
    /** Task-local store: slot key → the judgment that counts in it. */
    public static final String SLOTS = "slots";
    /** Task-local store: {@code benchmark|modelId|requestId} → cost, latency and answer of an evaluation call. */
    public static final String CALLS = "calls";

    static final String RESPONSES_TOPIC = Topics.Names.RESPONSES;
    /** Global store: modelId → the ModelSpec's bytes. */
    public static final String MODELS = "models";
    /** Global store: benchmark → the BenchmarkSpec's bytes (category weights, baselines, K). */
    public static final String BENCHMARKS = "benchmarks";

    static final String DEAD_LETTER_SINK = "dead-letters";

    private static final String JUDGMENTS_SOURCE = "judgments-source";
    private static final String JUDGMENTS_PROCESSOR = "judgments";

    private final AggregatorMetrics metrics;
    private final ViewChanges changes;
    private final SlotMirror mirror;

    /**
     * A topology counting into {@code metrics}, telling {@code changes} which benchmarks changed and
     * keeping {@code mirror} in step with the slot stores.
     */
    public AggregatorTopology(AggregatorMetrics metrics, ViewChanges changes, SlotMirror mirror) {
        this.metrics = metrics;
        this.changes = changes;
        this.mirror = mirror;
    }

    /** The topology Quarkus runs. */
    @Produces
    public Topology topology() {
        Topology topology = new Topology();
        topology.addSource(
                JUDGMENTS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), Topics.JUDGMENTS.name());
        topology.addProcessor(
                JUDGMENTS_PROCESSOR, () -> new JudgmentProcessor(metrics, changes, mirror), JUDGMENTS_SOURCE);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(SLOTS), Serdes.String(), new JsonStoreSerde<>(Slot.class)),
                JUDGMENTS_PROCESSOR);
        topology.addSink(
                DEAD_LETTER_SINK,
                Topics.DEAD_LETTERS.name(),
                new ByteArraySerializer(),
                new ByteArraySerializer(),
                JUDGMENTS_PROCESSOR);
        topology.addSource(
                "responses-source", new StringDeserializer(), new ByteArrayDeserializer(), Topics.RESPONSES.name());
        topology.addProcessor("responses", () -> new ResponseProcessor(metrics), "responses-source");
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(CALLS), Serdes.String(), new JsonStoreSerde<>(Call.class)),
                "responses");
        // A global store's changelog is its source topic, so logging must be off.
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MODELS), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                "models-source",
                new StringDeserializer(),
                new ByteArrayDeserializer(),
                Topics.MODELS.name(),
                "models-processor",
                () -> new ConfigProcessor(metrics, MODELS, EventType.MODEL_SPEC, ModelSpec.class));
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(BENCHMARKS), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                "benchmarks-source",
                new StringDeserializer(),
                new ByteArrayDeserializer(),
                Topics.BENCHMARKS.name(),
                "benchmarks-processor",
                () -> new ConfigProcessor(metrics, BENCHMARKS, EventType.BENCHMARK_SPEC, BenchmarkSpec.class));
        return topology;
    }
}
