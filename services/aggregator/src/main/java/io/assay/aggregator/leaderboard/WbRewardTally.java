package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.PoissonBootstrap;
import io.assay.aggregator.stats.WbReward;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.PairwiseOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One model's {@code wb-reward} row under one length penalty K, kept up to date verdict by verdict ({@link
 * WbRewardBuilder} over the slots and {@link PairwiseTallies} over the fold both add the pairs to one): per
 * baseline the buckets after the penalty and the pairs (overall and per category), and the Poisson
 * bootstrap's sums over items ({@link PoissonBootstrap}, clustered by item: x_g the item's reward sum in
 * half points, 2·much_better + better − worse − 2·much_worse, c_g its pairs against the baseline), so a
 * replicate's reward against a baseline is {@code 100·Σ w·x_g / (2·Σ w·c_g)} and its headline value the
 * mixture of those. An item's pairs share its weights, so those sums are the sums over its pairs of their
 * own half points and 1 under its weights: a pair adds or takes away its own share, and an item's x_g and
 * c_g need not be kept (nor read from its other slots). Every sum is an integer: the row is the same bits
 * whatever order the verdicts arrive or go in. Not thread-safe.
 */
final class WbRewardTally {
    private static final int BUCKETS = PairwiseOutcome.values().length;

    private final int k;
    private final boolean intervals;
    private final TreeMap<String, Against> baselines = new TreeMap<>();
    /** Per category, the model's pairs in it (every baseline, truncated ones included): the cells' n. */
    private final TreeMap<String, Long> categories = new TreeMap<>();

    private long pairs;

    /** A row under length penalty {@code k}, with its interval or, for the stability tau's earlier ranking, without. */
    WbRewardTally(int k, boolean intervals) {
        this.k = k;
        this.intervals = intervals;
    }

    /** The pairs of the model against one baseline. */
    private static final class Against {
        /** The buckets ({@link PairwiseOutcome} order) and, last, every pair. */
        final long[] all = new long[BUCKETS + 1];
        /** Per category, its pairs' buckets. */
        final TreeMap<String, long[]> categories = new TreeMap<>();

        final PoissonBootstrap.Sums replicates;

        Against(boolean intervals) {
            this.replicates = intervals ? new PoissonBootstrap.Sums() : null;
        }
    }

    /** The buckets of {@code c} ({@link PairwiseOutcome} order, then every pair). */
    private static WbReward.Counts buckets(long[] c) {
        return new WbReward.Counts(
                c[PairwiseOutcome.MUCH_BETTER.ordinal()],
                c[PairwiseOutcome.BETTER.ordinal()],
                c[PairwiseOutcome.TIE.ordinal()],
                c[PairwiseOutcome.WORSE.ordinal()],
                c[PairwiseOutcome.MUCH_WORSE.ordinal()],
                c[BUCKETS]);
    }

    /** A pair's bucket after the penalty, −1 for none (truncated or empty). */
    private int bucket(Slot s) {
        return s.truncatedOrEmpty()
                ? -1
                : WbReward.penalized(s.outcome(), s.answerChars(), s.baselineChars(), k)
                        .ordinal();
    }

    /** A bucket's reward in half points. */
    private static long half(int bucket) {
        if (bucket < 0) {
            return 0;
        }
        return switch (PairwiseOutcome.values()[bucket]) {
            case MUCH_BETTER -> 2;
            case BETTER -> 1;
            case TIE -> 0;
            case WORSE -> -1;
            case MUCH_WORSE -> -2;
        };
    }

    /** Adds ({@code sign} 1) or takes away (−1) a parsed pair; {@code weights} its item's ({@link #weights}). */
    void add(Slot s, int[] weights, int sign) {
        pairs += sign;
        Against a = baselines.computeIfAbsent(s.baseline(), x -> new Against(intervals));
        int bucket = bucket(s);
        a.all[BUCKETS] += sign;
        if (bucket >= 0) {
            a.all[bucket] += sign;
        }
        for (String c : s.categoriesOrSingle()) {
            if (categories.merge(c, (long) sign, Long::sum) == 0) {
                categories.remove(c);
            }
            long[] counts = a.categories.computeIfAbsent(c, x -> new long[BUCKETS + 1]);
            counts[BUCKETS] += sign;
            if (bucket >= 0) {
                counts[bucket] += sign;
            }
            if (counts[BUCKETS] == 0) {
                a.categories.remove(c);
            }
        }
        if (intervals) {
            // Its item's x_g and c_g move by its half points and 1, under the item's weights.
            a.replicates.add(weights, half(bucket), 1, sign);
        }
        if (a.all[BUCKETS] == 0) {
            baselines.remove(s.baseline());
        }
    }

    /** The weights of the slot's item in the bootstrap replicates, {@code null} without intervals. */
    int[] weights(Slot s) {
        return intervals ? PoissonBootstrap.weights(ScoreTally.item(s)) : null;
    }

    /** The parsed pairs counted. */
    long pairs() {
        return pairs;
    }

