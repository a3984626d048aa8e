package io.assay.aggregator.leaderboard;

import java.time.Instant;

/**
 * A benchmark as listed by {@code GET /api/benchmarks}.
 *
 * @param benchmark the benchmark
 * @param judgments judgments folded (deduplicated; a revision replaces, it does not add)
 * @param models models with at least one judgment
 * @param items items with at least one judgment
 * @param lastJudgedAt the latest {@code judgedAt} among its judgments, {@code null} when none carries one
 * @param live a judgment of it was folded in the last {@link #LIVE_SECONDS} seconds (by this process)
 */
public record BenchmarkSummary(
        String benchmark, long judgments, int models, long items, Instant lastJudgedAt, boolean live) {
    /** How recent the last folded judgment must be for the benchmark to count as live. */
    public static final long LIVE_SECONDS = 60;
}
