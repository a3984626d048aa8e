package io.assay.aggregator.leaderboard;

import io.assay.contracts.LeaderboardSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * A published leaderboard snapshot reduced to what a score-over-time chart needs
 * ({@code GET /api/benchmarks/{b}/history}).
 *
 * @param asOf when the snapshot was computed
 * @param judgments judgments folded into it
 * @param kendallTau its stability against the ranking {@code kendallTauLag} judgments earlier, {@code null}
 *     when undefined
 * @param models one per ranked model
 */
public record HistoryPoint(Instant asOf, long judgments, Double kendallTau, List<ModelPoint> models) {

    /**
     * One model's value at that moment.
     *
     * @param modelId the model
     * @param value its headline value
     * @param lower lower end of the 95% interval, {@code null} when none
     * @param upper upper end of the 95% interval, {@code null} when none
     */
    public record ModelPoint(String modelId, double value, Double lower, Double upper) {}

    /** The point of {@code s}. */
    public static HistoryPoint of(LeaderboardSnapshot s) {
        return new HistoryPoint(
                s.asOf(),
                s.judgments(),
                s.kendallTau(),
                s.rows().stream()
                        .map(r -> new ModelPoint(r.modelId(), r.value(), r.lower(), r.upper()))
                        .toList());
    }
}
