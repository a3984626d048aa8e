package io.assay.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.aggregator.stats.WbReward.Pair;
import io.assay.aggregator.stats.WbScore.Scored;
import io.assay.contracts.PairwiseOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** WB-Score and WB-Reward against values worked by hand. */
class WildBenchTest {
    private static final double EXACT = 1e-12;
    private static final String CREATIVE = "Creative Tasks";
    private static final String CODING = "Coding & Debugging";

    @Test
    void wbScoreCountsEveryItemOverallButDropsTruncatedAndEmptyPerCategory() {
        // Given: Creative 8, 6; Coding 9 and a truncated 3; Math only an empty answer scored 1
        List<Scored> scored = List.of(
                new Scored(8, List.of(CREATIVE), false),
                new Scored(6, List.of(CREATIVE), false),
                new Scored(9, List.of(CODING), false),
                new Scored(3, List.of(CODING), true),
                new Scored(1, List.of("Math & Data Analysis"), true));

        // When
        WbScore.Result r = WbScore.of(scored, WbScore.DEFAULT_WEIGHTS);

        // Then: overall mean 27/5 = 5.4 → (5.4 − 5)·2·10 = 8; Creative mean 7 → 40; Coding only 9 → 80;
        // Math has no countable item; task_macro = (0.5·40 + 1.25·80) / 4.75, the sum of all five weights
        // (WildBench's _create_tables.py line 246: / sum(weights_by_task.values()))
        assertThat(r.wbScore()).isCloseTo(8.0, within(EXACT));
        assertThat(r.n()).isEqualTo(5);
        assertThat(r.perCategory()).containsOnlyKeys(CODING, CREATIVE);
        assertThat(r.perCategory().get(CREATIVE)).isCloseTo(40.0, within(EXACT));
        assertThat(r.perCategory().get(CODING)).isCloseTo(80.0, within(EXACT));
        assertThat(r.categoryCounts()).containsEntry(CODING, 1L).containsEntry(CREATIVE, 2L);
        assertThat(r.taskMacro()).isCloseTo(120 / 4.75, within(EXACT));
    }

    @Test
    void lengthPenaltyCountsCodePointsAndTiesOnlyBeyondK() {
        // Given: answers of emoji, 2 UTF-16 units each but 1 code point
        String atK = "😀".repeat(500);
        String beyondK = "😀".repeat(501);
        assertThat(WbReward.length(atK)).isEqualTo(500);
        assertThat(atK.length()).isEqualTo(1000);

        // Then: longer by exactly K stays better, by K + 1 becomes a tie; the same for worse
        assertThat(WbReward.penalized(PairwiseOutcome.BETTER, WbReward.length(atK), 0, 500))
                .isEqualTo(PairwiseOutcome.BETTER);
        assertThat(WbReward.penalized(PairwiseOutcome.BETTER, WbReward.length(beyondK), 0, 500))
                .isEqualTo(PairwiseOutcome.TIE);
        assertThat(WbReward.penalized(PairwiseOutcome.WORSE, 0, 500, 500)).isEqualTo(PairwiseOutcome.WORSE);
        assertThat(WbReward.penalized(PairwiseOutcome.WORSE, 0, 501, 500)).isEqualTo(PairwiseOutcome.TIE);
        // And: the loser being longer, much_*, and K = −1 are never penalised
        assertThat(WbReward.penalized(PairwiseOutcome.WORSE, 10_000, 0, 500)).isEqualTo(PairwiseOutcome.WORSE);
        assertThat(WbReward.penalized(PairwiseOutcome.MUCH_BETTER, 10_000, 0, 500))
                .isEqualTo(PairwiseOutcome.MUCH_BETTER);
        assertThat(WbReward.penalized(PairwiseOutcome.BETTER, 10_000, 0, -1)).isEqualTo(PairwiseOutcome.BETTER);
    }

    @Test
    void rewardKeepsUnbucketedPairsInTotalAndTaskMacroDividesByBucketedCounts() {
        // Given: eight pairs against one baseline, K = 500
        List<Pair> pairs = List.of(
                new Pair(PairwiseOutcome.MUCH_BETTER, 100, 100, false, List.of(CREATIVE)),
                new Pair(PairwiseOutcome.BETTER, 600, 100, false, List.of(CREATIVE)), // +500: stays better
                new Pair(PairwiseOutcome.MUCH_BETTER, 100, 100, true, List.of(CREATIVE)), // truncated: no bucket
                new Pair(PairwiseOutcome.BETTER, 601, 100, false, List.of(CODING)), // +501: tie
                new Pair(PairwiseOutcome.WORSE, 100, 601, false, List.of(CODING)), // baseline +501: tie
                new Pair(PairwiseOutcome.WORSE, 100, 600, false, List.of(CODING)),
                new Pair(PairwiseOutcome.MUCH_WORSE, 5000, 0, false, List.of(CODING)),
                new Pair(PairwiseOutcome.MUCH_BETTER, 5000, 0, false, List.of(CODING)));

        // When
        WbReward.Result r = WbReward.of(pairs, 500, WbScore.DEFAULT_WEIGHTS);

        // Then: buckets mb 2, b 1, tie 2, w 1, mw 1, total 8 → 100·(2 + 0.5 − 0.5 − 1)/8 = 12.5
        assertThat(r.counts()).isEqualTo(new WbReward.Counts(2, 1, 2, 1, 1, 8));
        assertThat(r.reward()).isCloseTo(12.5, within(EXACT));
        // Creative: 2 bucketed → 100·(1 + 0.5)/2 = 75; Coding: 5 bucketed → 100·(1 − 0.5 − 1)/5 = −10
        assertThat(r.perCategory().get(CREATIVE)).isCloseTo(75.0, within(EXACT));
        assertThat(r.perCategory().get(CODING)).isCloseTo(-10.0, within(EXACT));
        // task macro: (0.5·75 + 1.25·(−10)) / 4.75, all five weights (_create_tables.py line 205)
        assertThat(r.taskMacro()).isCloseTo(25 / 4.75, within(EXACT));

        // And: without the penalty the two ties are a better and a worse again
        assertThat(WbReward.of(pairs, -1, WbScore.DEFAULT_WEIGHTS).counts())
                .isEqualTo(new WbReward.Counts(2, 2, 0, 2, 1, 8));
    }

    @Test
    void mixtureCountsAMissingBaselineAsZero() {
        // Given: rewards against two of three baselines
        Map<String, Double> rewards = Map.of("haiku", 12.5, "gpt4t", -20.0);

        // Then: (12.5 − 20 + 0) / 3
        assertThat(WbReward.mixture(rewards, List.of("haiku", "gpt4t", "llama")))
                .isCloseTo(-2.5, within(EXACT));
    }
}
