package io.assay.aggregator.leaderboard;

import java.time.Instant;

/**
 * What the aggregator keeps of one evaluation call (a {@code ModelResponse} with purpose EVALUATE):
 * its cost and latency for the per-model detail, its answer for the per-item drill-down, its error for
 * the failure counts. Keyed {@code benchmark|modelId|requestId}, so a redelivered response overwrites
 * itself.
 *
 * @param requestId the request
 * @param itemId the item
 * @param costUsd the call's cost in US dollars, {@code null} when unknown
 * @param latencyMs the call's latency, {@code null} when unknown
 * @param failed the call failed (typed error)
 * @param cached the answer came from the invoker's cache (no paid call)
 * @param output the answer
 * @param errorKind the failure's {@code ModelError.kind}, {@code null} when it answered (or was stored
 *     before kinds were kept)
 * @param errorMessage the failure's message, {@code null} when it answered
 * @param at when it was answered or failed ({@code answeredAt}, else the record's time)
 * @param traceId the trace its response's {@code traceparent} names (the item's trace, which its judgments
 *     carry on), for the per-item drill-down; {@code null} without one and in calls stored before it was kept
 */
public record Call(
        String requestId,
        String itemId,
        Double costUsd,
        Long latencyMs,
        boolean failed,
        boolean cached,
        String output,
        String errorKind,
        String errorMessage,
        Instant at,
        String traceId) {

    /** A call without error details or time. */
    public Call(
            String requestId,
            String itemId,
            Double costUsd,
            Long latencyMs,
            boolean failed,
            boolean cached,
            String output) {
        this(requestId, itemId, costUsd, latencyMs, failed, cached, output, null, null, null, null);
    }

    /** The store key. */
    public static String key(String benchmark, String modelId, String requestId) {
        return benchmark + Fold.SEPARATOR + modelId + Fold.SEPARATOR + requestId;
    }
}
