package io.assay.contracts;

/**
 * Header names on {@code assay.dead-letters}. A dead letter keeps the original key and bytes; these
 * headers say where it came from and why it was rejected.
 */
public final class DeadLetters {
    /** The service and step that rejected the event, e.g. {@code judge}. */
    public static final String STAGE = "assay-dlq-stage";
    /** Why, in words. */
    public static final String REASON = "assay-dlq-reason";
    /** The topic it was read from. */
    public static final String TOPIC = "assay-dlq-topic";
    /** The partition it was read from. */
    public static final String PARTITION = "assay-dlq-partition";
    /** The offset it was read from. */
    public static final String OFFSET = "assay-dlq-offset";

    private DeadLetters() {
    }
}
