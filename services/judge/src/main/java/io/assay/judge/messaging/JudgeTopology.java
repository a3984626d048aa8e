package io.assay.judge.messaging;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.EventType;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Topics;
import io.assay.judge.llm.LlmJudging;
import io.assay.judge.prompts.JudgePrompts;
import io.assay.judge.scoring.ReferenceJudge;
import io.assay.judge.scoring.ReferenceScorer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The judge's Kafka Streams topology (Processor API): items and responses into one
 * {@link JudgeProcessor} with its task-local stores, benchmark specs and models in global stores,
 * judgments, judge prompt requests and dead letters out. Values are read as bytes and parsed inside the processor, so an invalid
 * event becomes a dead letter instead of a deserialisation failure that stops the stream.
 */
@ApplicationScoped
public class JudgeTopology {
    static final String JUDGMENTS_SINK = "judgments-sink";
    static final String DEAD_LETTERS_SINK = "dead-letters-sink";
    static final String PROMPTS_SINK = "prompts-sink";
    private static final String ITEMS_SOURCE = "items-source";
    private static final String RESPONSES_SOURCE = "responses-source";
    private static final String JUDGE = "judge";

    private final JudgeMetrics metrics;

    /** With the meters the processors count into. */
    public JudgeTopology(JudgeMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * The topic names the topology reads and writes: the {@link Topics} registry's in production; tests
     * that run their own Kafka Streams instance use unique names so no other judge sees their events.
     */
    record Names(
            String items,
            String responses,
            String benchmarks,
            String models,
            String prompts,
            String judgments,
            String deadLetters) {
        /** The registry's names. */
        static final Names STANDARD = new Names(
                Topics.ITEMS.name(),
                Topics.RESPONSES.name(),
                Topics.BENCHMARKS.name(),
                Topics.MODELS.name(),
                Topics.PROMPTS.name(),
                Topics.JUDGMENTS.name(),
                Topics.DEAD_LETTERS.name());

        /** The registry's names with a prefix. */
        static Names prefixed(String prefix) {
            return new Names(
                    prefix + STANDARD.items,
                    prefix + STANDARD.responses,
                    prefix + STANDARD.benchmarks,
                    prefix + STANDARD.models,
                    prefix + STANDARD.prompts,
                    prefix + STANDARD.judgments,
                    prefix + STANDARD.deadLetters);
        }

        List<String> all() {
            return List.of(items, responses, benchmarks, models, prompts, judgments, deadLetters);
        }
    }

    /** The topology Quarkus runs. */
    @Produces
    public Topology topology() {
        return topology(Names.STANDARD);
    }

    /** The topology over the given topics. */
    Topology topology(Names names) {
        ReferenceJudge judge = new ReferenceJudge(new ReferenceScorer(), Clock.systemUTC());
        LlmJudging llm = new LlmJudging(JudgePrompts.shipped(), Clock.systemUTC());
        Topology topology = new Topology();
        topology.addSource(
                ITEMS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), names.items());
        topology.addSource(
                RESPONSES_SOURCE,
                Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(),
                names.responses());
        topology.addProcessor(
                JUDGE,
                () -> new JudgeProcessor(judge, llm, metrics, names.items(), names.responses()),
                ITEMS_SOURCE,
                RESPONSES_SOURCE);
        for (String store : StreamsJudgingStore.STORES) {
            topology.addStateStore(
                    Stores.keyValueStoreBuilder(
                            Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray()),
                    JUDGE);
        }
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(ModelSpecStore.STORE),
                                Serdes.String(),
                                Serdes.ByteArray())
                        .withLoggingDisabled(),
                "models-source",
                Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(),
                names.models(),
                "models-updater",
                () -> new SpecUpdater<>(ModelSpecStore.STORE, EventType.MODEL_SPEC, ModelSpec.class, null));
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(BenchmarkSpecStore.STORE),
                                Serdes.String(),
                                Serdes.ByteArray())
                        .withLoggingDisabled(),
                "benchmarks-source",
                Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(),
                names.benchmarks(),
                "benchmarks-updater",
                () -> new SpecUpdater<>(
                        BenchmarkSpecStore.STORE,
                        EventType.BENCHMARK_SPEC,
                        BenchmarkSpec.class,
                        BenchmarkSpec::benchmark));
        topology.addSink(
                JUDGMENTS_SINK,
                names.judgments(),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer(),
                JUDGE);
        topology.addSink(
                PROMPTS_SINK,
                names.prompts(),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer(),
                JUDGE);
        topology.addSink(
                DEAD_LETTERS_SINK,
                names.deadLetters(),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer(),
                JUDGE);
        return topology;
    }
}
