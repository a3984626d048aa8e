package io.assay.invoker.limits;

/**
 * Additive-increase / multiplicative-decrease concurrency limit, as TCP does for its window: a
 * rate-limited call (429) multiplies the limit by the backoff ratio (TCP halves; a gentler 0.9, as
 * Netflix's concurrency-limits uses, keeps a provider's quota saturated), and every full window of successful calls (as many as
 * the limit) raises it by one, up to the configured maximum. Only one decrease per window: calls
 * that were already in flight when the limit was halved report their 429s against the old window,
 * so a burst of refusals halves once, not once per refusal.
 */
public final class AdaptiveConcurrency {
    private final int max;
    private final double backoffRatio;
    private int limit;
    private int inFlight;
    private int successes;
    private long window;

    /** Starts at {@code max}; a 429 halves the limit. */
    public AdaptiveConcurrency(int max) {
        this(max, 0.5);
    }

    /** Starts at {@code max}; a 429 multiplies the limit by {@code backoffRatio} (in (0, 1)). */
    public AdaptiveConcurrency(int max, double backoffRatio) {
        if (max < 1) {
            throw new IllegalArgumentException("max concurrency must be at least 1, was " + max);
        }
        if (!(backoffRatio > 0 && backoffRatio < 1)) {
            throw new IllegalArgumentException("backoff ratio must be in (0, 1), was " + backoffRatio);
        }
        this.max = max;
        this.backoffRatio = backoffRatio;
        this.limit = max;
    }

    /**
     * Waits for a slot and takes it.
     *
     * @return the window the call starts in, to pass back to {@link #release}
     * @throws InterruptedException when interrupted while waiting
     */
    public synchronized long acquire() throws InterruptedException {
        while (inFlight >= limit) {
            wait();
        }
        inFlight++;
        return window;
    }

    /**
     * Gives a slot back.
     *
     * @param startedIn what {@link #acquire} returned
     * @param outcome how the call ended
     */
    public synchronized void release(long startedIn, Outcome outcome) {
        inFlight--;
        switch (outcome) {
            case SUCCESS -> {
                successes++;
                if (successes >= limit && limit < max) {
                    limit++;
                    successes = 0;
                }
            }
            case RATE_LIMITED -> {
                if (startedIn == window) {
                    limit = Math.max(1, Math.min(limit - 1, (int) Math.floor(limit * backoffRatio)));
                    successes = 0;
                    window++;
                }
            }
            default -> {
                // Other failures say nothing about the provider's capacity.
            }
        }
        notifyAll();
    }

    /** The current limit (the AIMD window). */
    public synchronized int limit() {
        return limit;
    }

    /** Calls holding a slot now. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** How a call ended, as far as capacity goes. */
    public enum Outcome {
        /** Answered. */
        SUCCESS,
        /** Refused with 429. */
        RATE_LIMITED,
        /** Any other failure. */
        OTHER
    }
}
