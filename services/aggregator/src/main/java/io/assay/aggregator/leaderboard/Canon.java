package io.assay.aggregator.leaderboard;

import java.util.HashMap;
import java.util.Map;

/**
 * One instance of each value among equal ones, for one read of a benchmark's slots ({@link ViewSlots}): each
 * slot is decoded on its own, so 1,000,000 slots of 100 models would otherwise hold 1,000,000 copies of the
 * same hundred model ids, judge versions, categories and scales. Not global: it is dropped with its read, so
 * it holds only the values of the slots read with it, and no value outlives the view that needed it.
 */
public final class Canon {
    /** Shares nothing: every value is kept as it is. */
    static final Canon NONE = new Canon(null);

    private final Map<Object, Object> seen;

    private Canon(Map<Object, Object> seen) {
        this.seen = seen;
    }

    /** A canon for one read, empty. */
    public Canon() {
        this(new HashMap<>());
    }

    /** The first value equal to {@code value} this canon was handed ({@code value} itself if none), or null. */
    @SuppressWarnings("unchecked")
    <T> T of(T value) {
        return value == null || seen == null ? value : (T) seen.computeIfAbsent(value, v -> v);
    }
}
