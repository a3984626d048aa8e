package io.assay.aggregator.leaderboard;

/**
 * A benchmark as listed by {@code GET /api/benchmarks}.
 *
 * @param benchmark the benchmark
 * @param judgments judgments folded (deduplicated; a revision replaces, it does not add)
 * @param models models with at least one judgment
 */
public record BenchmarkSummary(String benchmark, long judgments, int models) {}
