package io.assay.contracts;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

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
    /**
     * Set when the value was cut: the original value's length in bytes. A dead letter keeps at most
     * {@link #MAX_VALUE_BYTES} of it, so that the letter of any record a stage could read fits Kafka's
     * default 1 MiB message limit with its headers, and writing it can never fail the stage.
     */
    public static final String VALUE_BYTES = "assay-dlq-value-bytes";
    /** The most of an original value a dead letter keeps: {@link EventType#MAX_EVENT_BYTES}. */
    public static final int MAX_VALUE_BYTES = EventType.MAX_EVENT_BYTES;
    /** Reasons longer than this are cut, so a huge parser message cannot bloat the topic. */
    public static final int MAX_REASON_CHARS = 2000;

    private DeadLetters() {}

    /**
     * The headers of a dead letter: the original event's headers, then where it was read and why it
     * was rejected. A negative partition or offset (unknown) is left out.
     */
    public static Headers headers(
            Headers original, String stage, String reason, String topic, int partition, long offset) {
        Headers headers = new RecordHeaders(original == null ? new Header[0] : original.toArray());
        String why = reason == null || reason.isBlank() ? "unknown" : reason;
        headers.add(STAGE, CloudEvents.utf8(stage))
                .add(
                        REASON,
                        CloudEvents.utf8(why.length() > MAX_REASON_CHARS ? why.substring(0, MAX_REASON_CHARS) : why))
                .add(TOPIC, CloudEvents.utf8(topic));
        if (partition >= 0) {
            headers.add(PARTITION, CloudEvents.utf8(Integer.toString(partition)));
        }
        if (offset >= 0) {
            headers.add(OFFSET, CloudEvents.utf8(Long.toString(offset)));
        }
        return headers;
    }
}
