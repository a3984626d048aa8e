package io.assay.promptgenerator.messaging;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.CloudEvents;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.Json;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Topics;
import io.assay.promptgenerator.messaging.ConfigView.RegisteredModel;
import io.assay.promptgenerator.prompts.PlannedVariant;
import io.assay.promptgenerator.prompts.PromptFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Turns items into prompts for every model and variant, and back-fills a task's items when a model
 * or a variant is added.
 *
 * <p>The task records in its {@code acknowledged} store which models (with the fingerprint of
 * their prompt-relevant fields) and which variants it has applied. A new item is prompted only
 * for acknowledged models and variants; a periodic reconciliation finds registered models and
 * variants that are not yet acknowledged, prompts every stored item for them, and then
 * acknowledges them. Both run on the stream thread and commit with the items and acknowledgements
 * in one transaction (exactly-once v2), so every (item, model, variant) is prompted once.
 */
final class ItemProcessor implements Processor<String, byte[], String, byte[]> {
    /** The service name: dead-letter stage and CloudEvents source. */
    static final String STAGE = "prompt-generator";

    static final String SOURCE = "/assay/" + STAGE;
    private static final Logger LOG = Logger.getLogger(ItemProcessor.class);
    private static final String MODEL = "model:";
    private static final String VARIANT = "variant:";
    private static final String BENCHMARK = "benchmark:";
    private static final String ACKNOWLEDGED = "1";
    private static final StringSerializer KEYS = new StringSerializer();

    private final PromptFactory factory;
    private final GeneratorMetrics metrics;
    private final Duration reconcileInterval;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, String> items;
    private KeyValueStore<String, String> acknowledged;
    private ConfigView config;

    ItemProcessor(PromptFactory factory, GeneratorMetrics metrics, Duration reconcileInterval) {
        this.factory = factory;
        this.metrics = metrics;
        this.reconcileInterval = reconcileInterval;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.items = context.getStateStore(PromptGeneratorTopology.ITEMS_STORE);
        this.acknowledged = context.getStateStore(PromptGeneratorTopology.ACKNOWLEDGED_STORE);
        this.config = new ConfigView(
                context.getStateStore(PromptGeneratorTopology.MODELS_STORE),
                context.getStateStore(PromptGeneratorTopology.BENCHMARKS_STORE));
        context.schedule(reconcileInterval, PunctuationType.WALL_CLOCK_TIME, this::reconcile);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            // A tombstone on the compacted items topic deletes the item; it is not prompted again.
            if (record.key() != null) {
                items.delete(record.key());
            }
            metrics.item("deleted");
            return;
        }
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
        String fingerprint = PromptFactory.itemFingerprint(item);
        String storedJson = items.get(item.key());
        if (storedJson != null) {
            StoredItem stored = Json.read(storedJson, StoredItem.class);
            int storedRevision = stored.item().revisionOrDefault();
            if (item.revisionOrDefault() < storedRevision) {
                // An older revision published late (say, an old file ingested again): the newer one stands.
                metrics.item("stale");
                return;
            }
            if (item.revisionOrDefault() == storedRevision) {
                if (fingerprint.equals(stored.fingerprint())) {
                    metrics.item("unchanged");
                    return;
                }
                // Its requests would reuse the ids already answered; a content change needs a new revision.
                deadLetter(
                        record,
                        "revision-not-bumped",
                        "the content of " + item.key() + " changed but its revision " + storedRevision
                                + " did not; publish the change as revision " + (storedRevision + 1));
                return;
            }
        }
        List<PromptRequest> prompts;
        try {
            prompts = promptsForNewItem(item, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        } catch (RuntimeException e) {
            LOG.warnf(e, "Cannot prompt item %s", item.key());
            deadLetter(record, "processing-error", e.toString());
            return;
        }
        items.put(item.key(), Json.write(new StoredItem(fingerprint, item)));
        metrics.item("new");
        for (PromptRequest prompt : prompts) {
            emit(prompt, record.timestamp(), false);
        }
    }

    /** Acknowledged models times acknowledged variants; the reconciliation covers the rest. */
    private List<PromptRequest> promptsForNewItem(BenchmarkItem item, Instant now) {
        String benchmark = item.benchmark();
        List<PlannedVariant> variants = config.variants(benchmark);
        if (acknowledged.get(BENCHMARK + benchmark) == null) {
            // The task's first item of this benchmark: no other item needs a back-fill for its
            // current variants, so they are acknowledged now rather than at the next reconciliation.
            acknowledged.put(BENCHMARK + benchmark, ACKNOWLEDGED);
            for (PlannedVariant variant : variants) {
                acknowledged.put(variantKey(benchmark, variant), ACKNOWLEDGED);
            }
        }
        List<PromptRequest> prompts = new ArrayList<>();
        for (RegisteredModel model : config.models().values()) {
            if (!model.spec().evaluates(benchmark)
                    || !model.fingerprint()
                            .equals(acknowledged.get(MODEL + model.spec().modelId()))) {
                continue;
            }
            for (PlannedVariant variant : variants) {
                if (acknowledged.get(variantKey(benchmark, variant)) != null) {
                    prompts.add(factory.evaluate(item, model.spec(), variant, now));
                }
            }
        }
        return prompts;
    }

