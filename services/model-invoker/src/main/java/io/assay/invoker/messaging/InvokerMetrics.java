package io.assay.invoker.messaging;

import io.assay.contracts.ModelResponse;
import io.assay.invoker.cache.ContentCache;
import io.assay.invoker.limits.Limiters;
import io.assay.invoker.service.Invoker;
import io.assay.kit.metrics.Counters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The invoker's meters, {@code assay.model-invoker.*}; tags are low-cardinality (model, outcome,
 * kind, endpoint, topic, reason), never request or item ids.
 */
@ApplicationScoped
public class InvokerMetrics implements Invoker.Events, Limiters.Listener {
    static final String PREFIX = "assay.model-invoker.";

    private final MeterRegistry meters;
    private final Counters calls;
    private final Counters failures;
    private final Counters cacheHits;
    private final Counters tokens;
    private final Counters cost;
    private final Counters rateLimited;
    private final Counters retries;
    private final Counters redelivered;
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final AtomicInteger inflight = new AtomicInteger();
    private final AtomicReference<Limiters> limiters = new AtomicReference<>();

    /** Registers the in-flight gauge. */
    public InvokerMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.calls = new Counters(meters, PREFIX + "calls", "model", "outcome");
        this.failures = new Counters(meters, PREFIX + "failures", "model", "kind");
        this.cacheHits = new Counters(meters, PREFIX + "cache.hits", "model");
        this.tokens = new Counters(meters, PREFIX + "tokens", "model", "direction");
        this.cost = new Counters(meters, PREFIX + "cost.usd", "model");
        this.rateLimited = new Counters(meters, PREFIX + "rate.limited", "model");
        this.retries = new Counters(meters, PREFIX + "retries", "model");
        this.redelivered = new Counters(meters, PREFIX + "redelivered", "model");
        meters.gauge(PREFIX + "inflight", inflight);
    }

    /** The limiters whose paced rates and breakers the gauges read. */
    public void watch(Limiters watched) {
        limiters.set(watched);
    }

    /** The content cache whose size and read-backs the gauges and counter read. */
    public void watch(ContentCache cache) {
        Gauge.builder(PREFIX + "cache.answers", cache, ContentCache::inHeap)
                .description("content-cache answers held in heap (at most assay.invoker.cache.max-entries)")
                .register(meters);
        Gauge.builder(PREFIX + "cache.keys", cache, ContentCache::known)
                .description(
                        "content keys whose answer can be read back from assay.answers, estimated by the answer index"
                                + " (RocksDB estimate-num-keys: a key written again counts twice until a compaction merges it)")
                .register(meters);
        FunctionCounter.builder(PREFIX + "cache.log.reads", cache, ContentCache::hitsFromLog)
                .description("cache hits whose answer was evicted from heap and read back from assay.answers")
                .register(meters);
    }

    /** A prompt entered processing. */
    public void started() {
        inflight.incrementAndGet();
    }

    /** A prompt left processing. */
    public void finished() {
        inflight.decrementAndGet();
    }

    /** Prompts being processed now. */
    public int inflight() {
        return inflight.get();
    }

    /**
     * Accounts one published response: its outcome (ok, error or cached), failure kind, tokens,
     * cost and latency. A stored answer re-emitted after a redelivery is not accounted again.
     */
    public void record(ModelResponse response, boolean replayed) {
        if (replayed) {
            return;
        }
        String model = response.modelId();
        String outcome = response.failed() ? "error" : response.cached() ? "cached" : "ok";
        calls.of(model, outcome).increment();
        if (response.failed()) {
            failures.of(model, response.error().kind()).increment();
            return;
        }
        if (response.cached()) {
            cacheHits.of(model).increment();
            return;
        }
        if (response.usage() != null) {
            tokens.of(model, "input").increment(response.usage().inputTokens());
            tokens.of(model, "output").increment(response.usage().outputTokens());
        }
        if (response.costUsd() != null) {
            cost.of(model).increment(response.costUsd());
        }
        if (response.latencyMs() != null) {
            latency.computeIfAbsent(
                            model,
                            m -> Timer.builder(PREFIX + "latency")
                                    .tag("model", m)
                                    .publishPercentileHistogram()
                                    .register(meters))
                    .record(Duration.ofMillis(response.latencyMs()));
        }
    }

    @Override
    public void rateLimited(String modelId) {
        rateLimited.of(modelId).increment();
    }

    @Override
    public void retrying(String modelId, String kind) {
        retries.of(modelId).increment();
    }

    /** A request answered before was delivered again and answered from the store, not from the model. */
    @Override
    public void replayed(String modelId) {
        redelivered.of(modelId).increment();
    }

    @Override
    public void modelAdded(String modelId) {
        Gauge.builder(
                        PREFIX + "paced.rate",
                        limiters,
                        l -> l.get() == null ? 0 : l.get().pacedRate(modelId))
                .tag("model", modelId)
                .register(meters);
        Gauge.builder(
                        PREFIX + "limits.wait",
                        limiters,
                        l -> l.get() == null ? 0 : l.get().longestWait(modelId))
                .description(
                        "the longest wait, now, of the model's calls waiting for a concurrency slot or a paced turn")
                .baseUnit("seconds")
                .tag("model", modelId)
                .register(meters);
    }

    @Override
    public void endpointAdded(String endpoint) {
        Gauge.builder(
                        PREFIX + "breaker.open",
                        limiters,
                        l -> l.get() == null ? 0 : l.get().breakerOpen(endpoint))
                .tag("endpoint", endpoint)
                .register(meters);
    }
}
