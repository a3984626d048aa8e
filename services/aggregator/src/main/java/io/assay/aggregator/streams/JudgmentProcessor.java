package io.assay.aggregator.streams;

import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.FoldOutcome;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.Judgment;
import io.assay.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Thin Kafka glue around {@link Fold}: parses a judgment from bytes, folds it into the task's
 * stores, and sends what cannot be parsed to the dead-letter sink with its reason. Keys and values
 * stay raw bytes so a dead letter carries the original ones exactly.
 */
final class JudgmentProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger LOG = Logger.getLogger(JudgmentProcessor.class);

    private final AggregatorMetrics metrics;
    private final ViewChanges changes;
    private final SlotMirror mirror;
    private ProcessorContext<byte[], byte[]> context;
    private Fold fold;
    private int partition;

    JudgmentProcessor(AggregatorMetrics metrics, ViewChanges changes, SlotMirror mirror) {
        this.metrics = metrics;
        this.changes = changes;
        this.mirror = mirror;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        KeyValueStore<String, Slot> slots = context.getStateStore(AggregatorTopology.SLOTS);
        this.partition = context.taskId().partition();
        // Called after the store is restored (and again after a revive): the mirror starts from it.
        Map<String, Slot> restored = new HashMap<>();
        try (KeyValueIterator<String, Slot> it = slots.all()) {
            it.forEachRemaining(kv -> restored.put(kv.key, kv.value));
        }
        mirror.reset(partition, restored);
        if (!restored.isEmpty()) {
            changes.changedAll();
        }
        this.fold = new Fold(new StreamsFoldStore(slots, mirror, partition));
    }

    @Override
    public void close() {
        mirror.drop(partition);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Judgment judgment;
        try {
            judgment = parse(record);
        } catch (InvalidEventException e) {
            deadLetter(record, e);
            return;
        }
        FoldOutcome outcome = fold.apply(judgment);
        metrics.folded(judgment, outcome);
        if (outcome == FoldOutcome.COUNTED || outcome == FoldOutcome.REVISED) {
            // The store is what REST reads: from here the judgment is visible there.
            metrics.fresh(judgment.benchmark(), record.timestamp());
            changes.changed(judgment.benchmark());
        }
    }

    private static Judgment parse(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            throw new InvalidEventException("no value: the ledger has no tombstones");
        }
        Judgment judgment = EventType.JUDGMENT.parse(record.value(), Judgment.class);
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        // Dedup is per task and complete only if every judgment of an item lands on the item's
        // partition; a judgment under another key could be counted by two tasks.
        if (!Objects.equals(key, judgment.key())) {
            throw new InvalidEventException("key " + key + " is not benchmark/itemId " + judgment.key());
        }
        return judgment;
    }

    private void deadLetter(Record<byte[], byte[]> record, InvalidEventException reason) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(Topics.JUDGMENTS.name());
        String message = reason.getMessage() == null ? reason.getClass().getSimpleName() : reason.getMessage();
        Headers headers = DeadLetters.headers(
                record.headers(),
                AggregatorTopology.STAGE,
                message,
                topic,
                context.recordMetadata().map(RecordMetadata::partition).orElse(-1),
                context.recordMetadata().map(RecordMetadata::offset).orElse(-1L));
        context.forward(
                new Record<>(record.key(), record.value(), record.timestamp(), headers),
                AggregatorTopology.DEAD_LETTER_SINK);
        metrics.deadLetter(topic, reason);
        LOG.warnf("dead-lettered a record of %s: %s", topic, message);
    }
}
