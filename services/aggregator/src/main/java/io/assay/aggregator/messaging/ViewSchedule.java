package io.assay.aggregator.messaging;

import java.util.HashMap;
import java.util.Map;

/**
 * Which views one lane of the {@link SnapshotPublisher} recomputes: those whose benchmark changed since
 * the lane last computed them, and whose speed is the lane's. A view whose last computation took longer
 * than the slow threshold is <em>slow</em> (a view still computed from every slot, on a long history);
 * the slow lane computes those, the fast lane the others, each on its own thread, so a view that takes
 * seconds does not hold back the snapshots of those the tallies answer in milliseconds. A view not
 * computed yet is fast. Each lane's schedule is used by its own thread; the views' speeds are shared.
 */
final class ViewSchedule {
    private final long slowNanos;
    private final boolean slowLane;
    /** Per snapshot key: whether its last computation, by either lane, was slow. Shared by the lanes. */
    private final Map<String, Boolean> slow;
    /** Per snapshot key: the benchmark version this lane last computed it at. */
    private final Map<String, Long> computedAt = new HashMap<>();

    /**
     * @param slowNanos the computation time above which a view is slow
     * @param slowLane whether this is the slow views' lane
     * @param slow the views' speeds, shared by the lanes (a concurrent map)
     */
    ViewSchedule(long slowNanos, boolean slowLane, Map<String, Boolean> slow) {
        this.slowNanos = slowNanos;
        this.slowLane = slowLane;
        this.slow = slow;
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
        return (computed == null || computed != version) && slow.getOrDefault(key, false) == slowLane;
    }

    /** The view of {@code key} was computed at {@code version} in {@code tookNanos}. */
    void computed(String key, long version, long tookNanos) {
        computedAt.put(key, version);
        slow.put(key, tookNanos > slowNanos);
    }
}
