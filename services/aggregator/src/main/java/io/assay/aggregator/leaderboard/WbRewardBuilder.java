package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Bootstrap;
import io.assay.aggregator.stats.WbReward;
import io.assay.aggregator.stats.WbScore;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.PairwiseOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code wb-reward}: WildBench's WB-Reward ({@link WbReward}; Lin et al. 2024, §3.2, the
 * leaderboard's {@code reward}, {@code mixture_of_rewards} and {@code task_macro_reward}) against
 * every baseline of the benchmark (its judge's baselines, else its spec's, else every baseline seen),
 * with length penalty K. The headline value is {@code mixture_of_rewards}, or the reward against
 * {@code baseline} when one is asked for; its interval is a seeded bootstrap over items
 * ({@link Bootstrap}).
 */
final class WbRewardBuilder implements ViewBuilder {

    @Override
    public List<Row> rows(Input in) {
        List<Slot> slots = in.usable();
        Map<String, Double> weights = Rows.macroWeights(slots, in.ctx(), WbScore.DEFAULT_WEIGHTS);
        List<String> baselines = Rows.baselines(slots, in.ctx());
        String asked = in.query().baseline();
        List<Row> rows = new ArrayList<>();
        Rows.byModel(slots).forEach((model, ss) -> {
            Map<String, List<Slot>> byBaseline =
                    ss.stream().collect(Collectors.groupingBy(Slot::baseline, TreeMap::new, Collectors.toList()));
            Map<String, Double> reward = new TreeMap<>();
            Map<String, Double> macro = new TreeMap<>();
            Map<String, Object> counts = new TreeMap<>();
            Map<String, Map<String, Double>> perCategory = new TreeMap<>();
            byBaseline.forEach((b, bs) -> {
                WbReward.Result r = WbReward.of(pairs(bs), in.k(), weights);
                reward.put(b, r.reward());
                if (!Double.isNaN(r.taskMacro())) {
                    macro.put(b, r.taskMacro());
                }
                counts.put(b, counts(r.counts()));
                perCategory.put(b, r.perCategory());
            });
            double mixture = WbReward.mixture(reward, baselines);
            double value = asked != null ? reward.getOrDefault(asked, Double.NaN) : mixture;
            if (Double.isNaN(value)) {
                return;
            }
            double[] bounds = {value, value};
            if (in.intervals()) {
                bounds = interval(ss, in.k(), weights, asked != null ? List.of(asked) : baselines);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reward", reward);
            m.put("reward.task_macro", macro);
            m.put("mixture_of_rewards", mixture);
            m.put("task_macro_reward", WbReward.mixture(macro, baselines));
            m.put("counts", counts);
            m.put("K", in.k());
            Map<String, Cell> categories = categories(ss, perCategory, asked, baselines);
            rows.add(Rows.row(model, in.ctx(), value, bounds[0], bounds[1], ss.size(), categories, m, in.intervals()));
        });
        return rows;
    }

    /** Per category the reward against the asked baseline, else the mixture over the baselines. */
    private static Map<String, Cell> categories(
            List<Slot> ss, Map<String, Map<String, Double>> perCategory, String asked, List<String> baselines) {
        Map<String, Cell> categories = new TreeMap<>();
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
                v = WbReward.mixture(byB, baselines);
            }
            long n = ss.stream().filter(s -> s.categoriesOrSingle().contains(c)).count();
            categories.put(c, Rows.cell(v, v, v, n));
        }
        return categories;
    }

    /** The headline value's bootstrap interval, resampling items (all of an item's pairs together). */
    private static double[] interval(List<Slot> ss, int k, Map<String, Double> weights, List<String> baselines) {
        Map<String, List<Slot>> byItem =
                ss.stream().collect(Collectors.groupingBy(Slot::itemId, TreeMap::new, Collectors.toList()));
        List<List<Slot>> items = new ArrayList<>(byItem.values());
        return Bootstrap.interval(items.size(), Bootstrap.RESAMPLES, Bootstrap.SEED, idx -> {
            Map<String, List<WbReward.Pair>> pairs = new TreeMap<>();
            for (int i : idx) {
                for (Slot s : items.get(i)) {
                    pairs.computeIfAbsent(s.baseline(), b -> new ArrayList<>()).add(pair(s));
                }
            }
            Map<String, Double> rewards = new TreeMap<>();
            pairs.forEach((b, ps) -> rewards.put(b, WbReward.of(ps, k, weights).reward()));
            return WbReward.mixture(rewards, baselines);
        });
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

    private static List<WbReward.Pair> pairs(List<Slot> slots) {
        return slots.stream().map(WbRewardBuilder::pair).toList();
    }

    private static WbReward.Pair pair(Slot s) {
        return new WbReward.Pair(
                s.outcome(), s.answerChars(), s.baselineChars(), s.truncatedOrEmpty(), s.categoriesOrSingle());
    }
}
