package io.assay.judge.drift;

/**
 * Which canary waits for a ballot: the {@code canaries} store's index from a ballot id to its canary.
 *
 * @param benchmark the benchmark
 * @param judge the judge id
 * @param canaryId the canary's id ({@link Canary#id})
 */
public record CanaryRef(String benchmark, String judge, String canaryId) {}
