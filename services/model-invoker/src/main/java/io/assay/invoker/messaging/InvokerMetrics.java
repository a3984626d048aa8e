package io.assay.invoker.messaging;

import io.assay.contracts.ModelResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The invoker's meters, {@code assay.model-invoker.*}; tags are low-cardinality (model, outcome, topic). */
@ApplicationScoped
public class InvokerMetrics {
    static final String PREFIX = "assay.model-invoker.";

    private final MeterRegistry meters;
    private final AtomicInteger inflight = new AtomicInteger();

    /** Registers the in-flight gauge. */
    public InvokerMetrics(MeterRegistry meters) {
        this.meters = meters;
        meters.gauge(PREFIX + "inflight", inflight);
    }

    /** A prompt entered processing. */
    public void started() {
        inflight.incrementAndGet();
    }

    /** A prompt left processing. */
    public void finished() {
        inflight.decrementAndGet();
    }

    /** Counts one published response: the call's outcome, its retries, tokens and latency. */
    public void record(ModelResponse response) {
        String model = response.modelId();
        Counter.builder(PREFIX + "calls").tag("model", model).tag("outcome", response.failed() ? "error" : "ok")
                .register(meters).increment();
        if (response.attempts() > 1) {
            Counter.builder(PREFIX + "retries").tag("model", model).register(meters).increment(response.attempts() - 1);
        }
        if (response.usage() != null) {
            Counter.builder(PREFIX + "tokens").tag("model", model).tag("direction", "input")
                    .register(meters).increment(response.usage().inputTokens());
            Counter.builder(PREFIX + "tokens").tag("model", model).tag("direction", "output")
                    .register(meters).increment(response.usage().outputTokens());
        }
        if (response.latencyMs() != null) {
            Timer.builder(PREFIX + "latency").tag("model", model).register(meters)
                    .record(Duration.ofMillis(response.latencyMs()));
        }
    }

    /** Counts a dead letter by source topic and reason class. */
    public void deadLetter(String topic, String reasonClass) {
        Counter.builder(PREFIX + "dead.letters").tag("topic", topic).tag("reason", reasonClass)
                .register(meters).increment();
    }
}
