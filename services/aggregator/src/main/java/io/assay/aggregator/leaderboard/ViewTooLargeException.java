package io.assay.aggregator.leaderboard;

/**
 * A view refused because its input is larger than this aggregator computes it from, rather than an
 * OutOfMemoryError or a computation that would hold the aggregator for hours: more slots than its heap holds
 * ({@code TooManySlotsException}), or more items than {@code lc-winrate} estimates instruction difficulties
 * for. REST answers 422 with the message; the snapshot publisher leaves the view out.
 */
public class ViewTooLargeException extends RuntimeException {
    /** Refused, {@code message} saying why and what is answered instead. */
    public ViewTooLargeException(String message) {
        super(message);
    }
}
