package io.assay.aggregator.leaderboard;

import java.util.Arrays;
import java.util.List;

/**
 * Cost and latency of one model's evaluation calls on one benchmark.
 *
 * @param calls responses seen (deduplicated by requestId)
 * @param failures calls that failed
 * @param cached answers served from the invoker's cache
 * @param costUsd total cost in US dollars
 * @param meanLatencyMs mean latency of the calls that report one
 * @param p50LatencyMs median latency (nearest rank)
 * @param p95LatencyMs 95th percentile latency (nearest rank)
 */
public record CallSummary(
        long calls,
        long failures,
        long cached,
        double costUsd,
        Double meanLatencyMs,
        Long p50LatencyMs,
        Long p95LatencyMs) {

    /** The summary of {@code calls}. */
    public static CallSummary of(List<Call> calls) {
        long[] latencies = calls.stream()
                .filter(c -> c.latencyMs() != null)
                .mapToLong(Call::latencyMs)
                .sorted()
                .toArray();
        double cost = calls.stream()
                .filter(c -> c.costUsd() != null)
                .mapToDouble(Call::costUsd)
                .sum();
        Double mean = latencies.length == 0
                ? null
                : Arrays.stream(latencies).average().orElse(0);
        return new CallSummary(
                calls.size(),
                calls.stream().filter(Call::failed).count(),
                calls.stream().filter(Call::cached).count(),
                cost,
                mean,
                rank(latencies, 0.50),
                rank(latencies, 0.95));
    }

    private static Long rank(long[] sorted, double q) {
        if (sorted.length == 0) {
            return null;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }
}
