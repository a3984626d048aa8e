package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.ExactSum;
import io.assay.aggregator.stats.PoissonBootstrap;
import io.assay.aggregator.stats.WbScore;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One model's {@code wb-score} row kept up to date verdict by verdict ({@link WbScoreBuilder} over the slots
 * and {@link BenchmarkTallies} over the fold both add the scores on WildBench's 1–10 scale to one): the
 * exact sums of every score and, per category, of those neither truncated nor empty ({@link WbScore#of(
 * ExactSum, Map, Map)}), and the Poisson bootstrap's sums over items with all their variants ({@link
 * PoissonBootstrap}). Order-free as {@link ScoreTally}. Not thread-safe.
 */
final class WbScoreTally {
    private final boolean intervals;
    private final ExactSum all = new ExactSum();
    private final TreeMap<String, ExactSum> categories = new TreeMap<>();
    private final PoissonBootstrap.Sums replicates;

    /** A row with its interval or, for the stability tau's earlier ranking, without. */
    WbScoreTally(boolean intervals) {
        this.intervals = intervals;
        this.replicates = intervals ? new PoissonBootstrap.Sums() : null;
    }

    /**
     * Adds ({@code sign} 1) or takes away (−1) a parsed score on the 1–10 scale, whose item has the {@code others}
     * scores besides it in the model's row ({@link ScoreTally#add}; those on the 1–10 scale count here), from
     * which the replicates read the item's sum before and after rather than keeping it per item.
     */
    void add(Slot s, int[] weights, int sign, Collection<Slot> others) {
        all.add(s.score(), sign);
        if (!s.truncatedOrEmpty()) {
            for (String c : s.categoriesOrSingle()) {
                ExactSum sum = categories.computeIfAbsent(c, x -> new ExactSum());
                sum.add(s.score(), sign);
                if (sum.count() == 0) {
                    categories.remove(c);
                }
            }
        }
        if (replicates == null) {
            return;
        }
        double[] base =
                ScoreTally.scores(others.stream().filter(Slot::onWildBenchScale).toList(), null);
        double[] with = ScoreTally.with(base, s.score());
        double[] old = sign > 0 ? base : with;
        double[] now = sign > 0 ? with : base;
        if (old.length > 0) {
            replicates.add(weights, ScoreTally.itemSum(old), old.length, -1);
        }
        if (now.length > 0) {
            replicates.add(weights, ScoreTally.itemSum(now), now.length, 1);
        }
    }

    /** The scores counted. */
    long judgments() {
        return all.count();
    }

    /** The model's row, before {@code Leaderboards.rows} adds its unparseable and failed counts. */
    Row row(String model, Leaderboards.Context ctx, Map<String, Double> weights) {
        WbScore.Result r = WbScore.of(all, categories, weights);
        double lower = r.wbScore();
        double upper = r.wbScore();
        if (intervals) {
            double[] bounds = replicates.interval();
            lower = WbScore.fromMean(bounds[0]);
            upper = WbScore.fromMean(bounds[1]);
        }
        Map<String, Cell> cells = new TreeMap<>();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("WB_score", r.wbScore());
        m.put("WB_score.task_macro", r.taskMacro());
        r.perCategory().forEach((c, v) -> {
            cells.put(c, Rows.cell(v, Double.NaN, Double.NaN, r.categoryCounts().get(c)));
            m.put("WB_score." + c, v);
        });
        return Rows.row(model, ctx, r.wbScore(), lower, upper, r.n(), cells, m, intervals);
    }

    /** {@code WB_score} without {@code taken} scores, NaN when none is left. */
    double wbScoreWithout(List<Double> taken) {
        ExactSum left = all.copy();
        taken.forEach(x -> left.add(x, -1));
        return WbScore.fromMean(left.mean());
    }
}
