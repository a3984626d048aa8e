package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.aggregator.stats.Bootstrap;
import io.assay.aggregator.stats.PoissonBootstrap;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.PairwiseOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link WbRewardTally} against values worked by hand: buckets, penalty, mixture, its Poisson bootstrap, a removal. */
class WbRewardTallyTest {
    private static final double EXACT = 1e-9;
    private static final Leaderboards.Context CTX = new Leaderboards.Context(Map.of(), null);
    private static final List<String> BASELINES = List.of("base", "alt");

    private static List<Slot> pairs() {
        return List.of(
                pair("p1", "i1", "base", PairwiseOutcome.MUCH_BETTER, 100, 100, false),
                // better, but longer by 600 > K = 500: a tie
                pair("p2", "i1", "base", PairwiseOutcome.BETTER, 900, 300, false),
                pair("p3", "i2", "base", PairwiseOutcome.WORSE, 100, 100, false),
                // truncated: in no bucket, in the total
                pair("p4", "i3", "base", PairwiseOutcome.MUCH_WORSE, 100, 100, true),
                pair("p5", "i2", "alt", PairwiseOutcome.BETTER, 100, 100, false));
    }

    @Test
    void rewardsMixtureAndCountsByHand() {
        WbRewardTally t = tally(500, pairs());
        Row r = t.row("m", CTX, Map.of("a", 1.0), BASELINES, null);

        // base: 100·(1 + 0.5·0 − 0.5·1 − 0)/4 = 12.5; alt: 100·0.5/1 = 50; mixture 31.25
        @SuppressWarnings("unchecked")
        Map<String, Double> reward = (Map<String, Double>) r.metrics().get("reward");
        assertThat(reward.get("base")).isCloseTo(12.5, within(EXACT));
        assertThat(reward.get("alt")).isCloseTo(50.0, within(EXACT));
        assertThat(r.value()).isCloseTo(31.25, within(EXACT));
        assertThat(r.n()).isEqualTo(5);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Long>> counts =
                (Map<String, Map<String, Long>>) r.metrics().get("counts");
        assertThat(counts.get("base"))
                .containsEntry("much_better", 1L)
                .containsEntry("tie", 1L)
                .containsEntry("worse", 1L)
                .containsEntry("much_worse", 0L)
                .containsEntry("total", 4L);
        // category a: base over its 3 bucketed pairs 100·0.5/3, alt 50 → their mean; n = every pair in a
        assertThat(r.categories().get("a").value()).isCloseTo((50.0 / 3 + 50.0) / 2, within(EXACT));
        assertThat(r.categories().get("a").n()).isEqualTo(5);
        assertThat(r.categories().get("a").lower()).isNull();
        assertThat(r.categories().get("a").upper()).isNull();
        // the reward against one baseline
        assertThat(t.row("m", CTX, Map.of("a", 1.0), BASELINES, "alt").value()).isCloseTo(50.0, within(EXACT));

        // K = −1: no penalty, the better stays better: base 100·(1 + 0.5 − 0.5)/4 = 25
        Row unpenalised = tally(-1, pairs()).row("m", CTX, Map.of("a", 1.0), BASELINES, null);
        assertThat(unpenalised.value()).isCloseTo((25.0 + 50.0) / 2, within(EXACT));
    }

    @Test
    void intervalIsThePoissonBootstrapClusteredByItem() {
        WbRewardTally t = tally(500, pairs());
        Row r = t.row("m", CTX, Map.of("a", 1.0), BASELINES, null);

        // Replicate b weighs items i1, i2, i3 by w1, w2, w3: base = 100·(2·w1 + 0·w1 − 1·w2 + 0·w3)
        // / (2·(2·w1 + w2 + w3)), alt = 100·w2/(2·w2) (0 when w2 = 0), the replicate their mean.
        int[] w1 = PoissonBootstrap.weights("i1");
        int[] w2 = PoissonBootstrap.weights("i2");
        int[] w3 = PoissonBootstrap.weights("i3");
        List<Double> stats = new ArrayList<>();
        for (int b = 0; b < PoissonBootstrap.RESAMPLES; b++) {
            long den = 2L * w1[b] + w2[b] + w3[b];
            if (den == 0) {
                continue;
            }
            double base = 100.0 * (2 * w1[b] - w2[b]) / (2.0 * den);
            double alt = w2[b] == 0 ? 0.0 : 50.0;
            stats.add((base + alt) / 2);
        }
        double[] sorted = stats.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        assertThat(r.lower()).isCloseTo(Bootstrap.percentile(sorted, 0.025), within(EXACT));
        assertThat(r.upper()).isCloseTo(Bootstrap.percentile(sorted, 0.975), within(EXACT));
        assertThat(r.lower()).isLessThan(r.value());
        assertThat(r.upper()).isGreaterThan(r.value());
    }

    @Test
    void aRemovedPairTakesItsContributionAway() {
        List<Slot> all = pairs();
        WbRewardTally t = tally(500, all);
        List<Slot> left = new ArrayList<>(all);
        left.remove(3);
        t.add(all.get(3), t.weights(all.get(3)), -1);
        Row r = t.row("m", CTX, Map.of("a", 1.0), BASELINES, null);
        // base: 100·0.5/3 without the truncated pair
        assertThat(r.value()).isCloseTo((50.0 / 3 + 50.0) / 2, within(EXACT));
        assertThat(r).isEqualTo(tally(500, left).row("m", CTX, Map.of("a", 1.0), BASELINES, null));
        // and the earlier ranking's value is the same sum without it
        assertThat(tally(500, all).valueWithout(List.of(all.get(3)), BASELINES, null))
                .isEqualTo(r.value());
    }

    @Test
    void aPairOfAnItemWithOthersTakesOnlyItsOwnShareAway() {
        // Given: i1's two pairs against base (x_g 2 + 0, c_g 2 under i1's weights); its tie taken away
        List<Slot> all = pairs();
        WbRewardTally t = tally(500, all);
        t.add(all.get(1), t.weights(all.get(1)), -1);
        List<Slot> left = new ArrayList<>(all);
        left.remove(1);

        // Then: i1 is one pair (x_g 2, c_g 1) in every replicate, as if the tie had never come
        assertThat(t.row("m", CTX, Map.of("a", 1.0), BASELINES, null))
                .isEqualTo(tally(500, left).row("m", CTX, Map.of("a", 1.0), BASELINES, null));
    }

    private static WbRewardTally tally(int k, List<Slot> slots) {
        WbRewardTally t = new WbRewardTally(k, true);
        slots.forEach(s -> t.add(s, t.weights(s), 1));
        return t;
    }

    static Slot pair(
            String id,
            String item,
            String baseline,
            PairwiseOutcome outcome,
            int answerChars,
            int baselineChars,
            boolean truncated) {
        return new Slot(
                id,
                1,
                false,
                "a",
                false,
                item,
                "m",
                JudgmentKind.PAIRWISE,
                null,
                "wb",
                null,
                outcome,
                baseline,
                answerChars,
                baselineChars,
                truncated,
                null,
                Instant.EPOCH,
                Instant.EPOCH,
                "r",
                null,
                null,
                null,
                List.of("a"),
                "1",
                null,
                null,
                null);
    }
}
