package io.assay.promptgenerator.messaging;

import io.assay.contracts.EventType;
import io.assay.contracts.Topics;
import io.assay.promptgenerator.config.PromptGeneratorConfig;
import io.assay.promptgenerator.prompts.PromptFactory;
import io.assay.promptgenerator.prompts.PromptRenderer;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The prompt generator's topology: models and benchmark specs in global stores; items through
 * {@link ItemProcessor} to {@code assay.prompts}, invalid ones to {@code assay.dead-letters}.
 * Values are read as bytes and parsed in the processors, so one bad record never stops a thread.
 */
@ApplicationScoped
public class PromptGeneratorTopology {
    /** The service name: dead-letter stage and CloudEvents source. */
    static final String STAGE = "prompt-generator";

    static final String SOURCE = "/assay/" + STAGE;
    static final String MODELS_STORE = "models";
    static final String BENCHMARKS_STORE = "benchmarks";
    static final String ITEMS_STORE = "items";
    static final String ACKNOWLEDGED_STORE = "acknowledged";
    static final String ITEMS_SOURCE = "items-source";
    static final String ITEM_PROCESSOR = "item-processor";
    static final String PROMPTS_SINK = "prompts-sink";
    static final String DEAD_LETTERS_SINK = "dead-letters-sink";

    private final PromptGeneratorConfig config;
    private final GeneratorMetrics metrics;

    /** A producer using the service settings and meter registry. */
    public PromptGeneratorTopology(PromptGeneratorConfig config, MeterRegistry registry) {
        this.config = config;
        this.metrics = new GeneratorMetrics(registry);
    }

    /** The topology Quarkus runs. */
    @Produces
    public Topology topology() {
        Topology topology = new Topology();
        addConfigStore(topology, MODELS_STORE, Topics.MODELS.name(), EventType.MODEL_SPEC);
        addConfigStore(topology, BENCHMARKS_STORE, Topics.BENCHMARKS.name(), EventType.BENCHMARK_SPEC);

        PromptFactory factory = new PromptFactory(new PromptRenderer());
        topology.addSource(ITEMS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), Topics.ITEMS.name());
        topology.addProcessor(
                ITEM_PROCESSOR, () -> new ItemProcessor(factory, metrics, config.reconcileInterval()), ITEMS_SOURCE);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(ITEMS_STORE), Serdes.String(), Serdes.String()),
                ITEM_PROCESSOR);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(ACKNOWLEDGED_STORE), Serdes.String(), Serdes.String()),
                ITEM_PROCESSOR);
        topology.addSink(
                PROMPTS_SINK, Topics.PROMPTS.name(), new StringSerializer(), new ByteArraySerializer(), ITEM_PROCESSOR);
        topology.addSink(
                DEAD_LETTERS_SINK,
                Topics.DEAD_LETTERS.name(),
                new StringSerializer(),
                new ByteArraySerializer(),
                ITEM_PROCESSOR);
        return topology;
    }

    private void addConfigStore(Topology topology, String store, String topic, EventType type) {
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                store + "-source",
                new StringDeserializer(),
                new ByteArrayDeserializer(),
                topic,
                store + "-updater",
                () -> new ConfigStoreUpdater(store, topic, type, metrics));
    }
}
