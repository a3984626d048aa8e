package io.assay.invoker.limits;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * A provider's quota as the client keeps it: at most {@code cap} units (requests, or tokens) in
 * any window of {@code window}, handed out as reservations spaced evenly at {@code rate} units per
 * second, so a budget is spread over the window instead of being spent in a burst and then refused.
 * A reservation never fails: it says when the caller may send. The log of reservations is also how
 * a 429 is read (how many were sent in the last window) and how a lowered cap waits for the sends
 * that filled the provider's window to leave it.
 *
 * <p>With an infinite cap and rate it only logs; an infinite cap with a finite rate only spaces.
 */
public final class SlidingWindow {
    private static final double NANOS_PER_SECOND = 1e9;

    private final Ticker ticker;
    private final long keepNanos;
    private final ArrayDeque<Entry> log = new ArrayDeque<>();
    private double total;
    private double cap = Double.POSITIVE_INFINITY;
    private long windowNanos;
    private double rate = Double.POSITIVE_INFINITY;
    private long last = Long.MIN_VALUE;
    private double lastUnits;

    /**
     * Unlimited until {@link #limit} is called.
     *
     * @param keep how far back the log must reach at least (for {@link #unitsSince})
     * @param ticker the clock
     */
    public SlidingWindow(Duration keep, Ticker ticker) {
        this.keepNanos = keep.toNanos();
        this.windowNanos = keepNanos;
        this.ticker = ticker;
    }

    /**
     * Sets the quota.
     *
     * @param cap units allowed in any window ({@code +Infinity}: no cap)
     * @param window the window's length
     * @param ratePerSecond the pace of reservations ({@code +Infinity}: no spacing)
     */
    public synchronized void limit(double cap, Duration window, double ratePerSecond) {
        this.cap = cap;
        this.windowNanos = Math.max(1, window.toNanos());
        this.rate = ratePerSecond;
    }

    /**
     * Reserves {@code units}: the earliest time, not before now, that is at least the previous
     * reservation's units / {@code rate} after it, and at which the window ending there holds at most {@code cap}
     * units with these. A single reservation larger than the cap waits for an empty window.
     *
     * @return when the caller may send (a {@link Ticker} time)
     */
    public synchronized long reserve(double units) {
        return reserve(units, true, Long.MIN_VALUE);
    }

    /**
     * Like {@link #reserve(double)}, not before {@code notBefore} (when the caller waits for something
     * else too); without {@code spaced} the pace is not applied (the cap still is): for a caller that
     * is alone, whom no burst can follow.
     */
    public synchronized long reserve(double units, boolean spaced, long notBefore) {
        long now = ticker.nanos();
        prune(now);
        long at = Math.max(now, notBefore);
        if (spaced && last != Long.MIN_VALUE && rate < Double.POSITIVE_INFINITY) {
            // The previous reservation's units set the gap: a large call is followed by a long pause.
            at = Math.max(at, last + (long) Math.ceil(lastUnits / rate * NANOS_PER_SECOND));
        }
        if (cap < Double.POSITIVE_INFINITY) {
            // The window is (at - window, at]; drop the oldest entries until the new units fit.
            double inWindow = total;
            Iterator<Entry> it = log.iterator();
            while (it.hasNext() && inWindow + units > cap) {
                Entry e = it.next();
                inWindow -= e.units;
                at = Math.max(at, e.at + windowNanos);
            }
        }
        insert(new Entry(at, units));
        total += units;
        last = Math.max(last, at);
        lastUnits = units;
        return at;
    }

    /** Gives back the units reserved for {@code reservedAt} (the caller reserves again under a new cap). */
    public synchronized void cancel(long reservedAt) {
        Iterator<Entry> it = log.descendingIterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.at == reservedAt) {
                it.remove();
                total -= e.units;
                return;
            }
            if (e.at < reservedAt) {
                return;
            }
        }
    }

    /**
     * The units reserved for {@code reservedAt} went out at {@code sentAt} (later, when the caller
     * was slow to wake): the log keeps the later time, so they leave the window when they leave the
     * provider's.
     */
    public synchronized void sent(long reservedAt, long sentAt) {
        if (sentAt <= reservedAt) {
            return;
        }
        Iterator<Entry> it = log.descendingIterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.at == reservedAt) {
                // Taken out and put back at its new time: the log stays in time order, which pruning
                // and unitsSince rely on (an entry moved in place would hide the ones after it).
                it.remove();
                insert(new Entry(sentAt, e.units));
                return;
            }
            if (e.at < reservedAt) {
                return;
            }
        }
    }

    /** Adds {@code entry} where its time puts it, searching from the newest end. */
    private void insert(Entry entry) {
        Deque<Entry> later = new ArrayDeque<>();
        while (!log.isEmpty() && log.peekLast().at > entry.at) {
            later.addFirst(log.pollLast());
        }
        log.addLast(entry);
        log.addAll(later);
    }

    /** Units reserved for times in {@code (from, now]} (reservations not yet due excluded). */
    public synchronized double unitsSince(long from) {
        long now = ticker.nanos();
        double sum = 0;
        Iterator<Entry> it = log.descendingIterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.at <= from) {
                break;
            }
            if (e.at <= now) {
                sum += e.units;
            }
        }
        return sum;
    }

    /** The pace now, units per second ({@code +Infinity}: none). */
    public synchronized double rate() {
        return rate;
    }

    /** The cap now ({@code +Infinity}: none). */
    public synchronized double cap() {
        return cap;
    }

    private void prune(long now) {
        long horizon = now - Math.max(windowNanos, keepNanos);
        while (!log.isEmpty() && log.peekFirst().at <= horizon) {
            total -= log.pollFirst().units;
        }
        if (log.isEmpty()) {
            total = 0;
        }
    }

    /** One reservation (replaced by one at its later time when it went out late). */
    private static final class Entry {
        private final long at;
        private final double units;

        private Entry(long at, double units) {
            this.at = at;
            this.units = units;
        }
    }
}
