package io.assay.aggregator.messaging;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Which views one lane of the {@link SnapshotPublisher} recomputes: those whose benchmark changed since
 * the lane last computed them, and whose speed is the lane's. A view whose last computations cost more than
 * the slow threshold of its thread's CPU (the median of the last three: one computation slowed by code not
 * compiled yet does not move a view) is <em>slow</em> (a view still computed from every slot, on a long
 * history); the slow lane computes those, the fast lane the others, each on its own thread, so a view that
 * takes seconds does not hold back the snapshots of those the tallies answer in milliseconds. A view's CPU
 * time, not its wall-clock time, decides: a tallied view waits for the tallies' lock while a fold writes,
 * and for a core on a busy machine, and by its wall-clock time it moved to the slow lane during a long
 * import, where it waited tens of seconds behind the slow views. A view not computed yet is fast, unless
 * the fast lane found that its computation would go beyond the lane's bounds ({@link #deferred}). Each
 * lane's schedule is used by its own thread; the views' speeds are shared.
 */
final class ViewSchedule {
    private static final Logger LOG = Logger.getLogger(ViewSchedule.class);

    private final long slowNanos;
    private final boolean slowLane;
    /** Per snapshot key: its last three computations' CPU times, by either lane. Shared by the lanes. */
    private final Map<String, Costs> costs;
    /** Per snapshot key: the benchmark version this lane last computed it at. */
    private final Map<String, Long> computedAt = new HashMap<>();

    /**
     * @param slowNanos the CPU time of a computation above which a view is slow
     * @param slowLane whether this is the slow views' lane
     * @param costs the views' computation times, shared by the lanes (a concurrent map)
     */
    ViewSchedule(long slowNanos, boolean slowLane, Map<String, Costs> costs) {
        this.slowNanos = slowNanos;
        this.slowLane = slowLane;
        this.costs = costs;
    }

    /**
     * A view's last three computations' CPU times in nanoseconds, the latest first (-1 where there were fewer), whether
     * the fast lane deferred it since the last, and the latest's CPU nanoseconds per judgment of its snapshot (0 when
     * unknown).
     */
    record Costs(long latest, long before, long first, boolean deferred, double perJudgment) {
        Costs(long latest, long before, long first) {
            this(latest, before, first, false, 0);
        }

        Costs then(long nanos, double perJudgment) {
            return new Costs(nanos, latest, before, false, perJudgment);
        }

        /** Whether the view is slow: deferred by the fast lane, or typically over {@code slowNanos}. */
        boolean slow(long slowNanos) {
            return deferred || typical() > slowNanos;
        }

        /** The median of the three, with two the lesser, with one 0: a view is fast until it was slow twice. */
        long typical() {
            if (first < 0) {
                return before < 0 ? 0 : Math.min(latest, before);
            }
            return Math.max(Math.min(latest, before), Math.min(Math.max(latest, before), first));
        }
    }

    /** Every view of the lane is due again (a start, a restored task, a lease just taken). */
    void reset() {
        computedAt.clear();
    }

    /**
     * Whether this lane is to compute the view of {@code key} now: its benchmark is at {@code version},
     * which the lane did not compute it at, and the view's speed is the lane's.
     */
    boolean due(String key, long version) {
        Long computed = computedAt.get(key);
        Costs c = costs.get(key);
        boolean slow = c != null && c.slow(slowNanos);
        return (computed == null || computed != version) && slow == slowLane;
    }

    /**
     * The most slots the fast lane lets the view of {@code key} read at once: {@code cap}, or fewer when its last
     * computation's CPU per judgment says a read of more would cost more than the slow threshold. A read costs some
     * 2–3 µs a slot, so the cap bounds a view that only reads them; {@code lc-winrate} fits every model from scratch at
     * some 50 µs a preference, so within 20,000 slots its computations took up to 0.85 s of CPU and 3.6–14 s of wall
     * clock during an import.
     */
    long slots(String key, long cap) {
        Costs c = costs.get(key);
        if (c == null || c.perJudgment() <= 0) {
            return cap;
        }
        return Math.min(cap, (long) (slowNanos / c.perJudgment()));
    }

    /**
     * The fast lane did not compute the view of {@code key}: beyond its bounds ({@link LeaderboardReader.Deferred}).
     * It is slow until the slow lane computed it; then its times decide again (a view the tallies answer again after
     * a full read, fast; one that reads a long history whole again, deferred again, or slow by its times).
     */
    void deferred(String key) {
        costs.merge(
                key,
                new Costs(-1, -1, -1, true, 0),
                (old, x) -> new Costs(old.latest(), old.before(), old.first(), true, old.perJudgment()));
        LOG.debugf("%s: slow (beyond the fast lane's bounds)", key);
    }

    /**
     * The view of {@code key} was computed at {@code version} in {@code cpuNanos} of its thread's CPU, {@code
     * wallNanos} of wall-clock time, into a snapshot of {@code judgments}.
     */
    void computed(String key, long version, long cpuNanos, long wallNanos, long judgments) {
        computedAt.put(key, version);
        double perJudgment = judgments > 0 ? (double) cpuNanos / judgments : 0;
        Costs before = costs.get(key);
        Costs after = costs.merge(
                key, new Costs(cpuNanos, -1, -1, false, perJudgment), (old, x) -> old.then(cpuNanos, perJudgment));
        boolean wasSlow = before != null && before.slow(slowNanos);
        if (wasSlow != after.slow(slowNanos)) {
            LOG.debugf(
                    "%s: %s (its last computations' CPU %s ms; this one %d ms of wall-clock time)",
                    key,
                    wasSlow ? "fast" : "slow",
                    List.of(after.latest(), after.before(), after.first()).stream()
                            .map(n -> n < 0 ? "-" : Long.toString(n / 1_000_000))
                            .toList(),
                    wallNanos / 1_000_000);
        } else if (!slowLane && wallNanos > slowNanos) {
            LOG.debugf(
                    "%s: took %d ms, %d ms of them its thread's CPU", key, wallNanos / 1_000_000, cpuNanos / 1_000_000);
        }
    }
}
