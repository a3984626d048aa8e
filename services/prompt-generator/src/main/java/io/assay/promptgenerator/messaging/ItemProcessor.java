package io.assay.promptgenerator.messaging;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Topics;
import io.assay.kit.config.ConfigRegistry;
import io.assay.kit.events.DeadLetterSink;
import io.assay.kit.events.EventHeaders;
import io.assay.kit.leaderboards.LeaderboardFeed;
import io.assay.kit.streams.StreamsEmitter;
import io.assay.kit.traces.Trace;
import io.assay.promptgenerator.prompts.ItemPlan;
import io.assay.promptgenerator.prompts.PromptFactory;
import io.assay.promptgenerator.prompts.PromptPlanner;
import io.assay.promptgenerator.prompts.Registrations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Thin Kafka glue around {@link PromptPlanner}: parses an item from bytes, plans it over the task's
 * stores and emits its prompts, or dead-letters it with its reason. The prompt generator owns the dead
 * letters of {@code assay.items}: the judge reads the topic too, but skips what the contract refuses,
 * so each bad item is dead-lettered once, before any model is called (docs/delivery.md). A wall-clock punctuator runs the
 * planner's back-fill of new models and variants on the same stream thread, so items and back-fills
 * commit in the same transactions. Each item is handled under its trace ({@link StreamsEmitter#handling});
 * a back-filled prompt starts a trace of its own, since no record asked for it.
 */
final class ItemProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private final PromptFactory factory;
    private final ConfigRegistry registry;
    private final PromptGeneratorMetrics metrics;
    private final Duration reconcileInterval;
    private final EventHeaders headers;
    private final DeadLetterSink deadLetters;
    private final LeaderboardFeed leaderboards;
    private ProcessorContext<byte[], byte[]> context;
    private StreamsEmitter emitter;
    private PromptPlanner planner;

    ItemProcessor(
            PromptFactory factory,
            ConfigRegistry registry,
            LeaderboardFeed leaderboards,
            PromptGeneratorMetrics metrics,
            Duration reconcileInterval,
            EventHeaders headers,
            DeadLetterSink deadLetters) {
        this.factory = factory;
        this.registry = registry;
        this.leaderboards = leaderboards;
        this.metrics = metrics;
        this.reconcileInterval = reconcileInterval;
        this.headers = headers;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.emitter = new StreamsEmitter(context, headers, deadLetters);
        this.planner = new PromptPlanner(
                factory,
                Registrations.of(registry::models, registry::benchmark, this::irtRanking),
                new StreamsPlannerStore(
                        context.getStateStore(PromptGeneratorTopology.ITEMS_STORE),
                        context.getStateStore(PromptGeneratorTopology.ACKNOWLEDGED_STORE)));
        context.schedule(reconcileInterval, PunctuationType.WALL_CLOCK_TIME, this::reconcile);
    }

    /** The models of the benchmark's last published {@code irt} view, best first (the aggregator's view name). */
    private List<String> irtRanking(String benchmark) {
        return leaderboards
                .latest(benchmark, "irt")
                .map(snapshot -> snapshot.rows().stream()
                        .map(LeaderboardSnapshot.Row::modelId)
                        .toList())
                .orElse(List.of());
    }

    /**
     * Handles one item under its trace: the one its {@code traceparent} names, or a new one; the prompts
     * it emits carry it on (docs/traces.md).
     */
    @Override
    public void process(Record<byte[], byte[]> record) {
        try (Trace trace = emitter.handling(record)) {
            handle(record);
        }
    }

    private void handle(Record<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        ItemPlan plan;
        if (key == null) {
            deadLetter(record, "no-key", "the record has no key; an item is keyed benchmark/itemId");
            return;
        }
        if (record.value() == null) {
            // A tombstone on the compacted items topic deletes the item; it is not prompted again.
            plan = planner.delete(key);
        } else {
            BenchmarkItem item;
            try {
                item = EventType.BENCHMARK_ITEM.parse(record.value(), BenchmarkItem.class, record.headers());
            } catch (InvalidEventException e) {
                deadLetter(record, "invalid", e.getMessage());
                return;
            }
            if (!item.key().equals(key)) {
                deadLetter(record, "key-mismatch", "key " + key + " is not benchmark/itemId " + item.key());
                return;
            }
            plan = planner.accept(item, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        }
        if (plan.rejection() != null) {
            deadLetter(record, plan.rejection().reasonClass(), plan.rejection().reason());
            return;
        }
        metrics.item(plan.outcome().tag());
        for (PromptRequest prompt : plan.prompts()) {
            emit(prompt, record.timestamp(), false);
        }
    }

    private void reconcile(long timestamp) {
        planner.reconcile(Instant.ofEpochMilli(timestamp), prompt -> emit(prompt, timestamp, true));
    }

    private void emit(PromptRequest prompt, long timestamp, boolean backfilled) {
        emitter.emit(Topics.PROMPTS, prompt.key(), prompt.requestId(), prompt, timestamp);
        metrics.prompt(prompt.benchmark(), prompt.modelId(), backfilled);
    }

    private void deadLetter(Record<byte[], byte[]> record, String reasonClass, String reason) {
        emitter.deadLetter(record, reasonClass, reason);
        metrics.item("invalid");
    }
}
