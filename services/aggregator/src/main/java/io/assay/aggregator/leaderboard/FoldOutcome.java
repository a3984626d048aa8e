package io.assay.aggregator.leaderboard;

import java.util.Locale;

/** What {@link Fold#apply} did with a judgment; the metric tag {@code outcome}. */
public enum FoldOutcome {
    /** A new slot: the verdict was added. */
    COUNTED,
    /** A newer (or equal) revision replaced the slot's verdict: the old one was retracted. */
    REVISED,
    /** The same judgmentId is already in its slot: ignored. */
    DUPLICATE,
    /** An older revision than the slot's: ignored. */
    STALE;

    /** The metric tag value. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
