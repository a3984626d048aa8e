package io.assay.invoker.providers;

import io.assay.contracts.FinishReason;
import io.assay.contracts.Usage;

/**
 * A provider's successful reply.
 *
 * @param output the answer text
 * @param finishReason why the model stopped
 * @param usage token usage
 * @param latencyMs latency of the call in milliseconds
 */
public record ProviderReply(String output, FinishReason finishReason, Usage usage, long latencyMs) {
}
