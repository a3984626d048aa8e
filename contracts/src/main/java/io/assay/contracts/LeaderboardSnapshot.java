package io.assay.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A leaderboard view at one moment. Served by the aggregator's REST API and published to the
 * compacted topic {@code assay.leaderboards} keyed {@code benchmark/view}.
 *
 * @param benchmark the benchmark
 * @param view the view's name, e.g. {@code accuracy}
 * @param asOf when it was computed
 * @param judgments judgments folded into it
 * @param rows one per model, best first
 * @param params the view's settings (length penalty K, baseline, anchor, window, post-cutoff, ...)
 * @param kendallTau Kendall's tau-b of this ranking against the ranking {@code kendallTauLag}
 *     judgments earlier (stability); {@code null} when undefined
 * @param kendallTauLag how many judgments earlier the compared ranking is
 * @param failing models with evaluation calls on this benchmark and none answered, by modelId: they
 *     have no row (nothing to rank) but are listed so a broken model is never simply absent; absent
 *     or {@code null} in older snapshots, read as empty
 */
public record LeaderboardSnapshot(
        String benchmark,
        String view,
        Instant asOf,
        long judgments,
        List<Row> rows,
        Map<String, Object> params,
        Double kendallTau,
        Long kendallTauLag,
        List<Failing> failing) {

    /** {@code null} failing (an older snapshot) reads as none. */
    public LeaderboardSnapshot {
        failing = failing == null ? List.of() : List.copyOf(failing);
    }

    /** A snapshot without failing models. */
    public LeaderboardSnapshot(
            String benchmark,
            String view,
            Instant asOf,
            long judgments,
            List<Row> rows,
            Map<String, Object> params,
            Double kendallTau,
            Long kendallTauLag) {
        this(benchmark, view, asOf, judgments, rows, params, kendallTau, kendallTauLag, List.of());
    }

    /** A snapshot without settings, stability or failing models. */
    public LeaderboardSnapshot(String benchmark, String view, Instant asOf, long judgments, List<Row> rows) {
        this(benchmark, view, asOf, judgments, rows, null, null, null, List.of());
    }

    /**
     * A model whose every evaluation call on the benchmark failed: no row, but its failures.
     *
     * @param modelId the model
     * @param simulated true for simulated models
     * @param answered evaluation calls answered (0 while it is failing)
     * @param failed evaluation calls that failed (deduplicated by requestId)
     * @param failures failed calls by {@code ModelError.kind} ({@code auth}, {@code connection}, ...)
     * @param lastError the most recent failure, {@code null} when unknown
     */
    public record Failing(
            String modelId,
            boolean simulated,
            long answered,
            long failed,
            Map<String, Long> failures,
            LastError lastError) {}

    /**
     * The most recent failure of a model's calls.
     *
     * @param kind the {@code ModelError.kind}
     * @param message the invoker's message (redacted of credentials there)
     * @param at when it was answered ({@code answeredAt}, else the record's time)
     */
    public record LastError(String kind, String message, Instant at) {}

    /**
     * One model's line.
     *
     * @param rank 1 for the best
     * @param modelId the model
     * @param simulated true for simulated models, which are always labelled so
     * @param value the headline value (for accuracy, a proportion in [0, 1])
     * @param lower lower end of the 95% interval; {@code null} where the view or the data give no interval
     *     ({@code elo}; a Bradley–Terry rating that is not a finite maximum-likelihood estimate: {@code upper} null
     *     too), or where
     *     it is unbounded below ({@code bt}: −∞ in more than 2.5% of the bootstrap replicates), written as JSON null
     * @param upper upper end of the 95% interval; {@code null} with {@code lower} where there is no interval, or
     *     alone where it is unbounded above ({@code bt}: +∞ in more than 2.5% of the replicates)
     * @param n observations behind the value
     * @param categories the same per category
     * @param metrics view-specific named values (the names the source benchmark publishes)
     */
    public record Row(
            int rank,
            String modelId,
            boolean simulated,
            double value,
            @JsonInclude(JsonInclude.Include.ALWAYS) Double lower,
            @JsonInclude(JsonInclude.Include.ALWAYS) Double upper,
            long n,
            Map<String, Cell> categories,
            Map<String, Object> metrics) {}

    /**
     * A value with its interval.
     *
     * @param value the value
     * @param lower lower end of the 95% interval; {@code null} with {@code upper} where the view gives none per
     *     category ({@code wb-score}, {@code wb-reward}, as WildBench) or the data give none (one observation)
     * @param upper upper end of the 95% interval; {@code null} with {@code lower}
     * @param n observations
     */
    public record Cell(
            double value,
            @JsonInclude(JsonInclude.Include.ALWAYS) Double lower,
            @JsonInclude(JsonInclude.Include.ALWAYS) Double upper,
            long n) {}
}
