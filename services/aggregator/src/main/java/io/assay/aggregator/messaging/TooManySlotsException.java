package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.ViewTooLargeException;

/**
 * A view that needs every slot of a benchmark in the heap (one the tallies do not answer, not even streamed:
 * {@link io.assay.aggregator.leaderboard.StreamedViews}) asked of one with more slots than this aggregator
 * reads into its heap at once for that view ({@link LeaderboardReader#slotPathLimit}): refused, not an
 * OutOfMemoryError. REST answers 422 with the message; the snapshot publisher leaves the view out
 * ({@link ViewTooLargeException}).
 */
public class TooManySlotsException extends ViewTooLargeException {
    /** {@code benchmark} has {@code slots}, more than {@code limit}, which {@code basis} says how it was set. */
    public TooManySlotsException(String benchmark, long slots, long limit, String basis) {
        super(benchmark + " has " + slots + " judgments: this view is computed from every one of them, and this"
                + " aggregator reads at most " + limit + " into its heap (" + basis + "); the views its tallies"
                + " answer are not limited, with or"
                + " without a window, post-cutoff, another k or a longer lag");
    }

    private TooManySlotsException(String message) {
        super(message);
    }

    /**
     * {@code judge-agreement} of {@code benchmark}, whose items with a human label have more than {@code limit}
     * judgments ({@link io.assay.aggregator.leaderboard.LabelledItems}), which {@code basis} says how it was set.
     */
    public static TooManySlotsException labelled(String benchmark, long limit, String basis) {
        return new TooManySlotsException(benchmark + "'s items with a human label have more than " + limit
                + " judgments: judge-agreement is computed from every one of them, and this aggregator reads at"
                + " most " + limit + " into its heap (" + basis + ")");
    }
}
