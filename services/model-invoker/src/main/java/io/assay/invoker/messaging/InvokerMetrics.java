package io.assay.invoker.messaging;

import io.assay.contracts.ModelResponse;
import io.assay.invoker.cache.ContentCache;
import io.assay.invoker.limits.Limiters;
import io.assay.invoker.service.Invoker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
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
    private final AtomicInteger inflight = new AtomicInteger();
    private final AtomicReference<Limiters> limiters = new AtomicReference<>();

    /** Registers the in-flight gauge. */
    public InvokerMetrics(MeterRegistry meters) {
        this.meters = meters;
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
        Counter.builder(PREFIX + "calls")
                .tag("model", model)
                .tag("outcome", outcome)
                .register(meters)
                .increment();
        if (response.failed()) {
            Counter.builder(PREFIX + "failures")
                    .tag("model", model)
                    .tag("kind", response.error().kind())
                    .register(meters)
                    .increment();
            return;
        }
        if (response.cached()) {
            Counter.builder(PREFIX + "cache.hits")
                    .tag("model", model)
                    .register(meters)
                    .increment();
            return;
        }
        if (response.usage() != null) {
            Counter.builder(PREFIX + "tokens")
                    .tag("model", model)
                    .tag("direction", "input")
                    .register(meters)
                    .increment(response.usage().inputTokens());
            Counter.builder(PREFIX + "tokens")
                    .tag("model", model)
                    .tag("direction", "output")
                    .register(meters)
                    .increment(response.usage().outputTokens());
        }
        if (response.costUsd() != null) {
            Counter.builder(PREFIX + "cost.usd")
                    .tag("model", model)
                    .register(meters)
                    .increment(response.costUsd());
        }
        if (response.latencyMs() != null) {
            Timer.builder(PREFIX + "latency")
                    .tag("model", model)
                    .publishPercentileHistogram()
                    .register(meters)
                    .record(Duration.ofMillis(response.latencyMs()));
        }
    }

    @Override
    public void rateLimited(String modelId) {
        Counter.builder(PREFIX + "rate.limited")
                .tag("model", modelId)
                .register(meters)
                .increment();
    }

    @Override
    public void retrying(String modelId, String kind) {
        Counter.builder(PREFIX + "retries")
                .tag("model", modelId)
                .register(meters)
                .increment();
    }

    /** A request answered before was delivered again and answered from the store, not from the model. */
    @Override
    public void replayed(String modelId) {
        Counter.builder(PREFIX + "redelivered")
                .tag("model", modelId)
                .register(meters)
                .increment();
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
