package io.assay.promptgenerator.messaging;

import io.assay.contracts.Topics;
import io.assay.kit.config.ConfigRegistry;
import io.assay.kit.events.DeadLetterSink;
import io.assay.kit.events.EventHeaders;
import io.assay.kit.leaderboards.LeaderboardFeed;
import io.assay.kit.streams.StreamsEmitter;
import io.assay.promptgenerator.config.PromptGeneratorConfig;
import io.assay.promptgenerator.prompts.PromptFactory;
import io.assay.promptgenerator.prompts.PromptRenderer;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The prompt generator's topology, run by the kit: items through {@link ItemProcessor} to
 * {@code assay.prompts}, invalid ones to {@code assay.dead-letters}. Values are read as bytes and
 * parsed in the processor, so one bad record never stops a thread.
 */
@ApplicationScoped
public class PromptGeneratorTopology {
    static final String ITEMS_STORE = "items";
    static final String ACKNOWLEDGED_STORE = "acknowledged";
    static final String ITEMS_SOURCE = "items-source";
    static final String ITEM_PROCESSOR = "item-processor";

    private final PromptGeneratorConfig config;
    private final PromptGeneratorMetrics metrics;
    private final ConfigRegistry registry;
    private final EventHeaders headers;
    private final DeadLetterSink deadLetters;
    private final LeaderboardFeed leaderboards;

    /**
     * A topology with the service's settings, meters, registered models and benchmarks, outputs, and the
     * published leaderboards (read only by a benchmark whose anchors are chosen from its {@code irt} ranking).
     */
    public PromptGeneratorTopology(
            PromptGeneratorConfig config,
            MeterRegistry meters,
            ConfigRegistry registry,
            EventHeaders headers,
            DeadLetterSink deadLetters,
            LeaderboardFeed leaderboards) {
        this.config = config;
        this.metrics = new PromptGeneratorMetrics(meters);
        this.registry = registry;
        this.headers = headers;
        this.deadLetters = deadLetters;
        this.leaderboards = leaderboards;
    }

    /** The topology the kit runs. */
    @Produces
    public Topology topology() {
        Topology topology = new Topology();
        PromptFactory factory = new PromptFactory(new PromptRenderer());
        topology.addSource(ITEMS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), Topics.ITEMS.name());
        topology.addProcessor(
                ITEM_PROCESSOR,
                () -> new ItemProcessor(
                        factory, registry, leaderboards, metrics, config.reconcileInterval(), headers, deadLetters),
                ITEMS_SOURCE);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(ITEMS_STORE), Serdes.String(), Serdes.String()),
                ITEM_PROCESSOR);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(ACKNOWLEDGED_STORE), Serdes.String(), Serdes.String()),
                ITEM_PROCESSOR);
        StreamsEmitter.addSink(topology, Topics.PROMPTS, ITEM_PROCESSOR);
        StreamsEmitter.addSink(topology, Topics.DEAD_LETTERS, ITEM_PROCESSOR);
        return topology;
    }
}
