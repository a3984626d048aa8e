package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.PoissonBootstrap;
import io.assay.aggregator.stats.WbReward;
import io.assay.aggregator.stats.WbScore;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code wb-reward}: WildBench's WB-Reward ({@link WbReward}; Lin et al. 2024, §3.2, the
 * leaderboard's {@code reward}, {@code mixture_of_rewards} and {@code task_macro_reward}) against
 * every baseline of the benchmark (its judge's baselines, else its spec's, else every baseline seen),
 * with length penalty K. The headline value is {@code mixture_of_rewards}, or the reward against
 * {@code baseline} when one is asked for; its interval is a Poisson bootstrap over items, all of an
 * item's pairs together ({@link PoissonBootstrap}). The slots are added to one {@link WbRewardTally} per
 * model, the same the incremental view keeps ({@link PairwiseTallies}).
 */
final class WbRewardBuilder implements ViewBuilder {

    @Override
    public List<Row> rows(Input in) {
        List<Slot> slots = in.usable();
        Map<String, Double> weights = Rows.macroWeights(slots, in.ctx(), WbScore.DEFAULT_WEIGHTS);
        List<String> baselines = Rows.baselines(slots, in.ctx());
        Map<String, WbRewardTally> models = new TreeMap<>();
        for (Slot s : slots) {
            WbRewardTally t = models.computeIfAbsent(s.modelId(), m -> new WbRewardTally(in.k(), in.intervals()));
            t.add(s, t.weights(s), 1);
        }
        List<Row> rows = new ArrayList<>();
        models.forEach((model, t) -> {
            Row r = t.row(model, in.ctx(), weights, baselines, in.query().baseline());
            if (r != null) {
                rows.add(r);
            }
        });
        return rows;
    }
}
