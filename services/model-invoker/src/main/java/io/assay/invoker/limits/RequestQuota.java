package io.assay.invoker.limits;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * How fast one model's requests may go, known from the provider's rate-limit headers or learned from
 * its 429s, kept as a {@link SlidingWindow}: a log of our requests the provider accepted or has not
 * answered yet (a refused one is taken out: the provider does not count it), each at the time it
 * reached the provider as well as we know it (its send time, then, once answered, the answer's time
 * less the shortest answer time seen: a provider that stalled and then took in a burst at once counts
 * the burst where it arrived, and so does the log; when a shorter answer time is seen, the calls
 * answered in the last two windows are moved to their later estimates).
 *
 * <ul>
 *   <li><b>Headers</b> ({@link RateLimits}): Q is {@code limit-requests} less what others used of it
 *       ({@code limit - remaining} beyond our own requests in the window, the least seen over the last
 *       two windows), the window is the longest {@code reset-requests} seen (the time until a full
 *       budget is back is the window's length under steady use).
 *   <li><b>No headers</b>: the first 429 sets Q at once to the log's count in the window that ended
 *       when the refused request went out (with calls sent before it and still unanswered: a cold
 *       client's first calls reach the provider late), to stop the burst. Once every call in flight
 *       when the 429 came back has its answer, Q is counted again: the calls the provider accepted that
 *       reached it in the window ending at the 429 (the log then holds each at its arrival estimate,
 *       the refused ones left out), or, when larger, the accepted calls sent before the client saw the
 *       429 whose arrival estimates fall after the start of the window before it, however late (the first
 *       429 comes in the burst's first window, which hardly anything has left yet; a cold client's calls
 *       wait for their connections after their recorded send times, so the refused call's send time
 *       misses some, and its first answers come back slowly, which puts their arrival estimates late,
 *       some after the 429 was seen); that replaces the first estimate, up or down, and is the level
 *       then probed (the slow start below makes it a count of spread calls, not of a burst). A later 429
 *       (at most one counted per window: 429s of requests sent before it say the same thing again) is counted
 *       the same way and lowers Q only when the count is below Q (a count at Q says the 429 was timing,
 *       calls that reached the provider bunched), never below what the provider accepted on average
 *       over the last two windows, nor by more than {@value #MAX_DECREASE} of Q. Q grows after every
 *       {@value #PROBE_WINDOWS} windows in use without a 429 by {@value #GROWTH} of itself (at least one
 *       request) while it is below the count of the last 429, and by one request after every
 *       {@value #PROBE_BEYOND_WINDOWS} at or above it: a quota that grows is found, and probing above a
 *       known quota costs one 429 now and then. A Q that stayed above that count for
 *       {@value #PROBE_BEYOND_WINDOWS} windows in use without a 429 says the count was low (it missed
 *       calls that reached the provider late, as a cold client's do): the count is forgotten and Q grows
 *       fast again. Without that, a first count of a tenth of the quota took minutes to climb back, one
 *       request per {@value #PROBE_BEYOND_WINDOWS} windows, and the prompts queued behind it starved.
 *   <li><b>Before either</b>: a slow start. Concurrent requests are paced at {@value #SLOW_START} per
 *       window at first, and a pace that was used (half of what it allowed sent) grows by 2^(1 /
 *       {@value #DOUBLING_TICKS}) every tenth of a window, doubling every fifth, the waiting turns given again
 *       at it: when the provider's window fills, the pace is about three times its quota (not the
 *       concurrency's burst), so only the few calls sent while the first 429 comes back are refused. A
 *       pace not used does not grow, so it stays within about twice what the model uses. A model never
 *       refused pays for it once, at its start (32 calls of 100 ms: 0.8 s, simulated).
 *   <li><b>After a 429 was counted</b>, a call sent under the quota it set and refused within its window keeps its
 *       place in the log until it leaves the window: that quota is above what the provider's window holds of ours,
 *       and a place freed would let the next turn go at once into the same full window and be refused too.
 * </ul>
 *
 * <p>A quota lowered by a 429 also takes back the turns already due whose callers have not sent yet
 * ({@link SlidingWindow#takeBack}), and a caller sends only once it has {@link #sent claimed} its turn under
 * this object's lock: callers that woke late, or waited for the lock while the 429 was taken in, would
 * otherwise go together into the window it found full.
 *
 * <p>Requests are paced evenly at {@code (1 - margin) * Q} per window, and the log holds at most Q in
 * any window lengthened by the margin. Two limits, because a caller that wakes late sends late: the
 * pace goes on from where it was, so a late send does not delay the requests after it; the cap is
 * what keeps late requests from bunching up at the provider. A changed quota gives the turns not yet
 * due new times at the new pace ({@link SlidingWindow#respace}): later when lower, earlier when higher
 * (the callers waiting on them hold the model's concurrency slots). A model's {@code requestsPerSecond}
 * caps the pace in every state.
 */
public final class RequestQuota {
    /** The pace of concurrent calls while no quota is known, at first: requests per window. */
    static final double SLOW_START = 10;
    /** Ticks (tenths of the window) in which a used slow-start pace doubles. */
    static final int DOUBLING_TICKS = 2;
    /**
     * Windows without a 429, with the quota used, before a learned quota below the level of the last
     * 429 grows by one request.
     */
    static final int PROBE_WINDOWS = 2;
    /** The same, at or above that level: the quota was refused there, so it is tried again only slowly. */
    static final int PROBE_BEYOND_WINDOWS = 10;
    /** The share of the quota added per step below that level (at least one request). */
    static final double GROWTH = 0.05;
    /** The most one decrease takes off a learned quota (a 429 may come from timing). */
    static final double MAX_DECREASE = 0.1;

    private static final double NANOS_PER_SECOND = 1e9;

    private final Ticker ticker;
    private final long windowNanos;
    private final double margin;
    private final double ceiling;
    private final SlidingWindow sends;
    private Source source = Source.NONE;
    private double quota = Double.POSITIVE_INFINITY;
    private long headerWindowNanos;
    private double othersNow = Double.POSITIVE_INFINITY;
    private double othersBefore = Double.POSITIVE_INFINITY;
    private long othersSince;
    private long lastDecrease = Long.MIN_VALUE;
    private long lastChange;
    /** The slow start's pace (requests per second), the last tenth of a window it was looked at, the sends since. */
    private double slowPace;

    private long lastTick;
    private int sentSinceTick;
    private long decreases;
    private double refusedAt;
    private long fastest = Long.MAX_VALUE;
    private long fastestRefusal = Long.MAX_VALUE;
    private final Set<SlidingWindow.Turn> inFlight = Collections.newSetFromMap(new IdentityHashMap<>());
    /** A 429's count waiting for the outcomes of the calls in flight when it came back; null when none. */
    private Recount recount;
    /** The calls answered lately and when, so a shorter answer time seen re-estimates their arrivals. */
    private final ArrayDeque<Answer> answers = new ArrayDeque<>();

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
        this.lastTick = ticker.nanos();
        this.othersSince = lastTick;
        this.slowPace = SLOW_START / (windowNanos / NANOS_PER_SECOND);
        sends.limit(Double.POSITIVE_INFINITY, window, Math.min(ceiling, slowPace));
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

    /** Reserves one request; the turn says when it may be sent. */
    public SlidingWindow.Turn reserve() {
        return reserve(true);
    }

    /**
     * Reserves one request; {@code concurrent} says whether other calls of the model are in flight
     * (a call alone is not spread while no quota is known: no burst can follow it).
     *
     * @return the turn: when it may be sent, moved if another quota is set before then
     */
    public SlidingWindow.Turn reserve(boolean concurrent) {
        boolean spaced;
        synchronized (this) {
            spaced = concurrent || source != Source.NONE || ceiling < Double.POSITIVE_INFINITY;
            slowStart();
        }
        return sends.turn(1, spaced, Long.MIN_VALUE);
    }

    /**
     * The request of {@code turn} goes out now, its caller having read the clock at {@code sentAt}, unless a
     * 429 taken in meanwhile took the turn back (gave it a later time): then the caller waits for the new time
     * and asks again. Decided under this quota's lock, so a caller who waited for it while a 429 was being
     * taken in (its thread descheduled on a busy machine, a real run's trace saw 110 ms) does not send into the
     * window that 429 found full.
     *
     * @return whether the request may go out now
     */
    public synchronized boolean sent(SlidingWindow.Turn turn, long sentAt) {
        if (!sends.claim(turn, sentAt)) {
            return false;
        }
        inFlight.add(turn);
        sentSinceTick++;
        slowStart();
        return true;
    }

    /** The caller of {@code turn} stopped waiting before it was sent (the service stops): its place is given back. */
    public synchronized void abandoned(SlidingWindow.Turn turn) {
        sends.release(turn);
    }

    /** The request of {@code turn} failed otherwise (or was not made): it is no longer in flight. */
    public synchronized void failed(SlidingWindow.Turn turn) {
        inFlight.remove(turn);
        outcomeKnown(turn);
    }

    /**
     * The request of {@code turn}, sent at {@code sentAt}, was answered with these headers. The log
     * keeps it at the time it reached the provider, as well as we know it: now less the shortest
     * answer time seen. A provider that stalled and then took in a burst of requests at once counts
     * them where they arrived, and so does the log (by send times it would pace the next window as if
     * they had been spread).
     */
    public synchronized void answered(SlidingWindow.Turn turn, long sentAt, RateLimits headers) {
        long now = ticker.nanos();
        inFlight.remove(turn);
        slowStart();
        while (!answers.isEmpty() && answers.peekFirst().at() <= now - 2 * windowNanos) {
            answers.pollFirst();
        }
        if (now - sentAt < fastest) {
            fastest = now - sentAt;
            reestimate();
        }
        answers.addLast(new Answer(turn, sentAt, now));
        long arrived = now - fastest;
        if (arrived > turn.at()) {
            sends.sent(turn, arrived);
            if (arrived - sentAt > margin * windowNanos && source != Source.NONE) {
                // Reached the provider late: the turns given since may now crowd its window.
                sends.respace();
            }
        }
        if (headers.hasRequests()) {
            fromHeaders(sentAt, headers);
            return;
        }
        if (outcomeKnown(turn)) {
            return;
        }
        int windows = quota + 1 <= refusedAt ? PROBE_WINDOWS : PROBE_BEYOND_WINDOWS;
        if (source == Source.LEARNED
                && now - lastChange >= windows * windowNanos
                && sends.unitsSince(now - windowNanos) >= (1 - 2 * margin) * quota - 1) {
            // Only while the quota is used: a quota probed up while idle would be a burst later.
            if (quota > refusedAt) {
                // Above the last 429's count for PROBE_BEYOND_WINDOWS windows in use without a 429: that
                // count missed calls (late arrivals), it is not the provider's quota. Grow fast again.
                refusedAt = Double.POSITIVE_INFINITY;
            }
            double step = quota + 1 <= refusedAt ? Math.max(1, GROWTH * quota) : 1;
            quota = Math.min(quota + step, Math.max(refusedAt, quota + 1));
            lastChange = now;
            apply(windowNanos);
        }
    }

    /**
     * The request of {@code turn} (sent at its time) was refused with 429 and these headers; it
     * leaves the log, as the provider did not count it.
     */
    public synchronized void refused(SlidingWindow.Turn turn, RateLimits headers) {
        long sentAt = turn.at();
        long now = ticker.nanos();
        inFlight.remove(turn);
        if (!headers.hasRequests()
                && lastDecrease != Long.MIN_VALUE
                && sentAt >= lastDecrease
                && now - lastDecrease < windowNanos) {
            // Sent under the quota the last 429 set and refused within its window: that quota is above what the
            // provider's window holds of ours. Its place stays taken until it leaves the window: freed, it would let
            // the next turn go at once into the same full window, be refused too, and free its place again.
            outcomeKnown(turn);
            return;
        }
        sends.cancel(turn);
        if (headers.hasRequests()) {
            fromHeaders(sentAt, headers);
            return;
        }
        outcomeKnown(turn);
        // A 429 is answered at once: it reached the provider the shortest refusal time seen before now, as
        // an answered call reached it the shortest answer time before its answer (the same bias for both
        // when this client is slow to see replies).
        fastestRefusal = Math.min(fastestRefusal, now - sentAt);
        long arrived = Math.max(sentAt, now - fastestRefusal);
        if (lastDecrease != Long.MIN_VALUE && (sentAt < lastDecrease || now - lastDecrease < windowNanos)) {
            // Sent before the last 429 that was counted, or within a window of it: the same news again.
            return;
        }
        lastDecrease = now;
        boolean first = source != Source.LEARNED;
        if (first) {
            // Stop the burst now with a first estimate: what the log holds in the window that ended when
            // this one was sent (accepted, or sent before it and still in flight; not later ones, which may
            // be refused too), and calls sent before that window and still unanswered (a cold client's
            // first calls reach the provider late). Counted again below once the outcomes are known.
            double accepted = sends.unitsSince(sentAt - windowNanos)
                    - sends.unitsSince(sentAt)
                    + inFlightBefore(sentAt - windowNanos);
            refusedAt = accepted;
            quota = Math.max(1, accepted);
            source = Source.LEARNED;
            lastChange = now;
            decreases++;
            apply(windowNanos);
        }
        // The provider's window, ending when this 429 reached it, was full with the calls it had
        // accepted that reached it in that window: the log holds them at their arrival times (answer time
        // less the shortest answer time), the refused ones left out, once every call in flight now has its answer.
        recount = new Recount(arrived, now, first, Collections.newSetFromMap(new IdentityHashMap<>()));
        recount.waiting.addAll(inFlight);
        settleIfKnown();
    }

    /** Takes {@code turn} off the recount's list; true when that settled the recount. */
    private boolean outcomeKnown(SlidingWindow.Turn turn) {
        return recount != null && recount.waiting.remove(turn) && settleIfKnown();
    }

    /**
     * The provider's window held {@code accepted} of ours when it refused. The first count replaces
     * the first estimate (up or down). A later one lowers the quota only when below it (a count at the
     * quota says the 429 was timing: calls that reached the provider bunched), and then never below what
     * the provider accepted on average over the last two windows, nor by more than {@value #MAX_DECREASE}.
     */
    private boolean settleIfKnown() {
        if (recount == null || !recount.waiting.isEmpty()) {
            return false;
        }
        Recount r = recount;
        recount = null;
        long now = ticker.nanos();
        // Sent before the 429 reached the provider (certain: a call arrives after it leaves) and reached it
        // within the window before (an estimate): the estimate's error then shows only at the window's start.
        double accepted = 0;
        double sentBeforeSeen = 0;
        for (Answer a : answers) {
            long arrival = a.at() - fastest;
            if (a.sentAt() <= r.end && arrival > r.end - windowNanos) {
                accepted++;
            }
            if (a.sentAt() <= r.seen && arrival > r.seen - windowNanos) {
                sentBeforeSeen++;
            }
        }
        if (r.first) {
            // The first 429 comes back in the first window of a burst, when hardly any accepted call has left the
            // provider's window yet: every accepted call sent before the 429 was seen counts, even one sent (as its
            // caller recorded it) after the refused one (a cold client's calls wait for their connections after
            // that, in any order, so the refused call's send time missed some), and wherever after the window's
            // start its arrival estimate falls: an estimate is late by as much as the call's answer was slow to
            // come back, and a cold client's first answers are (170-370 ms on a 100-ms endpoint in a real run, a
            // 429 at once), so a count of the calls estimated to have arrived before the 429 was seen missed the
            // last of them (it found 34 of 50 there). Calls that reached the provider after the 429, in places freed
            // since, may be counted too: a count above the quota is taken down by the next 429, one below it took
            // PROBE_BEYOND_WINDOWS per request to grow back.
            accepted = Math.max(accepted, sentBeforeSeen);
            // The level probed from: with the slow start the calls it counts were spread, not a burst. A count
            // that missed late calls is outgrown (PROBE_BEYOND_WINDOWS in use without a 429 above it).
            refusedAt = accepted;
            quota = Math.max(1, accepted);
        } else if (accepted < quota) {
            refusedAt = accepted;
            double average = sends.unitsSince(now - 2 * windowNanos) / 2;
            quota = Math.max(1, Math.min(quota, Math.max(accepted, Math.max(average, (1 - MAX_DECREASE) * quota))));
            decreases++;
        } else {
            refusedAt = accepted;
            return true;
        }
        lastChange = now;
        apply(windowNanos);
        return true;
    }

    /** Where the quota comes from now. */
    public synchronized Source source() {
        return source;
    }

    /** The requests per window the provider allows us, as known now ({@code +Infinity}: not known). */
    public synchronized double quota() {
        return quota;
    }

    /** How many times a 429 without headers lowered the quota (the first one, which set it, included). */
    public synchronized long decreases() {
        return decreases;
    }

    /** The paced rate in requests per second; 0 while no quota is known and none is configured. */
    public synchronized double paced() {
        double rate = sends.rate();
        return source == Source.NONE && ceiling == Double.POSITIVE_INFINITY ? 0 : rate;
    }

    /**
     * A shorter answer time was seen: the calls answered in the last two windows reached the provider
     * later than estimated (a cold client's first calls take long on their way, and are answered late
     * for that, not because the provider is slow), and count in its window that much longer.
     */
    private void reestimate() {
        for (Answer a : answers) {
            long arrived = a.at() - fastest;
            if (arrived > a.turn().at()) {
                sends.sent(a.turn(), arrived);
            }
        }
    }

    private int inFlightBefore(long time) {
        int n = 0;
        for (SlidingWindow.Turn t : inFlight) {
            n += t.at() <= time ? 1 : 0;
        }
        return n;
    }

    private void fromHeaders(long sentAt, RateLimits h) {
        if (h.resetRequests() != null) {
            headerWindowNanos = Math.max(headerWindowNanos, h.resetRequests().toNanos());
        }
        long window = headerWindowNanos > 0 ? headerWindowNanos : windowNanos;
        // Our own sends in the provider's window when it counted this one (this one included when accepted).
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
        double rate = Math.min(ceiling, (1 - margin) * quota / (window / NANOS_PER_SECOND));
        boolean lower = quota < sends.cap() || rate < sends.rate();
        boolean changed = quota != sends.cap() || rate != sends.rate();
        sends.limit(quota, Duration.ofNanos(window + (long) (margin * window)), rate);
        if (lower && source == Source.LEARNED) {
            // A 429 found the provider's window full: the turns due whose callers have not sent yet (threads waking
            // late, or waiting for this lock) would go into it too, so they are taken back with those not due.
            sends.takeBack();
        } else if (changed) {
            // Lower: turns given at the old pace would send too fast. Higher: they would wait for nothing,
            // holding the model's concurrency slots, so no earlier turn could be given.
            sends.respace();
        }
    }

    /**
     * A 429 without headers that reached the provider at {@code end}, counted again when the calls in
     * flight when it came back have their answers.
     */
    private record Answer(SlidingWindow.Turn turn, long sentAt, long at) {}

    private record Recount(long end, long seen, boolean first, Set<SlidingWindow.Turn> waiting) {}

    /**
     * Every tenth of a window while no quota is known: a slow-start pace that was used (at least half
     * of what it allowed since the last look was sent) grows by 2^(1 / {@value #DOUBLING_TICKS}), and the turns
     * waiting are given again at it.
     */
    private void slowStart() {
        long now = ticker.nanos();
        if (source != Source.NONE || now - lastTick < windowNanos / 10) {
            return;
        }
        double allowed = slowPace * (now - lastTick) / NANOS_PER_SECOND;
        boolean used = sentSinceTick >= Math.max(1, allowed / 2);
        lastTick = now;
        sentSinceTick = 0;
        if (used && slowPace < ceiling) {
            slowPace *= Math.pow(2, 1.0 / DOUBLING_TICKS);
            sends.limit(Double.POSITIVE_INFINITY, Duration.ofNanos(windowNanos), Math.min(ceiling, slowPace));
            sends.respace();
        }
    }
}
