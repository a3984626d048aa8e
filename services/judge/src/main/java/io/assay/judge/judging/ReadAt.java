package io.assay.judge.judging;

/**
 * Where a response was read, and in which trace: its partition and offset in the topic it was
 * published to, so a dead letter made later (when its item arrives, or when it expires) names the record
 * a user can find with any Kafka tool, and carries the response's {@code traceparent} on (a response
 * kept in the store loses its headers).
 *
 * @param partition the partition; -1 when unknown (kept by an older judge)
 * @param offset the offset in that partition
 * @param traceparent the response's W3C {@code traceparent} header, {@code null} when it had none (or was
 *     kept by an older judge)
 */
public record ReadAt(int partition, long offset, String traceparent) {

    /** Where a record without a trace was read. */
    public ReadAt(int partition, long offset) {
        this(partition, offset, null);
    }

    /** The same place, in {@code traceparent}'s trace. */
    public ReadAt withTrace(String traceparent) {
        return new ReadAt(partition, offset, traceparent);
    }
}
