package io.assay.promptgenerator.messaging;

import io.micrometer.core.instrument.MeterRegistry;

/** The prompt generator's meters; tags stay low-cardinality (never item ids). */
public final class PromptGeneratorMetrics {
    static final String PREFIX = "assay.prompt-generator.";
    private final MeterRegistry registry;

    /** Meters registered in {@code registry}. */
    public PromptGeneratorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A prompt emitted; {@code backfilled} when it came from reconciling a new model or variant. */
    void prompt(String benchmark, String model, boolean backfilled) {
        registry.counter(PREFIX + "prompts", "benchmark", benchmark, "model", model)
                .increment();
        if (backfilled) {
            registry.counter(PREFIX + "backfilled", "benchmark", benchmark, "model", model)
                    .increment();
        }
    }

    /** An item read: {@code new}, {@code unchanged}, {@code stale}, {@code deleted} or {@code invalid} (dead-lettered). */
    void item(String outcome) {
        registry.counter(PREFIX + "items", "outcome", outcome).increment();
    }
}
