package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.FoldOutcome;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.SlotScan;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.Judgment;
import io.assay.kit.events.DeadLetterSink;
import io.assay.kit.events.EventHeaders;
import io.assay.kit.streams.StreamsEmitter;
import io.assay.kit.traces.Trace;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Thin Kafka glue around {@link Fold}: parses a judgment from bytes, folds it into the task's
 * stores, and dead-letters what cannot be parsed with its reason. Keys and values stay raw bytes so
 * a dead letter carries the original ones exactly.
 */
final class JudgmentProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private final AggregatorMetrics metrics;
    private final ViewChanges changes;
    private final SlotTallies tallies;
    private final EventHeaders headers;
    private final DeadLetterSink deadLetters;
    private StreamsEmitter emitter;
    private Fold fold;
    private int partition;
    private SlotScan scan;

    JudgmentProcessor(
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

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.emitter = new StreamsEmitter(context, headers, deadLetters);
        KeyValueStore<String, Slot> slots = context.getStateStore(AggregatorTopology.SLOTS);
        this.partition = context.taskId().partition();
        this.scan = action -> {
            try (KeyValueIterator<String, Slot> it = slots.all()) {
                it.forEachRemaining(kv -> action.accept(kv.key, kv.value));
            }
        };
        // Called after the store is restored (and again after a revive): the tallies count it.
        if (tallies.reset(partition, scan)) {
            changes.changedAll();
        }
        this.fold = new Fold(new StreamsFoldStore(slots, tallies, partition));
    }

    @Override
    public void close() {
        // Before Kafka Streams closes the task's stores: its slots are read once more and taken away.
        tallies.drop(partition, scan);
    }

    /**
     * Folds one judgment under its trace, the last span of its item's trace (snapshots fold many items'
     * judgments and start no span of theirs: docs/traces.md).
     */
    @Override
    public void process(Record<byte[], byte[]> record) {
        try (Trace trace = emitter.handling(record)) {
            fold(record);
        }
    }

    private void fold(Record<byte[], byte[]> record) {
        Judgment judgment;
        try {
            judgment = parse(record);
        } catch (InvalidEventException e) {
            emitter.deadLetter(record, "invalid", e.getMessage());
            return;
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (!Objects.equals(key, judgment.key())) {
            // Dedup is per task and complete only if every judgment of an item lands on the item's
            // partition; a judgment under another key could be counted by two tasks.
            emitter.deadLetter(record, "key-mismatch", "key " + key + " is not benchmark/itemId " + judgment.key());
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
        return EventType.JUDGMENT.parse(record.value(), Judgment.class, record.headers());
    }
}
