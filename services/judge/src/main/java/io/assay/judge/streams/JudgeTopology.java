package io.assay.judge.streams;

import io.assay.contracts.Topics;
import io.assay.judge.scoring.ReferenceJudge;
import io.assay.judge.scoring.ReferenceScorer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The judge's Kafka Streams topology (Processor API): items and responses into one
 * {@link JudgeProcessor} with its task-local stores, benchmark specs in a global store, judgments
 * and dead letters out. Values are read as bytes and parsed inside the processor, so an invalid
 * event becomes a dead letter instead of a deserialisation failure that stops the stream.
 */
@ApplicationScoped
public class JudgeTopology {
    static final String JUDGMENTS_SINK = "judgments-sink";
    static final String DEAD_LETTERS_SINK = "dead-letters-sink";
    private static final String ITEMS_SOURCE = "items-source";
    private static final String RESPONSES_SOURCE = "responses-source";
    private static final String JUDGE = "judge";

    private final JudgeMetrics metrics;

    /** With the meters the processors count into. */
    public JudgeTopology(JudgeMetrics metrics) {
        this.metrics = metrics;
    }

    /** The topology Quarkus runs. */
    @Produces
    public Topology topology() {
        ReferenceJudge judge = new ReferenceJudge(new ReferenceScorer(), Clock.systemUTC());
        Topology topology = new Topology();
        topology.addSource(ITEMS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.ITEMS.name());
        topology.addSource(RESPONSES_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.RESPONSES.name());
        topology.addProcessor(JUDGE, () -> new JudgeProcessor(judge, metrics), ITEMS_SOURCE, RESPONSES_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(JudgeProcessor.ITEMS_STORE), Serdes.String(), Serdes.ByteArray()), JUDGE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(JudgeProcessor.PENDING_STORE), Serdes.String(), Serdes.ByteArray()), JUDGE);
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BenchmarkSpecStore.STORE),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                "benchmarks-source",
                Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(),
                Topics.BENCHMARKS.name(),
                "benchmarks-updater",
                BenchmarkSpecStore.Updater::new);
        topology.addSink(JUDGMENTS_SINK, Topics.JUDGMENTS.name(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer(), JUDGE);
        topology.addSink(DEAD_LETTERS_SINK, Topics.DEAD_LETTERS.name(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer(), JUDGE);
        return topology;
    }
}
