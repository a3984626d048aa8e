package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.FoldOutcome;
import io.assay.aggregator.leaderboard.View;
import io.assay.contracts.Judgment;
import io.assay.kit.metrics.Counters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The aggregator's meters. Counts are of processing attempts: under exactly-once a batch that is
 * aborted and re-processed is counted again here, while the stores count it once.
 */
@ApplicationScoped
public class AggregatorMetrics {
    /** Judgments seen, by benchmark and {@link FoldOutcome}. */
    static final String JUDGMENTS = "assay.aggregator.judgments";
    /** Redelivered judgments ignored, by benchmark. */
    static final String DUPLICATES = "assay.aggregator.duplicates";
    /** Unparseable verdicts folded (excluded from accuracy), by benchmark and model. */
    static final String UNPARSEABLE = "assay.aggregator.unparseable";
    /**
     * Responses skipped because they are invalid (the invoker and the judge, which read the topic
     * first-hand, dead-letter them).
     */
    static final String SKIPPED_RESPONSES = "assay.aggregator.skipped.responses";
    /**
     * Items skipped because they are invalid or under another key (the prompt-generator, which reads the
     * topic first-hand, dead-letters them).
     */
    static final String SKIPPED_ITEMS = "assay.aggregator.skipped.items";
    /** From a judgment's record timestamp (its publication) to the view being updated, by benchmark. */
    public static final String FRESHNESS = "assay.aggregator.freshness";
    /** Leaderboard snapshots published, by benchmark. */
    public static final String SNAPSHOTS = "assay.aggregator.snapshots";

    /**
     * The snapshot publisher's computation of one view (default settings), by benchmark and view: which
     * views cost the time on a long history.
     */
    public static final String SNAPSHOT_COMPUTE = "assay.aggregator.snapshot.compute";

    /**
     * How long a view computed from the slots waited for its share of the heap while other computations from the
     * slots held theirs ({@link SlotBudget}), by view.
     */
    public static final String VIEW_HEAP_WAIT = "assay.aggregator.view.heap.wait";

    private final MeterRegistry registry;
    private final Counters judgments;
    private final Counters duplicates;
    private final Counters unparseable;
    private final Counters skippedResponses;
    private final Counters skippedItems;
    private final Counters snapshots;
    private final Map<String, Timer> freshness = new ConcurrentHashMap<>();

    /** Meters in {@code registry}. */
    public AggregatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.judgments = new Counters(registry, JUDGMENTS, "benchmark", "outcome");
        this.duplicates = new Counters(registry, DUPLICATES, "benchmark");
        this.unparseable = new Counters(registry, UNPARSEABLE, "benchmark", "model");
        this.skippedResponses = new Counters(registry, SKIPPED_RESPONSES);
        this.skippedItems = new Counters(registry, SKIPPED_ITEMS);
        this.snapshots = new Counters(registry, SNAPSHOTS, "benchmark");
    }

    void folded(Judgment judgment, FoldOutcome outcome) {
        judgments.of(judgment.benchmark(), outcome.tag()).increment();
        if (outcome == FoldOutcome.DUPLICATE) {
            duplicates.of(judgment.benchmark()).increment();
        } else if (judgment.unparseable() && (outcome == FoldOutcome.COUNTED || outcome == FoldOutcome.REVISED)) {
            unparseable.of(judgment.benchmark(), judgment.subject().modelId()).increment();
        }
    }

    void fresh(String benchmark, long recordTimestamp) {
        long age = System.currentTimeMillis() - recordTimestamp;
        if (recordTimestamp > 0 && age >= 0) {
            freshness
                    .computeIfAbsent(
                            benchmark,
                            b -> Timer.builder(FRESHNESS)
                                    .tag("benchmark", b)
                                    .publishPercentileHistogram()
                                    .register(registry))
                    .record(age, TimeUnit.MILLISECONDS);
        }
    }

    void skippedResponse() {
        skippedResponses.of().increment();
    }

    void skippedItem() {
        skippedItems.of().increment();
    }

    /** The publisher computed {@code benchmark}'s {@code view} in {@code nanos}. */
    void snapshotComputed(String benchmark, String view, long nanos) {
        registry.timer(SNAPSHOT_COMPUTE, "benchmark", benchmark, "view", view).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A computation of {@code view} from the slots waited {@code nanos} for its share of the heap. */
    void heapWaited(View view, long nanos) {
        registry.timer(VIEW_HEAP_WAIT, "view", view.wireName()).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts a published snapshot. */
    public void snapshotPublished(String benchmark) {
        snapshots.of(benchmark).increment();
    }
}
