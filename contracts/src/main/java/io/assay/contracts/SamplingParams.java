package io.assay.contracts;

import java.util.List;

/**
 * Sampling parameters sent with a request; absent fields use the provider's defaults.
 *
 * @param temperature sampling temperature
 * @param topP nucleus sampling mass
 * @param maxTokens output token limit
 * @param seed provider seed, where supported
 * @param stop stop sequences
 * @param logprobs whether to return log-probabilities (preference judges need them)
 * @param topLogprobs how many alternatives per token
 */
public record SamplingParams(
        Double temperature,
        Double topP,
        Integer maxTokens,
        Long seed,
        List<String> stop,
        Boolean logprobs,
        Integer topLogprobs) {

    /** No parameters: provider defaults. */
    public static final SamplingParams DEFAULTS = new SamplingParams(null, null, null, null, null, null, null);
}
