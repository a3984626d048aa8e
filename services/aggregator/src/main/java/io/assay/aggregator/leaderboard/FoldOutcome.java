package io.assay.aggregator.leaderboard;

import java.util.Locale;

/** What {@link Fold#apply} did with a judgment; the metric tag {@code outcome}. */
public enum FoldOutcome {
    /** A new slot: the verdict was added. */
    COUNTED,
    /** A newer verdict ({@link Fold#NEWEST}) replaced the slot's: the old one was retracted. */
    REVISED,
    /** The same judgmentId is already in its slot: a redelivery, nothing counts twice. */
    DUPLICATE,
    /** An older verdict than the slot's ({@link Fold#NEWEST}): ignored. */
    STALE;

    /** The metric tag value. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
