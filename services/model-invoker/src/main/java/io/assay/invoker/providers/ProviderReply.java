package io.assay.invoker.providers;

import io.assay.contracts.FinishReason;
import io.assay.contracts.ModelResponse.TokenLogprob;
import io.assay.contracts.Usage;
import io.assay.invoker.limits.RateLimits;
import java.util.List;

/**
 * A provider's successful reply.
 *
 * @param output the answer text
 * @param finishReason why the model stopped
 * @param usage token usage
 * @param latencyMs latency of the call in milliseconds
 * @param logprobs per-token log-probabilities, when the request asked for them and the provider gave them
 * @param simQuality the latent quality of a simulated answer ({@code sim} only)
 * @param rateLimits the provider's rate-limit headers on the reply ({@link RateLimits#NONE} without)
 */
public record ProviderReply(
        String output,
        FinishReason finishReason,
        Usage usage,
        long latencyMs,
        List<TokenLogprob> logprobs,
        Double simQuality,
        RateLimits rateLimits) {

    /** Never a {@code null} {@code rateLimits}. */
    public ProviderReply {
        rateLimits = rateLimits == null ? RateLimits.NONE : rateLimits;
    }

    /** A reply without rate-limit headers. */
    public ProviderReply(
            String output,
            FinishReason finishReason,
            Usage usage,
            long latencyMs,
            List<TokenLogprob> logprobs,
            Double simQuality) {
        this(output, finishReason, usage, latencyMs, logprobs, simQuality, RateLimits.NONE);
    }

    /** A reply without log-probabilities, simulation truth or rate-limit headers. */
    public ProviderReply(String output, FinishReason finishReason, Usage usage, long latencyMs) {
        this(output, finishReason, usage, latencyMs, null, null, RateLimits.NONE);
    }
}
