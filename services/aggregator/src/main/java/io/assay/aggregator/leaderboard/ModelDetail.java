package io.assay.aggregator.leaderboard;

import io.assay.contracts.LeaderboardSnapshot.LastError;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.time.LocalDate;
import java.util.Map;

/**
 * One model on one benchmark: its row in every view that has one (default settings), per category
 * inside each row, and its regression against its previous version when it declares one.
 *
 * @param benchmark the benchmark
 * @param modelId the model
 * @param simulated whether the model is simulated
 * @param knowledgeCutoff its declared cutoff, {@code null} when none
 * @param previousVersion its declared previous version, {@code null} when none
 * @param judgments its judgments folded (every kind)
 * @param views view name → the model's row
 * @param calls cost and latency of its evaluation calls (from {@code assay.responses})
 * @param answered its evaluation calls answered (deduplicated by requestId)
 * @param failed its evaluation calls that failed
 * @param failures failed calls by {@code ModelError.kind}
 * @param lastError its most recent failure, {@code null} when none
 */
public record ModelDetail(
        String benchmark,
        String modelId,
        boolean simulated,
        LocalDate knowledgeCutoff,
        String previousVersion,
        long judgments,
        Map<String, Row> views,
        CallSummary calls,
        long answered,
        long failed,
        Map<String, Long> failures,
        LastError lastError) {}
