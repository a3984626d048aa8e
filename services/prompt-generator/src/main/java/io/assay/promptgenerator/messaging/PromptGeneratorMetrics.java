package io.assay.promptgenerator.messaging;

import io.assay.kit.metrics.Counters;
import io.micrometer.core.instrument.MeterRegistry;

/** The prompt generator's meters; tags stay low-cardinality (never item ids). */
public final class PromptGeneratorMetrics {
    static final String PREFIX = "assay.prompt-generator.";
    private final Counters prompts;
    private final Counters backfilled;
    private final Counters items;

    /** Meters registered in {@code registry}. */
    public PromptGeneratorMetrics(MeterRegistry registry) {
        this.prompts = new Counters(registry, PREFIX + "prompts", "benchmark", "model");
        this.backfilled = new Counters(registry, PREFIX + "backfilled", "benchmark", "model");
        this.items = new Counters(registry, PREFIX + "items", "outcome");
    }

    /** A prompt emitted; {@code backfilled} when it came from reconciling a new model or variant. */
    void prompt(String benchmark, String model, boolean backfilled) {
        prompts.of(benchmark, model).increment();
        if (backfilled) {
            this.backfilled.of(benchmark, model).increment();
        }
    }

    /** An item read: {@code new}, {@code unchanged}, {@code stale}, {@code deleted} or {@code invalid} (dead-lettered). */
    void item(String outcome) {
        items.of(outcome).increment();
    }
}
