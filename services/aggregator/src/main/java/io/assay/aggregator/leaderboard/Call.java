package io.assay.aggregator.leaderboard;

/**
 * What the aggregator keeps of one evaluation call (a {@code ModelResponse} with purpose EVALUATE):
 * its cost and latency for the per-model detail, its answer for the per-item drill-down. Keyed
 * {@code benchmark|modelId|requestId}, so a redelivered response overwrites itself.
 *
 * @param requestId the request
 * @param itemId the item
 * @param costUsd the call's cost in US dollars, {@code null} when unknown
 * @param latencyMs the call's latency, {@code null} when unknown
 * @param failed the call failed (typed error)
 * @param cached the answer came from the invoker's cache (no paid call)
 * @param output the answer
 */
public record Call(
        String requestId,
        String itemId,
        Double costUsd,
        Long latencyMs,
        boolean failed,
        boolean cached,
        String output) {

    /** The store key. */
    public static String key(String benchmark, String modelId, String requestId) {
        return benchmark + Fold.SEPARATOR + modelId + Fold.SEPARATOR + requestId;
    }
}
