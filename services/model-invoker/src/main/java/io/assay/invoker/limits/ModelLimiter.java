package io.assay.invoker.limits;

import io.assay.contracts.ModelSpec;
import io.assay.invoker.providers.Sleeper;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * The limits the invoker keeps for one model: calls in flight ({@code maxConcurrency}), the pace of
 * requests (a {@link RequestQuota}: from the provider's rate-limit headers, learned from its 429s,
 * capped by {@code requestsPerSecond}), the provider's token budget when its headers state one (a
 * {@link SlidingWindow} of tokens), and the model's own {@code tokensPerMinute} (a token bucket of a
 * minute's tokens, as providers count them).
 *
 * <p>Tokens are estimated before a call (input characters / 4 plus {@code max_tokens}) and the
 * bucket is settled with the usage the provider reports.
 *
 * <p>A call that waited long for its slot and turn is logged (WARN, with the quota it waited for), and
 * the longest wait of the calls waiting now is a gauge ({@link #longestWaitSeconds}), so a prompt held
 * back by the limits is seen while it waits.
 */
public final class ModelLimiter {
    private static final double SECONDS_PER_MINUTE = 60.0;
    /** A wait for a slot and a turn longer than this is logged. */
    static final Duration LONG_WAIT = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(ModelLimiter.class);

    private final String modelId;
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
    /** The longest sleep before a waiting call reads its turn's time again. */
    private final long napNanos;
    /** When each call waiting now began to wait, by a key of its own. */
    private final Map<Object, Long> waitingSince = new ConcurrentHashMap<>();

    /**
     * @param modelId the model (for the log)
     * @param limits the model's limits, {@code null} for none
     * @param defaultMaxConcurrency the concurrency cap when the model sets none
     * @param quotaWindow the window over which a 429 counts the accepted requests
     * @param quotaMargin the share of a provider's quota left unused
     * @param ticker the clock
     * @param sleeper waits for the pace
     */
    public ModelLimiter(
            String modelId,
            ModelSpec.Limits limits,
            int defaultMaxConcurrency,
            Duration quotaWindow,
            double quotaMargin,
            Ticker ticker,
            Sleeper sleeper) {
        this.modelId = modelId;
        this.limits = limits;
        this.ticker = ticker;
        this.sleeper = sleeper;
        this.margin = quotaMargin;
        this.napNanos = Math.max(1, quotaWindow.toNanos() / 10);
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
        Object key = new Object();
        long start = ticker.nanos();
        waitingSince.put(key, start);
        try {
            concurrency.acquire();
        } catch (InterruptedException e) {
            waitingSince.remove(key);
            throw e;
        }
        SlidingWindow.Turn turn = null;
        try {
            boolean concurrent = concurrency.availablePermits() < maxConcurrency - 1;
            turn = requests.reserve(concurrent);
            awaitTurn(turn);
            // The token budgets once the request's turn has come, so their logs hold the call where it goes.
            long wait = providerTokens.reserve(estimatedTokens) - ticker.nanos();
            if (tokens != null) {
                wait = Math.max(wait, tokens.reserve(estimatedTokens));
            }
            if (wait > 0) {
                sleeper.sleep(Duration.ofNanos(wait));
            }
            // A lower quota set meanwhile may have given the turn a later time, up to the moment it is claimed.
            awaitTurn(turn);
            long sent = ticker.nanos();
            while (!requests.sent(turn, sent)) {
                awaitTurn(turn);
                sent = ticker.nanos();
            }
            if (sent - start >= LONG_WAIT.toNanos()) {
                LOG.warnf(
                        "a call of model %s waited %.1f s for a slot and its turn (quota %s, %.1f requests/window, paced"
                                + " at %.2f/s)",
                        modelId, (sent - start) / 1e9, requests.source(), requests.quota(), requests.paced());
            }
            return new Permit(turn, sent, estimatedTokens);
        } catch (InterruptedException | RuntimeException e) {
            if (turn != null) {
                requests.abandoned(turn);
            }
            concurrency.release();
            throw e;
        } finally {
            waitingSince.remove(key);
        }
    }

    /**
     * Sleeps until the turn's time, in naps of at most a tenth of the quota window, reading the time
     * again after each: a quota changed meanwhile moves the turn (a raised one, earlier).
     */
    private void awaitTurn(SlidingWindow.Turn turn) throws InterruptedException {
        long wait;
        while ((wait = turn.at() - ticker.nanos()) > 0) {
            sleeper.sleep(Duration.ofNanos(Math.min(wait, napNanos)));
        }
    }

    /** How long the call that has waited longest of those waiting now for a slot or a turn has waited; 0 if none. */
    public double longestWaitSeconds() {
        long now = ticker.nanos();
        long oldest = now;
        for (long since : waitingSince.values()) {
            oldest = Math.min(oldest, since);
        }
        return (now - oldest) / 1e9;
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
