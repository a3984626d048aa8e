package io.assay.contracts;

import java.time.Instant;

/**
 * A model's answer to one {@link PromptRequest}, or a typed failure. Keyed {@code benchmark/itemId}
 * on {@code assay.responses}.
 *
 * @param requestId the request answered
 * @param purpose copied from the request
 * @param benchmark the benchmark
 * @param itemId the item
 * @param revision the item revision
 * @param modelId the model that answered
 * @param simulated true when the model is a simulator
 * @param variant copied from the request
 * @param category copied from the request
 * @param publishedAt copied from the request
 * @param output the answer text ({@code null} on failure)
 * @param finishReason why it stopped
 * @param usage token usage
 * @param latencyMs wall time of the successful call
 * @param costUsd cost from the model's prices
 * @param cached served from the invoker's cache instead of the provider
 * @param attempts calls made, retries included
 * @param error the failure, when the call failed after its retries
 * @param judgeId copied from the request (JUDGE)
 * @param answeredAt when the answer was received
 */
public record ModelResponse(
        String requestId,
        Purpose purpose,
        String benchmark,
        String itemId,
        int revision,
        String modelId,
        boolean simulated,
        Variant variant,
        String category,
        Instant publishedAt,
        String output,
        FinishReason finishReason,
        Usage usage,
        Long latencyMs,
        Double costUsd,
        boolean cached,
        int attempts,
        ModelError error,
        String judgeId,
        Instant answeredAt) {

    /** The Kafka key. */
    public String key() {
        return Keys.item(benchmark, itemId);
    }

    /** Whether the call failed. */
    public boolean failed() {
        return error != null;
    }
}
