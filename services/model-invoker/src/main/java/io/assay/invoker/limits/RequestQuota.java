package io.assay.invoker.limits;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * How fast one model's requests may go, known from the provider's rate-limit headers or learned from
 * its 429s, kept as a {@link SlidingWindow} of at most Q requests per window paced evenly.
 *
 * <ul>
 *   <li><b>Headers</b> ({@link RateLimits}): Q is {@code limit-requests} less what others used of it
 *       ({@code limit - remaining} beyond our own sends in the window, the least seen over the last
 *       two windows), the window is the longest
 *       {@code reset-requests} seen (the time until a full budget is back is the window's length
 *       under steady use). So the budget is spread over the window, never spent in a burst.
 *   <li><b>No headers</b>: a 429 sets Q to what was accepted over the last window (sent and not
 *       refused): that is the provider's quota as it was just enforced; but one decrease takes at most
 *       {@value #MAX_DECREASE} of a learned Q (a 429 may come from timing). Only one decrease per window
 *       (429s of calls sent before the decrease say the same thing again). Every window without a 429
 *       probes upward by {@value #PROBE} of Q, so a quota that grows is found again.
 *   <li><b>Before either</b>: requests are only spread, at twice the rate of the last window (at least
 *       {@value #SPREAD_FLOOR}/s), so the first 429 comes back before a burst has been sent behind it.
 * </ul>
 *
 * <p>Requests are allowed {@code (1 - margin) * Q} per window at {@code (1 - margin) * Q / window}
 * per second. After a decrease the window log makes the next request wait until the sends that
 * filled the provider's window have left it: that wait replaces pausing the whole model for a
 * {@code Retry-After} (which counts whole seconds; the refused request itself still waits it out).
 * A model's {@code requestsPerSecond} caps the pace in every state.
 */
public final class RequestQuota {
    /** The least pace while no quota is known, requests per second: spacing, not a limit. */
    static final double SPREAD_FLOOR = 1000;
    /** What a window without a 429 adds to a learned quota. */
    static final double PROBE = 0.005;
    /**
     * The most one decrease takes off a learned quota. A 429 can also come from timing (a request that
     * reached the provider later than it left here, so the provider's window held one more than ours):
     * then fewer were accepted in our window than the quota, and taking the quota down to that count
     * would throw away what was learned.
     */
    static final double MAX_DECREASE = 0.1;

    private static final double NANOS_PER_SECOND = 1e9;

    private final Ticker ticker;
    private final long windowNanos;
    private final double margin;
    private final double ceiling;
    private final SlidingWindow sends;
    private final ArrayDeque<Long> refused = new ArrayDeque<>();
    private Source source = Source.NONE;
    private double quota = Double.POSITIVE_INFINITY;
    private long headerWindowNanos;
    private double othersNow = Double.POSITIVE_INFINITY;
    private double othersBefore = Double.POSITIVE_INFINITY;
    private long othersSince;
    private long lastDecrease = Long.MIN_VALUE;
    private long lastChange;
    private long lastSpread;
    private long lowered;

    /**
     * @param window the window over which accepted requests are counted when no headers say it
     * @param margin the share of the quota left unused, for jitter between here and the provider
     * @param requestsPerSecond the model's own cap on its pace ({@code +Infinity}: none)
     * @param ticker the clock
     */
    public RequestQuota(Duration window, double margin, double requestsPerSecond, Ticker ticker) {
        if (!(margin >= 0 && margin < 1)) {
            throw new IllegalArgumentException("quota margin must be in [0, 1), was " + margin);
        }
        this.ticker = ticker;
        this.windowNanos = window.toNanos();
        this.margin = margin;
        this.ceiling = requestsPerSecond;
        this.sends = new SlidingWindow(window, ticker);
        this.lastSpread = ticker.nanos();
        this.othersSince = lastSpread;
        spread(0);
    }

    /** Where the quota comes from. */
    public enum Source {
        /** Nothing known yet: requests are only spread. */
        NONE,
        /** Learned from 429s. */
        LEARNED,
        /** Read from the provider's headers. */
        HEADERS
    }

    /**
     * Reserves one request.
     *
     * @return when it may be sent (a {@link Ticker} time)
     */
    public long reserve() {
        return reserve(true);
    }

    /**
     * Reserves one request; {@code concurrent} says whether other calls of the model are in flight
     * (a call alone is not spread while no quota is known: no burst can follow it).
     *
     * @return when it may be sent (a {@link Ticker} time)
     */
    public long reserve(boolean concurrent) {
        boolean spaced;
        synchronized (this) {
            spaced = concurrent || source != Source.NONE || ceiling < Double.POSITIVE_INFINITY;
            long now = ticker.nanos();
            // A tenth of a window between updates: counting the window's sends on every call would cost more.
            if (source == Source.NONE && now - lastSpread >= windowNanos / 10) {
                lastSpread = now;
                spread(sends.unitsSince(now - windowNanos));
            }
        }
        return sends.reserve(1, spaced, Long.MIN_VALUE);
    }

    /**
     * How many times the quota was lowered so far: a caller whose reservation was made before the
     * count changed gives it back ({@link #cancel}) and reserves again, rather than send at the old
     * pace into a window that is already full.
     */
    public synchronized long lowered() {
        return lowered;
    }

    /** Gives back the request reserved for {@code reservedAt}. */
    public void cancel(long reservedAt) {
        sends.cancel(reservedAt);
    }

    /** The request reserved for {@code reservedAt} went out at {@code sentAt}. */
    public void sent(long reservedAt, long sentAt) {
        sends.sent(reservedAt, sentAt);
    }

    /** A request sent at {@code sentAt} was answered with these headers. */
    public synchronized void answered(long sentAt, RateLimits headers) {
        if (headers.hasRequests()) {
            fromHeaders(sentAt, headers);
            return;
        }
        long now = ticker.nanos();
        if (source == Source.LEARNED && now - lastChange >= windowNanos) {
            quota *= 1 + PROBE;
            lastChange = now;
            apply(windowNanos);
        }
    }

    /** A request sent at {@code sentAt} was refused with 429 and these headers. */
    public synchronized void refused(long sentAt, RateLimits headers) {
        long now = ticker.nanos();
        refused.addLast(sentAt);
        while (!refused.isEmpty() && refused.peekFirst() <= now - windowNanos) {
            refused.pollFirst();
        }
        if (headers.hasRequests()) {
            fromHeaders(sentAt, headers);
            return;
        }
        if (lastDecrease != Long.MIN_VALUE && (sentAt < lastDecrease || now - lastDecrease < windowNanos)) {
            // Sent before the last decrease, or within a window of it: the same news again. A stream of 429s
            // thus lowers the quota by at most a tenth per window.
            return;
        }
        double accepted = sends.unitsSince(now - windowNanos) - refused.size();
        double floor = quota == Double.POSITIVE_INFINITY ? 0 : (1 - MAX_DECREASE) * quota;
        quota = Math.max(1, Math.min(quota, Math.max(accepted, floor)));
        source = Source.LEARNED;
        lastDecrease = now;
        lastChange = now;
        apply(windowNanos);
    }

    /** Where the quota comes from now. */
    public synchronized Source source() {
        return source;
    }

    /** The requests per window the provider allows us, as known now ({@code +Infinity}: not known). */
    public synchronized double quota() {
        return quota;
    }

    /** The paced rate in requests per second; 0 while no quota is known and none is configured. */
    public synchronized double paced() {
        double rate = sends.rate();
        return source == Source.NONE && ceiling == Double.POSITIVE_INFINITY ? 0 : rate;
    }

    private void fromHeaders(long sentAt, RateLimits h) {
        if (h.resetRequests() != null) {
            headerWindowNanos = Math.max(headerWindowNanos, h.resetRequests().toNanos());
        }
        long window = headerWindowNanos > 0 ? headerWindowNanos : windowNanos;
        // Our own sends in the provider's window when it counted this one (this one included).
        double ours = sends.unitsSince(sentAt - window) - sends.unitsSince(sentAt);
        double limit = h.limitRequests() != null ? h.limitRequests() : h.remainingRequests() + ours;
        double others = h.remainingRequests() == null ? 0 : Math.max(0, limit - h.remainingRequests() - ours);
        quota = Math.max(1, limit - othersSeen(others, window));
        source = Source.HEADERS;
        apply(window);
    }

    /**
     * The least of what others used over the last two windows: one reply's count is noisy (a request
     * of ours that reached the provider late is counted by it but has left our window), and that noise
     * only ever adds; what others really use shows in every reply.
     */
    private double othersSeen(double others, long window) {
        long now = ticker.nanos();
        if (now - othersSince >= window) {
            othersBefore = othersNow;
            othersNow = Double.POSITIVE_INFINITY;
            othersSince = now;
        }
        othersNow = Math.min(othersNow, others);
        return Math.min(othersNow, othersBefore);
    }

    private void apply(long window) {
        double cap = (1 - margin) * quota;
        if (cap < sends.cap()) {
            lowered++;
        }
        sends.limit(cap, Duration.ofNanos(window), Math.min(ceiling, cap / (window / NANOS_PER_SECOND)));
    }

    private void spread(double lastWindow) {
        double rate = Math.max(SPREAD_FLOOR, 2 * lastWindow / (windowNanos / NANOS_PER_SECOND));
        sends.limit(Double.POSITIVE_INFINITY, Duration.ofNanos(windowNanos), Math.min(ceiling, rate));
    }
}
