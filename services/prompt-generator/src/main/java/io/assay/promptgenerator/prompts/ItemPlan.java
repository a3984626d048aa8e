package io.assay.promptgenerator.prompts;

import io.assay.contracts.PromptRequest;
import java.util.List;
import java.util.Locale;

/**
 * What {@link PromptPlanner} decided for one item event: the prompts to emit (none unless the item is
 * new), or why the event is rejected.
 *
 * @param outcome what the event was; the metric tag {@code outcome}
 * @param prompts the requests to emit, in order; never back-fills
 * @param rejection why the event goes to the dead letters, {@code null} unless {@link Outcome#REJECTED}
 */
public record ItemPlan(Outcome outcome, List<PromptRequest> prompts, Rejection rejection) {

    static ItemPlan prompted(List<PromptRequest> prompts) {
        return new ItemPlan(Outcome.NEW, List.copyOf(prompts), null);
    }

    static ItemPlan skipped(Outcome outcome) {
        return new ItemPlan(outcome, List.of(), null);
    }

    static ItemPlan rejected(String reasonClass, String reason) {
        return new ItemPlan(Outcome.REJECTED, List.of(), new Rejection(reasonClass, reason));
    }

    /** What an item event was. */
    public enum Outcome {
        /** A new item or a new revision: prompted. */
        NEW,
        /** The stored revision re-published with the same content: nothing to do. */
        UNCHANGED,
        /** An older revision than the stored one, published late: the newer one stands. */
        STALE,
        /** A tombstone: the item is forgotten, not prompted again. */
        DELETED,
        /** Not accepted: see {@link ItemPlan#rejection}. */
        REJECTED;

        /** The metric tag value; a rejected item counts as {@code invalid}, like one that does not parse. */
        public String tag() {
            return this == REJECTED ? "invalid" : name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Why an item event is rejected.
     *
     * @param reasonClass a low-cardinality class, for meters ({@link #REVISION_NOT_BUMPED}, {@link #PROCESSING_ERROR})
     * @param reason the reason in words, for the dead letter
     */
    public record Rejection(String reasonClass, String reason) {
        /** The content changed under the stored revision: its requests would reuse ids already answered. */
        public static final String REVISION_NOT_BUMPED = "revision-not-bumped";
        /** The item could not be turned into prompts. */
        public static final String PROCESSING_ERROR = "processing-error";
    }
}
