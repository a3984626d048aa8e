package io.assay.judge.messaging;

import io.assay.contracts.Judgment;
import io.assay.contracts.Protocol;
import io.assay.judge.drift.Drift;
import io.assay.judge.judging.Outcome;
import io.assay.kit.metrics.Counters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The judge's meters (names shared with the dashboards). Tags are low-cardinality only (judge,
 * protocol, outcome, consistent, reason); never item or request ids. Dead letters are counted by the kit's
 * {@link io.assay.kit.events.DeadLetterSink} as {@code assay.judge.dead.letters{topic,reason}}.
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
    /**
     * Review requests sent to {@code assay.reviews}, by judge and reason ({@code position-inconsistent},
     * {@code jury-disagrees}, {@code sampled}); a request with two reasons counts once under each.
     */
    static final String REVIEWS = "assay.judge.reviews";
    /** Judge replies this process has asked for and not yet read (since it started). */
    static final String PENDING = "assay.judge.pending";
    /** Responses by outcome ({@code judged}, {@code pending}, {@code stale}, {@code failed}, {@code skipped}, {@code verdict}, {@code duplicate}, {@code expired}). */
    static final String RESPONSES = "assay.judge.responses";
    /**
     * Entries the retention sweep took out of the judge's stores, by {@code store} ({@code pending},
     * {@code answers}, {@code ballots}) and {@code outcome} ({@code expired}: dead-lettered while still
     * waiting; {@code removed}: kept past its use and forgotten).
     */
    static final String RETENTION = "assay.judge.retention";
    /** Judge requests sent to {@code assay.prompts}, by judge and kind ({@code first}, {@code repair}). */
    static final String REQUESTS = "assay.judge.requests";

    /**
     * Items the contract refuses, skipped by reason class ({@code invalid}, {@code no-key},
     * {@code key-mismatch}): the prompt generator dead-letters them, the judge only counts them.
     */
    static final String ITEMS_REFUSED = "assay.judge.items.refused";

    /**
     * A judge's last drift, by benchmark, judge, from and to (the two versions): the share of its canaries
     * on which the new version's verdict agrees with the old one's. Gauges, shown by the instance that
     * holds the canary task, from its store, so they survive a restart.
     */
    static final String DRIFT_AGREEMENT = "assay.judge.drift.agreement";
    /** Cohen's kappa of the last drift (NaN when undefined). */
    static final String DRIFT_KAPPA = "assay.judge.drift.kappa";
    /** The canaries the last drift compared (verdicts under both versions). */
    static final String DRIFT_CANARIES = "assay.judge.drift.canaries";

    private final MeterRegistry registry;
    private final Counters judgments;
    private final Counters verdicts;
    private final Counters requests;
    private final Counters retention;
    private final Counters unparseable;
    private final Counters swappedPairs;
    private final Counters responses;
    private final Counters reviews;
    private final Counters itemsRefused;
    private final AtomicLong pending = new AtomicLong();
    /** The drift gauges shown, by benchmark and judge (a judge shows its last drift only). */
    private final Map<List<String>, List<Gauge>> drifts = new ConcurrentHashMap<>();

    /** With the application's registry. */
    public JudgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.judgments = new Counters(registry, JUDGMENTS, "judge", "protocol");
        this.verdicts = new Counters(registry, VERDICTS, "judge", "protocol", "outcome");
        this.requests = new Counters(registry, REQUESTS, "judge", "kind");
        this.retention = new Counters(registry, RETENTION, "store", "outcome");
        this.unparseable = new Counters(registry, UNPARSEABLE, "judge");
        this.swappedPairs = new Counters(registry, SWAPPED_PAIRS, "judge", "consistent");
        this.responses = new Counters(registry, RESPONSES, "outcome");
        this.reviews = new Counters(registry, REVIEWS, "judge", "reason");
        this.itemsRefused = new Counters(registry, ITEMS_REFUSED, "reason");
        Gauge.builder(PENDING, pending, p -> Math.max(0, p.get())).register(registry);
    }

    /** Counts what one event made the judge do (its dead letters are counted by the kit as they are sent). */
    public void count(Outcome outcome) {
        for (Judgment judgment : outcome.judgments()) {
            String judge = judgment.judge().id();
            String protocol = judgment.judge().protocol().wireName();
            judgments.of(judge, protocol).increment();
            verdict(judge, protocol, verdictOf(judgment));
        }
        outcome.unjudged().forEach(u -> verdict(u.judge(), u.protocol(), u.outcome()));
        outcome.requests().forEach(r -> requests(r.judgeId(), "first"));
        outcome.repairs().forEach(r -> requests(r.judgeId(), "repair"));
        if (outcome.replyRead()) {
            pending.decrementAndGet();
        }
        // A request given up on is no longer awaited.
        pending.addAndGet(-outcome.unanswered().size());
        outcome.swept().forEach(e -> retention.of(e.store(), e.outcome()).increment());
        outcome.unparseable().forEach(judge -> unparseable.of(judge).increment());
        outcome.swappedPairs()
                .forEach(p -> swappedPairs
                        .of(p.judge(), Boolean.toString(p.consistent()))
                        .increment());
        outcome.responses().forEach(r -> responses.of(r.tag()).increment());
        outcome.reviews()
                .forEach(r -> r.reasons()
                        .forEach(reason ->
                                reviews.of(r.judgment().judge().id(), reason).increment()));
        outcome.drifts().forEach(this::drift);
    }

    /** Shows {@code drift} as the judge's last drift, replacing the one shown before. */
    public void drift(Drift drift) {
        List<String> judge = List.of(drift.benchmark(), drift.judge());
        forget(judge);
        drifts.put(
                judge,
                List.of(
                        driftGauge(DRIFT_AGREEMENT, drift, d -> orNaN(d.agreement())),
                        driftGauge(DRIFT_KAPPA, drift, d -> orNaN(d.kappa())),
                        driftGauge(DRIFT_CANARIES, drift, d -> d.canaries())));
    }

    /** Stops showing every drift (the canary task left this instance). */
    public void forgetDrifts() {
        List.copyOf(drifts.keySet()).forEach(this::forget);
    }

    private void forget(List<String> judge) {
        List<Gauge> shown = drifts.remove(judge);
        if (shown != null) {
            shown.forEach(registry::remove);
        }
    }

    private Gauge driftGauge(String name, Drift drift, ToDoubleFunction<Drift> value) {
        return Gauge.builder(name, drift, value)
                .tags("benchmark", drift.benchmark(), "judge", drift.judge(), "from", drift.from(), "to", drift.to())
                .register(registry);
    }

    private static double orNaN(Double x) {
        return x == null ? Double.NaN : x;
    }

    /** Counts an item the judge skipped because the contract refuses it. */
    public void itemRefused(String reasonClass) {
        itemsRefused.of(reasonClass).increment();
    }

    /** The {@link #VERDICTS} outcome of an emitted judgment. */
    private static String verdictOf(Judgment judgment) {
        if (judgment.judge().protocol() == Protocol.REFERENCE) {
            return judgment.score() != null
                    ? "graded"
                    : Boolean.TRUE.equals(judgment.correct()) ? "correct" : "incorrect";
        }
        if (judgment.unparseable()) {
            return "unparseable";
        }
        if (judgment.pairwise() != null) {
            return judgment.pairwise().outcome().wireName();
        }
        if (judgment.preference() != null) {
            double p = judgment.preference();
            return p > 1.5 ? "subject" : p < 1.5 ? "baseline" : "tie";
        }
        return "scored";
    }

    private void verdict(String judge, String protocol, String outcome) {
        verdicts.of(judge, protocol, outcome).increment();
    }

    private void requests(String judge, String kind) {
        requests.of(judge, kind).increment();
        pending.incrementAndGet();
    }
}