    /**
     * Back-fills the task's items for models and variants it has not acknowledged, then
     * acknowledges them; forgets retired models and removed variants.
     */
    void reconcile(long timestamp) {
        Map<String, RegisteredModel> models = config.models();
        Map<String, String> modelAcks = scan(MODEL);
        List<RegisteredModel> added = new ArrayList<>();
        List<RegisteredModel> known = new ArrayList<>();
        for (RegisteredModel model : models.values()) {
            boolean current = model.fingerprint()
                    .equals(modelAcks.get(MODEL + model.spec().modelId()));
            (current ? known : added).add(model);
        }
        for (String key : modelAcks.keySet()) {
            if (!models.containsKey(key.substring(MODEL.length()))) {
                acknowledged.delete(key);
            }
        }
        Instant now = Instant.ofEpochMilli(timestamp);
        for (String benchmarkKey : scan(BENCHMARK).keySet()) {
            reconcileBenchmark(benchmarkKey.substring(BENCHMARK.length()), added, known, now, timestamp);
        }
        for (RegisteredModel model : added) {
            acknowledged.put(MODEL + model.spec().modelId(), model.fingerprint());
            LOG.debugf("Model %s applied (fingerprint %s)", model.spec().modelId(), model.fingerprint());
        }
    }

    private void reconcileBenchmark(
            String benchmark, List<RegisteredModel> added, List<RegisteredModel> known, Instant now, long timestamp) {
        List<PlannedVariant> variants = config.variants(benchmark);
        String prefix = VARIANT + benchmark + ":";
        Map<String, String> variantAcks = scan(prefix);
        List<PlannedVariant> newVariants = new ArrayList<>();
        Set<String> current = new HashSet<>();
        for (PlannedVariant variant : variants) {
            String key = variantKey(benchmark, variant);
            current.add(key);
            if (!variantAcks.containsKey(key)) {
                newVariants.add(variant);
            }
        }
        List<RegisteredModel> addedHere =
                added.stream().filter(m -> m.spec().evaluates(benchmark)).toList();
        List<RegisteredModel> knownHere =
                known.stream().filter(m -> m.spec().evaluates(benchmark)).toList();
        if (!addedHere.isEmpty() || (!newVariants.isEmpty() && !knownHere.isEmpty())) {
            int count = 0;
            try (KeyValueIterator<String, String> all = items.prefixScan(benchmark + "/", KEYS)) {
                while (all.hasNext()) {
                    BenchmarkItem item =
                            Json.read(all.next().value, StoredItem.class).item();
                    count += backfill(item, addedHere, variants, now, timestamp);
                    count += backfill(item, knownHere, newVariants, now, timestamp);
                }
            }
            if (count > 0) {
                LOG.infof(
                        "Back-filled %d prompts of benchmark %s (%d new models, %d new variants)",
                        count, benchmark, addedHere.size(), newVariants.size());
            }
        }
        for (PlannedVariant variant : newVariants) {
            acknowledged.put(variantKey(benchmark, variant), ACKNOWLEDGED);
        }
        for (String key : variantAcks.keySet()) {
            if (!current.contains(key)) {
                acknowledged.delete(key);
            }
        }
    }

    private int backfill(
            BenchmarkItem item,
            List<RegisteredModel> models,
            List<PlannedVariant> variants,
            Instant now,
            long timestamp) {
        int count = 0;
        for (RegisteredModel model : models) {
            for (PlannedVariant variant : variants) {
                emit(factory.evaluate(item, model.spec(), variant, now), timestamp, true);
                count++;
            }
        }
        return count;
    }

    private void emit(PromptRequest prompt, long timestamp, boolean backfilled) {
        Headers headers = CloudEvents.headers(EventType.PROMPT_REQUEST, prompt.requestId(), SOURCE);
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
                STAGE,
                reason == null ? reasonClass : reason,
                topic,
                source == null ? -1 : source.partition(),
                source == null ? -1 : source.offset());
        LOG.warnf("Dead-lettering item %s: %s", record.key(), reason);
        context.forward(record.withHeaders(headers), PromptGeneratorTopology.DEAD_LETTERS_SINK);
        metrics.deadLetter(topic, reasonClass);
        metrics.item("invalid");
    }

    private Map<String, String> scan(String prefix) {
        Map<String, String> found = new HashMap<>();
        try (KeyValueIterator<String, String> all = acknowledged.prefixScan(prefix, KEYS)) {
            while (all.hasNext()) {
                KeyValue<String, String> entry = all.next();
                found.put(entry.key, entry.value);
            }
        }
        return found;
    }

    private static String variantKey(String benchmark, PlannedVariant variant) {
        return VARIANT + benchmark + ":" + variant.label();
    }
}
