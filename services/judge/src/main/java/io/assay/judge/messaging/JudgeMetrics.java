package io.assay.judge.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The judge's meters (names shared with the dashboards). Tags are low-cardinality only (judge,
 * protocol, outcome, consistent, topic, reason); never item or request ids.
 */
@ApplicationScoped
public class JudgeMetrics {
    /** Judgments emitted, by judge and protocol. */
    static final String JUDGMENTS = "assay.judge.judgments";
    /**
     * Verdicts of emitted judgments, by judge, protocol and outcome: reference {@code correct},
     * {@code incorrect}, {@code graded} (f1, rouge-l) or {@code unscorable} (no judgment); score
     * {@code scored}; pairwise the five levels ({@code much_better} ... {@code much_worse}); preference
     * {@code subject}, {@code baseline} or {@code tie}; any LLM protocol {@code unparseable}.
     */
    static final String VERDICTS = "assay.judge.verdicts";
    /** Judge replies that could not be parsed (each attempt, so a repaired reply counts once). */
    static final String UNPARSEABLE = "assay.judge.unparseable";
    /** Position-swapped pairs per judge model verdict pair, by whether both orders agree. */
    static final String SWAPPED_PAIRS = "assay.judge.swapped.pairs";
    /** Judge replies this process has asked for and not yet read (since it started). */
    static final String PENDING = "assay.judge.pending";
    /** Responses by outcome ({@code judged}, {@code pending}, {@code stale}, {@code failed}, {@code skipped}, {@code verdict}, {@code duplicate}). */
    static final String RESPONSES = "assay.judge.responses";
    /** Judge requests sent to {@code assay.prompts}, by judge and kind ({@code first}, {@code repair}). */
    static final String REQUESTS = "assay.judge.requests";
    /** Events sent to the dead-letter topic, by source topic and reason class. */
    static final String DEAD_LETTERS = "assay.judge.dead.letters";

    private final MeterRegistry registry;
    private final AtomicLong pending = new AtomicLong();

    /** With the application's registry. */
    public JudgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(PENDING, pending, p -> Math.max(0, p.get())).register(registry);
    }

    /** One judgment emitted, with its verdict's outcome. */
    public void judgment(String judge, String protocol, String outcome) {
        registry.counter(JUDGMENTS, "judge", judge, "protocol", protocol).increment();
        verdict(judge, protocol, outcome);
    }

    /** A verdict outcome without a judgment (e.g. unscorable). */
    public void verdict(String judge, String protocol, String outcome) {
        registry.counter(VERDICTS, "judge", judge, "protocol", protocol, "outcome", outcome)
                .increment();
    }

    /** A judge reply that could not be parsed. */
    public void unparseable(String judge) {
        registry.counter(UNPARSEABLE, "judge", judge).increment();
    }

    /** A judge model's two presentation orders of one pair, agreeing or not. */
    public void swappedPair(String judge, boolean consistent) {
        registry.counter(SWAPPED_PAIRS, "judge", judge, "consistent", Boolean.toString(consistent))
                .increment();
    }

    /** Judge requests sent. */
    public void requests(String judge, String kind, int count) {
        registry.counter(REQUESTS, "judge", judge, "kind", kind).increment(count);
        pending.addAndGet(count);
    }

    /** A judge reply read. */
    public void replyRead() {
        pending.decrementAndGet();
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
