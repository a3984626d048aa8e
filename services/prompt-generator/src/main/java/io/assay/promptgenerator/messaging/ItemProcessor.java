package io.assay.promptgenerator.messaging;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.CloudEvents;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.Json;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Topics;
import io.assay.promptgenerator.prompts.ItemPlan;
import io.assay.promptgenerator.prompts.PromptFactory;
import io.assay.promptgenerator.prompts.PromptPlanner;
import io.assay.promptgenerator.prompts.Registrations;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Thin Kafka glue around {@link PromptPlanner}: parses an item from bytes, plans it over the task's
 * stores and emits its prompts with CloudEvents headers, or sends it to the dead-letter sink with its
 * reason. A wall-clock punctuator runs the planner's back-fill of new models and variants on the same
 * stream thread, so items and back-fills commit in the same transactions.
 */
final class ItemProcessor implements Processor<String, byte[], String, byte[]> {
    private static final Logger LOG = Logger.getLogger(ItemProcessor.class);

    private final PromptFactory factory;
    private final GeneratorMetrics metrics;
    private final Duration reconcileInterval;
    private ProcessorContext<String, byte[]> context;
    private PromptPlanner planner;

    ItemProcessor(PromptFactory factory, GeneratorMetrics metrics, Duration reconcileInterval) {
        this.factory = factory;
        this.metrics = metrics;
        this.reconcileInterval = reconcileInterval;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        ConfigView config = new ConfigView(
                context.getStateStore(PromptGeneratorTopology.MODELS_STORE),
                context.getStateStore(PromptGeneratorTopology.BENCHMARKS_STORE));
        this.planner = new PromptPlanner(
                factory,
                Registrations.of(config::models, config::benchmark),
                new StreamsPlannerStore(
                        context.getStateStore(PromptGeneratorTopology.ITEMS_STORE),
                        context.getStateStore(PromptGeneratorTopology.ACKNOWLEDGED_STORE)));
        context.schedule(reconcileInterval, PunctuationType.WALL_CLOCK_TIME, this::reconcile);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        ItemPlan plan;
        if (record.value() == null) {
            // A tombstone on the compacted items topic deletes the item; it is not prompted again.
            plan = planner.delete(record.key());
        } else {
            BenchmarkItem item;
            try {
                item = EventType.BENCHMARK_ITEM.parse(record.value(), BenchmarkItem.class);
                if (!item.key().equals(record.key())) {
                    throw new InvalidEventException("key " + record.key() + " is not benchmark/itemId " + item.key());
                }
            } catch (InvalidEventException e) {
                deadLetter(record, "invalid-event", e.getMessage());
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
        Headers headers =
                CloudEvents.headers(EventType.PROMPT_REQUEST, prompt.requestId(), PromptGeneratorTopology.SOURCE);
        context.forward(
                new Record<>(prompt.key(), Json.writeBytes(prompt), timestamp, headers),
                PromptGeneratorTopology.PROMPTS_SINK);
        metrics.prompt(prompt.benchmark(), prompt.modelId(), backfilled);
    }

    private void deadLetter(Record<String, byte[]> record, String reasonClass, String reason) {
        RecordMetadata source = context.recordMetadata().orElse(null);
        String topic = source == null ? Topics.ITEMS.name() : source.topic();
        Headers headers = DeadLetters.headers(
                record.headers(),
                PromptGeneratorTopology.STAGE,
                reason == null ? reasonClass : reason,
                topic,
                source == null ? -1 : source.partition(),
                source == null ? -1 : source.offset());
        LOG.warnf("Dead-lettering item %s: %s", record.key(), reason);
        context.forward(record.withHeaders(headers), PromptGeneratorTopology.DEAD_LETTERS_SINK);
        metrics.deadLetter(topic, reasonClass);
        metrics.item("invalid");
    }
}
