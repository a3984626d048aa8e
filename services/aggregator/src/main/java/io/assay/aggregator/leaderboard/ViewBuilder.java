package io.assay.aggregator.leaderboard;

import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One view's formula: the rows of a benchmark's slots, one per model, unranked. Each {@link View}
 * names its builder, and the builder's Javadoc cites where its formula comes from. What every view
 * shares (the judge, the post-cutoff and window filters, the unparseable counts, the ranking and its
 * stability) is {@link Leaderboards}'s, so a builder is the formula and nothing else.
 */
interface ViewBuilder {

    /** The rows of {@code in}, in any order; {@link Leaderboards} adds the unparseable counts and ranks them. */
    List<Row> rows(Input in);

    /** Best first; {@link Leaderboards#RANKING} (higher value first) unless lower is better. */
    default Comparator<Row> ranking() {
        return Leaderboards.RANKING;
    }

    /**
     * What a builder is given.
     *
     * @param benchmark the benchmark (a builder that keeps state between computations, {@code irt}'s warm
     *     start, keys it by the benchmark)
     * @param slots the view's slots (one judge's, of the view's kind, filtered), unparseable ones
     *     included, in slot-key order
     * @param unparseable per model, the unparseable verdicts among them
     * @param ctx the registered models and the benchmark's spec
     * @param query the request
     * @param k the WB-Reward length penalty in force
     * @param intervals whether to compute intervals: the earlier ranking of the stability tau needs
     *     values only, and the bootstrap is the costly part
     */
    record Input(
            String benchmark,
            List<Slot> slots,
            Map<String, Long> unparseable,
            Leaderboards.Context ctx,
            ViewQuery query,
            int k,
            boolean intervals) {

        /** The slots with a parsed verdict: the only ones a formula counts. */
        List<Slot> usable() {
            return slots.stream().filter(s -> !s.unparseable()).toList();
        }
    }
}
