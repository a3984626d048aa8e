package io.assay.invoker.sim;

import io.assay.contracts.Usage;

/**
 * One simulated answer (never a real model's output).
 *
 * @param output the full output: filler reasoning, then a last line {@code Answer: <answer>}
 * @param answer the answer on the last line
 * @param correct whether the simulator decided the answer is correct
 * @param usage simulated token usage
 * @param latencyMs simulated latency in milliseconds
 * @param quality the probability the answer is correct, {@code sigma(skill + formatSkill - difficulty)}
 */
public record SimAnswer(String output, String answer, boolean correct, Usage usage, long latencyMs, double quality) {}
