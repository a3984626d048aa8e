package io.assay.invoker.limits;

import java.time.Duration;

/**
 * A circuit breaker for one endpoint ({@code host:port}). After {@code failureThreshold}
 * consecutive failures that say the endpoint is down (5xx, resets, timeouts) it opens: calls fail
 * fast without reaching the endpoint for {@code openDuration}. Then it lets one probe through
 * (half-open); the probe's success closes it, its failure opens it again. A 429 is not a failure
 * here: the endpoint is up and answering, and the model's quota handles it.
 */
public final class CircuitBreaker {
    private final int failureThreshold;
    private final long openNanos;
    private final Ticker ticker;
    private State state = State.CLOSED;
    private int failures;
    private long openedAt;
    private boolean probing;
    private String lastFailure;

    /**
     * @param failureThreshold consecutive failures that open the breaker
     * @param openDuration how long it stays open before a probe
     * @param ticker the clock
     */
    public CircuitBreaker(int failureThreshold, Duration openDuration, Ticker ticker) {
        this.failureThreshold = Math.max(1, failureThreshold);
        this.openNanos = openDuration.toNanos();
        this.ticker = ticker;
    }

    /** Whether a call may go to the endpoint now; in half-open state only one probe at a time. */
    public synchronized boolean tryAcquire() {
        advance();
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> {
                if (probing) {
                    yield false;
                }
                probing = true;
                yield true;
            }
        };
    }

    /** The call reached the endpoint and was answered (any answer that is not a failure of the endpoint). */
    public synchronized void onSuccess() {
        state = State.CLOSED;
        failures = 0;
        probing = false;
    }

    /**
     * The endpoint failed the call, saying {@code reason}: kept, so calls failed fast while the breaker
     * is open still name the cause (a refused connection, not only "circuit open").
     */
    public synchronized void onFailure(String reason) {
        lastFailure = reason;
        onFailure();
    }

    /** The message of the last failure that counted, {@code null} when none. */
    public synchronized String lastFailure() {
        return lastFailure;
    }

    /** The endpoint failed the call (5xx, reset, timeout). */
    public synchronized void onFailure() {
        failures++;
        if (state == State.HALF_OPEN || failures >= failureThreshold) {
            state = State.OPEN;
            openedAt = ticker.nanos();
            probing = false;
        }
    }

    /** A permitted call ended without telling anything about the endpoint's health. */
    public synchronized void onNeutral() {
        probing = false;
    }

    /** How long until a probe may go, zero unless open. */
    public synchronized Duration remainingOpen() {
        if (state != State.OPEN) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(0, openNanos - (ticker.nanos() - openedAt)));
    }

    /**
     * The state now: an open breaker whose time is up is half-open whether or not a call has asked
     * since, so a breaker gauge falls back once calls stop coming (and rises again if the next probe
     * fails).
     */
    public synchronized State state() {
        advance();
        return state;
    }

    /** Open → half-open once the open time is up. */
    private void advance() {
        if (state == State.OPEN && ticker.nanos() - openedAt >= openNanos) {
            state = State.HALF_OPEN;
            probing = false;
        }
    }

    /** Breaker states. */
    public enum State {
        /** Calls go through. */
        CLOSED,
        /** Calls fail fast. */
        OPEN,
        /** One probe may go through. */
        HALF_OPEN
    }
}
