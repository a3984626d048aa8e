package io.assay.contracts;

/**
 * Token usage of one call.
 *
 * @param inputTokens prompt tokens
 * @param outputTokens completion tokens
 */
public record Usage(int inputTokens, int outputTokens) {}
