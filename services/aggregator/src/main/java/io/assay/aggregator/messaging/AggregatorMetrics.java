package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.FoldOutcome;
import io.assay.contracts.Judgment;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
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

    private final MeterRegistry registry;
    private final java.util.Map<String, Timer> freshness = new java.util.concurrent.ConcurrentHashMap<>();

    /** Meters in {@code registry}. */
    public AggregatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void folded(Judgment judgment, FoldOutcome outcome) {
        registry.counter(JUDGMENTS, "benchmark", judgment.benchmark(), "outcome", outcome.tag())
                .increment();
        if (outcome == FoldOutcome.DUPLICATE) {
            registry.counter(DUPLICATES, "benchmark", judgment.benchmark()).increment();
        } else if (judgment.unparseable() && (outcome == FoldOutcome.COUNTED || outcome == FoldOutcome.REVISED)) {
            registry.counter(
                            UNPARSEABLE,
                            "benchmark",
                            judgment.benchmark(),
                            "model",
                            judgment.subject().modelId())
                    .increment();
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
        registry.counter(SKIPPED_RESPONSES).increment();
    }

    void skippedItem() {
        registry.counter(SKIPPED_ITEMS).increment();
    }

    /** The publisher computed {@code benchmark}'s {@code view} in {@code nanos}. */
    void snapshotComputed(String benchmark, String view, long nanos) {
        registry.timer(SNAPSHOT_COMPUTE, "benchmark", benchmark, "view", view).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts a published snapshot. */
    public void snapshotPublished(String benchmark) {
        registry.counter(SNAPSHOTS, "benchmark", benchmark).increment();
    }
}
