package io.assay.invoker.limits;

import io.assay.contracts.ModelSpec;
import io.assay.invoker.providers.Sleeper;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The limiters of every model and the circuit breakers of every endpoint, created on first use. A
 * model re-registered with other limits gets a fresh limiter.
 */
public final class Limiters {
    private final int defaultMaxConcurrency;
    private final Duration quotaWindow;
    private final double quotaMargin;
    private final int breakerFailures;
    private final Duration breakerOpen;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private final Listener listener;
    private final Map<String, ModelLimiter> models = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    /**
     * @param defaultMaxConcurrency calls in flight per model when its spec sets no limit
     * @param quotaWindow the window over which a 429 counts a model's accepted requests
     * @param quotaMargin the share of a provider's quota left unused (jitter)
     * @param breakerFailures consecutive endpoint failures that open its breaker
     * @param breakerOpen how long a breaker stays open before a probe
     * @param ticker the clock
     * @param sleeper waits
     * @param listener told when a limiter or breaker is created (metrics register gauges)
     */
    public Limiters(
            int defaultMaxConcurrency,
            Duration quotaWindow,
            double quotaMargin,
            int breakerFailures,
            Duration breakerOpen,
            Ticker ticker,
            Sleeper sleeper,
            Listener listener) {
        this.defaultMaxConcurrency = defaultMaxConcurrency;
        this.quotaWindow = quotaWindow;
        this.quotaMargin = quotaMargin;
        this.breakerFailures = breakerFailures;
        this.breakerOpen = breakerOpen;
        this.ticker = ticker;
        this.sleeper = sleeper;
        this.listener = listener;
    }

    /**
     * A generous concurrency cap, quotas learned over 1 s with a 2% margin, breakers after 5 failures
     * for 10 s: for tests.
     */
    public static Limiters lenient(Sleeper sleeper) {
        return new Limiters(
                1024, Duration.ofSeconds(1), 0.02, 5, Duration.ofSeconds(10), Ticker.SYSTEM, sleeper, Listener.NONE);
    }

    /**
     * The model's limiter: one per model, however many calls ask at once (a limiter of its own for
     * each of the first concurrent calls would pace none of them against the others).
     */
    public ModelLimiter forModel(ModelSpec model) {
        ModelLimiter current = models.get(model.modelId());
        if (current != null && current.uses(model.limits())) {
            return current;
        }
        boolean[] added = {false};
        ModelLimiter limiter = models.compute(model.modelId(), (id, previous) -> {
            if (previous != null && previous.uses(model.limits())) {
                return previous;
            }
            added[0] = previous == null;
            return new ModelLimiter(
                    id, model.limits(), defaultMaxConcurrency, quotaWindow, quotaMargin, ticker, sleeper);
        });
        if (added[0]) {
            listener.modelAdded(model.modelId());
        }
        return limiter;
    }

    /** The endpoint's breaker. */
    public CircuitBreaker forEndpoint(String endpoint) {
        return breakers.computeIfAbsent(endpoint, e -> {
            CircuitBreaker breaker = new CircuitBreaker(breakerFailures, breakerOpen, ticker);
            listener.endpointAdded(e);
            return breaker;
        });
    }

    /** The model's paced requests per second, 0 when no quota is known or set (or it has no limiter yet). */
    public double pacedRate(String modelId) {
        ModelLimiter limiter = models.get(modelId);
        return limiter == null ? 0 : limiter.pacedRate();
    }

    /** The longest wait of the model's calls waiting now for a slot or a turn, in seconds (0: none). */
    public double longestWait(String modelId) {
        ModelLimiter limiter = models.get(modelId);
        return limiter == null ? 0 : limiter.longestWaitSeconds();
    }

    /** 1 when the endpoint's breaker is open, else 0. */
    public int breakerOpen(String endpoint) {
        CircuitBreaker breaker = breakers.get(endpoint);
        return breaker != null && breaker.state() == CircuitBreaker.State.OPEN ? 1 : 0;
    }

    /** Told when limiters and breakers appear. */
    public interface Listener {
        /** Ignores everything. */
        Listener NONE = new Listener() {};

        /** A model got its first limiter. */
        default void modelAdded(String modelId) {}

        /** An endpoint got its breaker. */
        default void endpointAdded(String endpoint) {}
    }
}
