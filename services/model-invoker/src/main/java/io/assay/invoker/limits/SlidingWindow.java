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
 * <p>A reservation is a {@link Turn} the caller holds: when the limit changes ({@link #respace}), the
 * turns not yet due are given new times at the new pace (earlier after a raise, later after a cut),
 * and a caller who wakes at its old time sleeps again until its turn's new time (rather than giving
 * its turn back and queueing behind every other caller's old turn). After a limit found too high
 * ({@link #takeBack}), so are the turns due that no caller has {@link #claim claimed} yet.
 *
 * <p>With an infinite cap and rate it only logs; an infinite cap with a finite rate only spaces.
 */
public final class SlidingWindow {
    private static final double NANOS_PER_SECOND = 1e9;

    private final Ticker ticker;
    private final long keepNanos;
    private final ArrayDeque<Turn> log = new ArrayDeque<>();
    private double total;
    private double cap = Double.POSITIVE_INFINITY;
    private long windowNanos;
    private double rate = Double.POSITIVE_INFINITY;
    /** The pace's time of the newest reservation (a turn the cap delays is later) and its units. */
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
        Turn turn = turn(units, spaced, notBefore);
        turn.claimed = true;
        return turn.at;
    }

    /**
     * Like {@link #reserve(double, boolean, long)}, as a turn whose time a {@link #respace} may move, and
     * which a {@link #takeBack} moves too until its caller {@link #claim claims} it.
     */
    public synchronized Turn turn(double units, boolean spaced, long notBefore) {
        long now = ticker.nanos();
        prune(now);
        Turn turn = new Turn(schedule(units, spaced, notBefore, now), units);
        add(turn);
        return turn;
    }

    private long schedule(double units, boolean spaced, long notBefore, long now) {
        long at = Math.max(now, notBefore);
        if (spaced && last != Long.MIN_VALUE && rate < Double.POSITIVE_INFINITY) {
            // The previous reservation's units set the gap: a large call is followed by a long pause.
            at = Math.max(at, last + (long) Math.ceil(lastUnits / rate * NANOS_PER_SECOND));
        }
        // The pace goes on from here, not from where the cap puts this turn: a turn the cap delays (the
        // one a window after a late send) does not delay every turn after it.
        if (last == Long.MIN_VALUE || at >= last) {
            last = at;
            lastUnits = units;
        }
        if (cap < Double.POSITIVE_INFINITY) {
            // The window is (at - window, at]; drop the oldest entries until the new units fit.
            double inWindow = total;
            Iterator<Turn> it = log.iterator();
            while (it.hasNext() && inWindow + units > cap) {
                Turn e = it.next();
                inWindow -= e.units;
                at = Math.max(at, e.at + windowNanos);
            }
        }
        return at;
    }

    private void add(Turn turn) {
        insert(turn);
        total += turn.units;
    }

    /**
     * Gives the turns not yet due new times, in their order, as if they were reserved now under the
     * limit set now: after a lower limit, turns given at the old pace would send too fast; after a
     * higher one, they would wait for nothing.
     */
    public synchronized void respace() {
        respace(false);
    }

    /**
     * Like {@link #respace()}, and the turns already due whose callers have not {@link #claim claimed}
     * them (threads waking late, or waiting for the lock of the one who calls this) are given new times
     * too: after a limit found too high, they would otherwise go at the old pace into the window that was
     * just found full.
     */
    public synchronized void takeBack() {
        respace(true);
    }

    private void respace(boolean unclaimed) {
        long now = ticker.nanos();
        prune(now);
        Deque<Turn> moved = new ArrayDeque<>();
        // The turns not yet due are the log's tail; only a take-back (after a cut, rare) reads the whole log.
        while (!log.isEmpty() && log.peekLast().at > now) {
            Turn t = log.pollLast();
            total -= t.units;
            moved.addFirst(t);
        }
        if (unclaimed) {
            Deque<Turn> due = new ArrayDeque<>();
            Iterator<Turn> it = log.iterator();
            while (it.hasNext()) {
                Turn t = it.next();
                if (!t.claimed) {
                    it.remove();
                    total -= t.units;
                    due.addLast(t);
                }
            }
            while (!due.isEmpty()) {
                moved.addFirst(due.pollLast());
            }
        }
        last = log.isEmpty() ? Long.MIN_VALUE : log.peekLast().at;
        lastUnits = log.isEmpty() ? 0 : log.peekLast().units;
        for (Turn t : moved) {
            t.at = schedule(t.units, true, Long.MIN_VALUE, now);
            add(t);
        }
    }

    /**
     * The caller of {@code turn}, who read the clock at {@code sentAt}, sends now, unless the turn was given a
     * later time meanwhile ({@link #takeBack}): then it is not claimed, and the caller waits for its new time.
     *
     * @return whether the turn was claimed (its request may go out now)
     */
    public synchronized boolean claim(Turn turn, long sentAt) {
        if (turn.at > sentAt) {
            return false;
        }
        turn.claimed = true;
        sent(turn, sentAt);
        return true;
    }

    /** Gives back {@code turn}'s units if it was never claimed (its caller stopped waiting). */
    public synchronized void release(Turn turn) {
        if (!turn.claimed) {
            cancel(turn);
        }
    }

    /** Gives back {@code turn}'s units (a request the provider refused, which it does not count). */
    public synchronized void cancel(Turn turn) {
        if (log.removeLastOccurrence(turn)) {
            total -= turn.units;
        }
    }

    /** {@code turn} went out at {@code sentAt} (later than its time when the caller was slow to wake). */
    public synchronized void sent(Turn turn, long sentAt) {
        if (sentAt > turn.at && log.removeLastOccurrence(turn)) {
            turn.at = sentAt;
            insert(turn);
        }
    }

    /** Adds {@code entry} where its time puts it, searching from the newest end. */
    private void insert(Turn entry) {
        Deque<Turn> later = new ArrayDeque<>();
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
        Iterator<Turn> it = log.descendingIterator();
        while (it.hasNext()) {
            Turn e = it.next();
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
        // Two windows: a reply counts our sends in the provider's window as it was when the request
        // went out, a latency ago.
        long horizon = now - 2 * Math.max(windowNanos, keepNanos);
        while (!log.isEmpty() && log.peekFirst().at <= horizon) {
            total -= log.pollFirst().units;
        }
        if (log.isEmpty()) {
            total = 0;
        }
    }

    /** One reservation: its units and its time, which a {@link #respace} or a late send moves. */
    public static final class Turn {
        private volatile long at;
        private final double units;
        /** Whether its caller sends (a taken-back turn not yet claimed gets a new time, a claimed one keeps its place). */
        private boolean claimed;

        private Turn(long at, double units) {
            this.at = at;
            this.units = units;
        }

        /** When the caller may send (a {@link Ticker} time); later after a lower limit was set. */
        public long at() {
            return at;
        }
    }
}
