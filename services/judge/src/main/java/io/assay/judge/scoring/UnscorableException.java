package io.assay.judge.scoring;

/**
 * The item (or the variant) gives a reference scorer nothing to decide with: e.g. a forced
 * {@code numeric} method on an item without a value, or an invalid choice permutation. No verdict
 * is better than a wrong one, so the caller skips the judgment and counts it.
 */
public class UnscorableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the reason, for logs and metrics. */
    public UnscorableException(String reason) {
        super(reason);
    }
}