    /**
     * The model's row (before {@code Leaderboards.rows} adds its unparseable and failed counts), {@code null}
     * when it has no headline value: none against the asked baseline.
     *
     * @param weights the task-macro weights
     * @param mixed the baselines of the mixture
     * @param asked the asked baseline, {@code null} for the mixture
     */
    Row row(String model, Leaderboards.Context ctx, Map<String, Double> weights, List<String> mixed, String asked) {
        Map<String, Double> reward = new TreeMap<>();
        Map<String, Double> macro = new TreeMap<>();
        Map<String, Object> counts = new TreeMap<>();
        Map<String, Map<String, Double>> perCategory = new TreeMap<>();
        baselines.forEach((b, a) -> {
            Map<String, WbReward.Counts> byCategory = new TreeMap<>();
            a.categories.forEach((c, cc) -> byCategory.put(c, buckets(cc)));
            WbReward.Result r = WbReward.of(buckets(a.all), byCategory, weights);
            reward.put(b, r.reward());
            if (!Double.isNaN(r.taskMacro())) {
                macro.put(b, r.taskMacro());
            }
            counts.put(b, counts(r.counts()));
            perCategory.put(b, r.perCategory());
        });
        double mixture = WbReward.mixture(reward, mixed);
        double value = asked != null ? reward.getOrDefault(asked, Double.NaN) : mixture;
        if (Double.isNaN(value)) {
            return null;
        }
        double[] bounds = {value, value};
        if (intervals) {
            List<String> over = asked != null ? List.of(asked) : mixed;
            bounds = PoissonBootstrap.interval(b -> replicate(b, over));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reward", reward);
        m.put("reward.task_macro", macro);
        m.put("mixture_of_rewards", mixture);
        m.put("task_macro_reward", WbReward.mixture(macro, mixed));
        m.put("counts", counts);
        m.put("K", k);
        return Rows.row(model, ctx, value, bounds[0], bounds[1], pairs, cells(perCategory, asked, mixed), m, intervals);
    }

    /**
     * Replicate {@code b}'s mixture over {@code over} of its rewards per baseline (a baseline the replicate
     * draws no pair of counts 0, as {@link WbReward#mixture}); NaN when it draws none of the model's pairs.
     */
    private double replicate(int b, List<String> over) {
        long weight = 0;
        for (Against a : baselines.values()) {
            weight += a.replicates.weight(b);
        }
        if (weight == 0) {
            return Double.NaN;
        }
        Map<String, Double> rewards = new TreeMap<>();
        for (String baseline : over) {
            Against a = baselines.get(baseline);
            if (a != null && a.replicates.weight(b) != 0) {
                rewards.put(baseline, 50.0 * a.replicates.mean(b));
            }
        }
        return WbReward.mixture(rewards, over);
    }

    /** Per category the reward against the asked baseline, else the mixture over the baselines. */
    private Map<String, Cell> cells(Map<String, Map<String, Double>> perCategory, String asked, List<String> mixed) {
        Map<String, Cell> cells = new TreeMap<>();
        TreeSet<String> cats = new TreeSet<>();
        perCategory.values().forEach(pc -> cats.addAll(pc.keySet()));
        for (String c : cats) {
            double v;
            if (asked != null) {
                Double x = perCategory.getOrDefault(asked, Map.of()).get(c);
                if (x == null) {
                    continue;
                }
                v = x;
            } else {
                Map<String, Double> byB = new TreeMap<>();
                perCategory.forEach((b, pc) -> {
                    if (pc.containsKey(c)) {
                        byB.put(b, pc.get(c));
                    }
                });
                v = WbReward.mixture(byB, mixed);
            }
            cells.put(c, Rows.cell(v, Double.NaN, Double.NaN, categories.getOrDefault(c, 0L)));
        }
        return cells;
    }

    /**
     * The headline value without the pairs {@code taken} (this model's), NaN when the model has none left
     * against the asked baseline.
     */
    double valueWithout(List<Slot> taken, List<String> mixed, String asked) {
        Map<String, long[]> left = new TreeMap<>();
        baselines.forEach((b, a) -> left.put(b, a.all.clone()));
        for (Slot s : taken) {
            long[] c = left.get(s.baseline());
            c[BUCKETS]--;
            int bucket = bucket(s);
            if (bucket >= 0) {
                c[bucket]--;
            }
        }
        Map<String, Double> reward = new TreeMap<>();
        left.forEach((b, c) -> {
            if (c[BUCKETS] > 0) {
                reward.put(b, WbReward.of(buckets(c), Map.of(), Map.of()).reward());
            }
        });
        return asked != null ? reward.getOrDefault(asked, Double.NaN) : WbReward.mixture(reward, mixed);
    }

    private static Map<String, Long> counts(WbReward.Counts c) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put(PairwiseOutcome.MUCH_BETTER.wireName(), c.muchBetter());
        m.put(PairwiseOutcome.BETTER.wireName(), c.better());
        m.put(PairwiseOutcome.TIE.wireName(), c.tie());
        m.put(PairwiseOutcome.WORSE.wireName(), c.worse());
        m.put(PairwiseOutcome.MUCH_WORSE.wireName(), c.muchWorse());
        m.put("total", c.total());
        return m;
    }
}
