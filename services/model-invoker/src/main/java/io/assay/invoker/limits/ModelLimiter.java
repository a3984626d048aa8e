package io.assay.invoker.limits;

import io.assay.contracts.ModelSpec;
import io.assay.invoker.providers.Sleeper;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;

/**
 * The limits the invoker keeps for one model: calls in flight ({@code maxConcurrency}), the pace of
 * requests (a {@link RequestQuota}: from the provider's rate-limit headers, learned from its 429s,
 * capped by {@code requestsPerSecond}), the provider's token budget when its headers state one (a
 * {@link SlidingWindow} of tokens), and the model's own {@code tokensPerMinute} (a token bucket of a
 * minute's tokens, as providers count them).
 *
 * <p>Tokens are estimated before a call (input characters / 4 plus {@code max_tokens}) and the
 * bucket is settled with the usage the provider reports.
 */
public final class ModelLimiter {
    private static final double SECONDS_PER_MINUTE = 60.0;

    private final ModelSpec.Limits limits;
    private final int maxConcurrency;
    private final Semaphore concurrency;
    private final RequestQuota requests;
    private final SlidingWindow providerTokens;
    private final TokenBucket tokens;
    private final double margin;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private long tokenWindowNanos;

    /**
     * @param limits the model's limits, {@code null} for none
     * @param defaultMaxConcurrency the concurrency cap when the model sets none
     * @param quotaWindow the window over which a 429 counts the accepted requests
     * @param quotaMargin the share of a provider's quota left unused
     * @param ticker the clock
     * @param sleeper waits for the pace
     */
    public ModelLimiter(
            ModelSpec.Limits limits,
            int defaultMaxConcurrency,
            Duration quotaWindow,
            double quotaMargin,
            Ticker ticker,
            Sleeper sleeper) {
        this.limits = limits;
        this.ticker = ticker;
        this.sleeper = sleeper;
        this.margin = quotaMargin;
        int max = limits != null && limits.maxConcurrency() != null ? limits.maxConcurrency() : defaultMaxConcurrency;
        if (max < 1) {
            throw new IllegalArgumentException("max concurrency must be at least 1, was " + max);
        }
        this.maxConcurrency = max;
        this.concurrency = new Semaphore(max);
        double rps = limits != null && limits.requestsPerSecond() != null
                ? limits.requestsPerSecond()
                : Double.POSITIVE_INFINITY;
        this.requests = new RequestQuota(quotaWindow, quotaMargin, rps, ticker);
        this.providerTokens = new SlidingWindow(Duration.ZERO, ticker);
        this.tokens = limits != null && limits.tokensPerMinute() != null
                ? new TokenBucket(limits.tokensPerMinute() / SECONDS_PER_MINUTE, limits.tokensPerMinute(), ticker)
                : null;
    }

    /** Whether this limiter was built from these limits (a re-registered model may change them). */
    public boolean uses(ModelSpec.Limits other) {
        return Objects.equals(limits, other);
    }

    /**
     * Waits until a call may start: a concurrency slot, then its turn in the request pace and the
     * token budgets.
     *
     * @param estimatedTokens the call's estimated input + output tokens
     * @throws InterruptedException when the service shuts down meanwhile
     */
    public Permit acquire(int estimatedTokens) throws InterruptedException {
        concurrency.acquire();
        try {
            boolean concurrent = concurrency.availablePermits() < maxConcurrency - 1;
            SlidingWindow.Turn turn = requests.reserve(concurrent);
            long wait = providerTokens.reserve(estimatedTokens, true, turn.at()) - ticker.nanos();
            if (tokens != null) {
                wait = Math.max(wait, tokens.reserve(estimatedTokens));
            }
            if (wait > 0) {
                sleeper.sleep(Duration.ofNanos(wait));
            }
            // A lower quota set while this call waited gave its turn a later time.
            while ((wait = turn.at() - ticker.nanos()) > 0) {
                sleeper.sleep(Duration.ofNanos(wait));
            }
            long sent = ticker.nanos();
            requests.sent(turn, sent);
            return new Permit(turn, sent, estimatedTokens);
        } catch (InterruptedException | RuntimeException e) {
            concurrency.release();
            throw e;
        }
    }

    /** The paced requests per second now, 0 while no quota is known or set. */
    public double pacedRate() {
        return requests.paced();
    }

    /** The request quota (for tests and gauges). */
    public RequestQuota requests() {
        return requests;
    }

    private void tokenHeaders(RateLimits headers) {
        if (!headers.hasTokens()) {
            return;
        }
        synchronized (providerTokens) {
            tokenWindowNanos = Math.max(tokenWindowNanos, headers.resetTokens().toNanos());
            double cap = (1 - margin) * headers.limitTokens();
            Duration window = Duration.ofNanos(Math.max(1, tokenWindowNanos));
            providerTokens.limit(cap, window, cap / (window.toNanos() / 1e9));
        }
    }

    /** One call's hold on the limits; release it exactly once. */
    public final class Permit {
        private final SlidingWindow.Turn turn;
        private final long sentAt;
        private final int estimatedTokens;

        private Permit(SlidingWindow.Turn turn, long sentAt, int estimatedTokens) {
            this.turn = turn;
            this.sentAt = sentAt;
            this.estimatedTokens = estimatedTokens;
        }

        /** The call was answered, using {@code actualTokens} (negative when unknown), with these headers. */
        public void succeeded(int actualTokens, RateLimits headers) {
            if (tokens != null && actualTokens >= 0) {
                tokens.adjust(actualTokens - estimatedTokens);
            }
            RateLimits h = headers == null ? RateLimits.NONE : headers;
            requests.answered(turn, sentAt, h);
            tokenHeaders(h);
            concurrency.release();
        }

        /** The provider refused the call with 429 and these headers. */
        public void rateLimited(RateLimits headers) {
            RateLimits h = headers == null ? RateLimits.NONE : headers;
            requests.refused(turn, h);
            tokenHeaders(h);
            concurrency.release();
        }

        /** The call failed otherwise (or was not made). */
        public void failed() {
            requests.failed(turn);
            concurrency.release();
        }
    }
}
