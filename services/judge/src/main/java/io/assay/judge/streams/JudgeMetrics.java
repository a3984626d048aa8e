package io.assay.judge.streams;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The judge's meters. Tags are low-cardinality only (benchmark, judge, outcome, topic, reason);
 * never item or request ids.
 */
@ApplicationScoped
public class JudgeMetrics {
    /** Judgments by benchmark, judge and outcome ({@code correct}, {@code incorrect}, {@code skipped}, {@code unscorable}). */
    static final String JUDGMENTS = "assay.judge.judgments";
    /** Responses by outcome ({@code judged}, {@code pending}, {@code stale}, {@code failed}, {@code skipped}). */
    static final String RESPONSES = "assay.judge.responses";
    /** Events sent to the dead-letter topic, by source topic and reason class. */
    static final String DEAD_LETTERS = "assay.judge.dead.letters";

    private final MeterRegistry registry;

    /** With the application's registry. */
    public JudgeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One judge's decision on one response. */
    public void judgment(String benchmark, String judge, String outcome) {
        registry.counter(JUDGMENTS, "benchmark", benchmark, "judge", judge, "outcome", outcome).increment();
    }

    /** What happened to a response. */
    public void response(String outcome) {
        registry.counter(RESPONSES, "outcome", outcome).increment();
    }

    /** A dead letter. */
    public void deadLetter(String topic, String reason) {
        registry.counter(DEAD_LETTERS, "topic", topic, "reason", reason).increment();
    }
}
