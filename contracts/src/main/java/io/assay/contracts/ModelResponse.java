package io.assay.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
 * @param logprobs per generated token, its log-probability and the top alternatives, when the
 *     request asked for them (preference judges read the first token's alternatives)
 * @param simQuality the latent quality in [0, 1] of a simulated answer (the probability it is
 *     right); {@code sim} models only, so a {@code sim} judge can grade it with a known truth
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
        Instant answeredAt,
        List<TokenLogprob> logprobs,
        Double simQuality) {

    /** A response without log-probabilities or simulation truth. */
    public ModelResponse(
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
        this(
                requestId,
                purpose,
                benchmark,
                itemId,
                revision,
                modelId,
                simulated,
                variant,
                category,
                publishedAt,
                output,
                finishReason,
                usage,
                latencyMs,
                costUsd,
                cached,
                attempts,
                error,
                judgeId,
                answeredAt,
                null,
                null);
    }

    /** The Kafka key. */
    public String key() {
        return Keys.item(benchmark, itemId);
    }

    /** Whether the call failed. */
    public boolean failed() {
        return error != null;
    }

    /**
     * One generated token's log-probability and its most likely alternatives.
     *
     * @param token the token generated
     * @param logprob its natural-log probability
     * @param top the most likely tokens at this position and their log-probabilities
     */
    public record TokenLogprob(String token, double logprob, Map<String, Double> top) {}
}
