package io.assay.invoker.limits;

/**
 * A token bucket that hands out reservations: taking {@code n} tokens never fails, it returns how
 * long the caller must wait before using them (the level may go negative: a debt paid back by the
 * refill). So a rate is never exceeded however many threads ask at once, and nobody starves. A
 * later correction ({@link #adjust}) settles an estimate against the actual amount (tokens per
 * minute are estimated before a call and known after it).
 */
public final class TokenBucket {
    private static final double NANOS_PER_SECOND = 1e9;

    private final double ratePerSecond;
    private final double capacity;
    private final Ticker ticker;
    private double level;
    private long updated;

    /**
     * @param ratePerSecond refill rate
     * @param capacity the most tokens that can accumulate (the burst); starts full
     * @param ticker the clock
     */
    public TokenBucket(double ratePerSecond, double capacity, Ticker ticker) {
        if (ratePerSecond <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("rate and capacity must be positive");
        }
        this.ratePerSecond = ratePerSecond;
        this.capacity = capacity;
        this.ticker = ticker;
        this.level = capacity;
        this.updated = ticker.nanos();
    }

    /** Takes {@code tokens} and returns the nanoseconds to wait before using them (0 when available now). */
    public synchronized long reserve(double tokens) {
        refill();
        level -= tokens;
        return level >= 0 ? 0 : (long) Math.ceil(-level / ratePerSecond * NANOS_PER_SECOND);
    }

    /** Corrects an earlier reservation by {@code delta} tokens (positive: more were used than reserved). */
    public synchronized void adjust(double delta) {
        refill();
        level = Math.min(capacity, level - delta);
    }

    /** The tokens available now (negative while in debt). */
    public synchronized double level() {
        refill();
        return level;
    }

    private void refill() {
        long now = ticker.nanos();
        level = Math.min(capacity, level + (now - updated) / NANOS_PER_SECOND * ratePerSecond);
        updated = now;
    }
}
