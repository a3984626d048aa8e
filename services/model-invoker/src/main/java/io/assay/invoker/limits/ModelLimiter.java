package io.assay.invoker.limits;

import io.assay.contracts.ModelSpec;
import io.assay.invoker.providers.Sleeper;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limits the invoker keeps for one model: calls in flight (an {@link AdaptiveConcurrency}
 * window capped at {@code maxConcurrency}), requests per second and tokens per minute (token
 * buckets), and a pause for the whole model while a provider's {@code Retry-After} runs.
 *
 * <p>Requests per second are paced with a bucket of one request (no burst), so the rate is not
 * exceeded over any interval; tokens per minute use a bucket of a minute's tokens, as providers
 * count them. Tokens are estimated before a call (input characters / 4 plus {@code max_tokens})
 * and settled with the usage the provider reports.
 */
public final class ModelLimiter {
    private static final double SECONDS_PER_MINUTE = 60.0;
    private static final long NOT_PAUSED = Long.MIN_VALUE;

    private final ModelSpec.Limits limits;
    private final AdaptiveConcurrency concurrency;
    private final TokenBucket requests;
    private final TokenBucket tokens;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private final AtomicLong pausedUntil = new AtomicLong(NOT_PAUSED);

    /**
     * @param limits the model's limits, {@code null} for none
     * @param defaultMaxConcurrency the concurrency cap when the model sets none
     * @param backoffRatio what a 429 multiplies the concurrency window by
     * @param ticker the clock
     * @param sleeper waits for the rate limits and pauses
     */
    public ModelLimiter(
            ModelSpec.Limits limits, int defaultMaxConcurrency, double backoffRatio, Ticker ticker, Sleeper sleeper) {
        this.limits = limits;
        this.ticker = ticker;
        this.sleeper = sleeper;
        int max = limits != null && limits.maxConcurrency() != null ? limits.maxConcurrency() : defaultMaxConcurrency;
        this.concurrency = new AdaptiveConcurrency(max, backoffRatio);
        this.requests = limits != null && limits.requestsPerSecond() != null
                ? new TokenBucket(limits.requestsPerSecond(), 1.0, ticker)
                : null;
        this.tokens = limits != null && limits.tokensPerMinute() != null
                ? new TokenBucket(limits.tokensPerMinute() / SECONDS_PER_MINUTE, limits.tokensPerMinute(), ticker)
                : null;
    }

    /** Whether this limiter was built from these limits (a re-registered model may change them). */
    public boolean uses(ModelSpec.Limits other) {
        return Objects.equals(limits, other);
    }

    /**
     * Waits until a call may start: a concurrency slot, the end of any {@code Retry-After} pause,
     * and the rate limits.
     *
     * @param estimatedTokens the call's estimated input + output tokens
     * @throws InterruptedException when the service shuts down meanwhile
     */
    public Permit acquire(int estimatedTokens) throws InterruptedException {
        long window = concurrency.acquire();
        try {
            long until = pausedUntil.get();
            long pause = until == NOT_PAUSED ? 0 : until - ticker.nanos();
            if (pause > 0) {
                sleeper.sleep(Duration.ofNanos(pause));
            }
            long wait = 0;
            if (requests != null) {
                wait = requests.reserve(1);
            }
            if (tokens != null) {
                wait = Math.max(wait, tokens.reserve(estimatedTokens));
            }
            if (wait > 0) {
                sleeper.sleep(Duration.ofNanos(wait));
            }
        } catch (InterruptedException | RuntimeException e) {
            concurrency.release(window, AdaptiveConcurrency.Outcome.OTHER);
            throw e;
        }
        return new Permit(window, estimatedTokens);
    }

    /** The AIMD window now. */
    public int concurrencyLimit() {
        return concurrency.limit();
    }

    /** Calls in flight now. */
    public int inFlight() {
        return concurrency.inFlight();
    }

    /** One call's hold on the limits; release it exactly once. */
    public final class Permit {
        private final long window;
        private final int estimatedTokens;

        private Permit(long window, int estimatedTokens) {
            this.window = window;
            this.estimatedTokens = estimatedTokens;
        }

        /** The call was answered, using {@code actualTokens} (negative when unknown). */
        public void succeeded(int actualTokens) {
            if (tokens != null && actualTokens >= 0) {
                tokens.adjust(actualTokens - estimatedTokens);
            }
            concurrency.release(window, AdaptiveConcurrency.Outcome.SUCCESS);
        }

        /** The provider refused the call with 429; the whole model pauses for {@code retryAfter}. */
        public void rateLimited(Duration retryAfter) {
            if (retryAfter != null && !retryAfter.isZero()) {
                long until = ticker.nanos() + retryAfter.toNanos();
                pausedUntil.accumulateAndGet(until, (a, b) -> a == NOT_PAUSED || b - a > 0 ? b : a);
            }
            concurrency.release(window, AdaptiveConcurrency.Outcome.RATE_LIMITED);
        }

        /** The call failed otherwise (or was not made). */
        public void failed() {
            concurrency.release(window, AdaptiveConcurrency.Outcome.OTHER);
        }
    }
}
