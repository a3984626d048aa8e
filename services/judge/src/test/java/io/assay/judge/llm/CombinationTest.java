package io.assay.judge.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The jury rules and the disagreement test on hand-worked values. */
class CombinationTest {

    @Test
    void aWeightedScoreIsTheWeightedMeanOfTheMembers() {
        // (0.9·8 + 0.6·4 + 0·6) / (0.9 + 0.6 + 0) = 9.6 / 1.5 = 6.4; the plain mean is 6, the median 6.
        List<Double> scores = List.of(8.0, 4.0, 6.0);
        assertThat(Combination.score(scores, Combination.WEIGHTED, List.of(0.9, 0.6, 0.0)))
                .isCloseTo(6.4, within(1e-12));
        assertThat(Combination.score(scores, Combination.WEIGHTED, null)).isCloseTo(6.0, within(1e-12));
        assertThat(Combination.score(scores, Combination.MAJORITY)).isEqualTo(6.0);
    }

    @Test
    void aWeightedPairwiseVerdictIsTheLevelWithTheMostWeight() {
        // One member says much better (2), two say worse (−1 each).
        List<Double> sides = List.of(2.0, -1.0, -1.0);
        // Weighted vote: much better 0.9 against worse 0.3 + 0.3 = 0.6 → much better.
        assertThat(Combination.pairwise(sides, Combination.WEIGHTED, List.of(0.9, 0.3, 0.3)))
                .isEqualTo(PairwiseOutcome.MUCH_BETTER);
        // 0.9 against 0.5 + 0.5 = 1.0 → worse.
        assertThat(Combination.pairwise(sides, Combination.WEIGHTED, List.of(0.9, 0.5, 0.5)))
                .isEqualTo(PairwiseOutcome.WORSE);
        // A tie of weights, 0.8 against 0.4 + 0.4: the weighted mean (1.6 − 0.8) / 1.6 = 0.5 → tie (half toward 0).
        assertThat(Combination.pairwise(sides, Combination.WEIGHTED, List.of(0.8, 0.4, 0.4)))
                .isEqualTo(PairwiseOutcome.TIE);
        // Without weights: the mean 0 → tie; majority (unweighted): worse.
        assertThat(Combination.pairwise(sides, Combination.WEIGHTED, null)).isEqualTo(PairwiseOutcome.TIE);
        assertThat(Combination.pairwise(sides, Combination.MAJORITY)).isEqualTo(PairwiseOutcome.WORSE);
    }

    @Test
    void aWeightedPreferenceIsOnePlusTheWeightedMeanProbability() {
        // (0.8·0.9 + 0.4·0.2) / 1.2 = 0.8 / 1.2 = 2/3 → 1 + 2/3; the plain mean is 1.55.
        assertThat(Combination.preference(List.of(0.9, 0.2), Combination.WEIGHTED, List.of(0.8, 0.4)))
                .isCloseTo(1 + 2.0 / 3, within(1e-12));
        assertThat(Combination.preference(List.of(0.9, 0.2), Combination.WEIGHTED, null))
                .isCloseTo(1.55, within(1e-12));
    }

    @Test
    void weightsMustBeNonNegativeWithAPositiveSumAndOnePerValue() {
        assertThatThrownBy(() -> Combination.mean(List.of(1.0, 2.0), List.of(0.0, 0.0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Combination.mean(List.of(1.0, 2.0), List.of(-1.0, 2.0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Combination.mean(List.of(1.0, 2.0), List.of(1.0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pairwiseMembersDisagreeWhenTheirLevelsFallInDifferentClasses() {
        // 0.5 rounds toward zero to a tie, 1 is better: tie against win.
        assertThat(Combination.disagree(Protocol.PAIRWISE, List.of(0.5, 1.0), 2))
                .isTrue();
        // Much better and better are both wins; 1.5 rounds to better.
        assertThat(Combination.disagree(Protocol.PAIRWISE, List.of(2.0, 1.0, 1.5), 2))
                .isFalse();
        assertThat(Combination.disagree(Protocol.PAIRWISE, List.of(1.0, -1.0), 2))
                .isTrue();
        assertThat(Combination.disagree(Protocol.PAIRWISE, List.of(-0.5, 0.0, 0.5), 2))
                .isFalse();
    }

    @Test
    void preferenceMembersDisagreeOnDifferentSidesOfOneHalf() {
        assertThat(Combination.disagree(Protocol.PREFERENCE, List.of(0.6, 0.9), 2))
                .isFalse();
        assertThat(Combination.disagree(Protocol.PREFERENCE, List.of(0.4, 0.6), 2))
                .isTrue();
        // Exactly 0.5 is the tie, a side of its own.
        assertThat(Combination.disagree(Protocol.PREFERENCE, List.of(0.5, 0.7), 2))
                .isTrue();
        assertThat(Combination.disagree(Protocol.PREFERENCE, List.of(0.5, 0.5), 2))
                .isFalse();
    }

    @Test
    void scoreMembersDisagreeWhenFurtherApartThanTheSpread() {
        assertThat(Combination.disagree(Protocol.SCORE, List.of(6.0, 8.0, 7.0), 2))
                .isFalse();
        assertThat(Combination.disagree(Protocol.SCORE, List.of(5.0, 8.0), 2)).isTrue();
        // One member (a single judge, or a jury with one parseable verdict) never disagrees.
        assertThat(Combination.disagree(Protocol.SCORE, List.of(1.0), 2)).isFalse();
    }
}
