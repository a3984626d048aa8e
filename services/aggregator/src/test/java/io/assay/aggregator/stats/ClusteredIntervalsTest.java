package io.assay.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Intervals clustered by item (several prompt variants per item): each is the published interval
 * with one variant per item, and otherwise follows its source, against values worked by hand
 * (40-digit decimal arithmetic, mpmath).
 */
class ClusteredIntervalsTest {
    private static final double EXACT = 1e-12;

    @Test
    void wilsonWithOneVariantPerItemIsWilsonsOwn() {
        // Given: 81 of 263 items right, one verdict each
        long[] correct = new long[263];
        long[] counts = new long[263];
        for (int i = 0; i < 263; i++) {
            correct[i] = i < 81 ? 1 : 0;
            counts[i] = 1;
        }
        // Then: exactly Wilson (1927), as published
        assertThat(Wilson.clustered(correct, counts)).isEqualTo(Wilson.score(81, 263));
    }

    @Test
    void wilsonOnTheEffectiveSampleSize() {
        // Given: four items of two variants each, right 2, 0, 1, 2 times → p = 5/8
        Estimate e = Wilson.clustered(new long[] {2, 0, 1, 2}, new long[] {2, 2, 2, 2});

        // Then (Korn & Graubard 1998): c_i − p·n_i = .75, −1.25, −.25, .75, squares sum to 2.75;
        // v = 4/3 · 2.75 / 64 = .0572916…; n* = p(1 − p)/v = .234375/.0572916… = 45/11 = 4.0909…;
        // Wilson's formula with n = 45/11
        assertThat(e.value()).isEqualTo(0.625);
        assertThat(e.lower()).isCloseTo(0.22216919915495795, within(EXACT));
        assertThat(e.upper()).isCloseTo(0.90676169312391124, within(EXACT));
        assertThat(e.n()).isEqualTo(8);
        // wider than Wilson on the 8 verdicts as if independent
        Estimate naive = Wilson.score(5, 8);
        assertThat(e.upper() - e.lower()).isGreaterThan(naive.upper() - naive.lower());
    }

    @Test
    void wilsonNeverNarrowerThanTheBinomialOne() {
        // Given: variants that disagree within every item (negative intra-item correlation, n* > N)
        Estimate e = Wilson.clustered(new long[] {1, 1, 1, 1}, new long[] {2, 2, 2, 2});

        // Then: n* is capped at N = 8
        assertThat(e).isEqualTo(Wilson.score(4, 8));
    }

    @Test
    void clusterBootstrapWithOneVariantPerItemIsTheBootstrapOfTheObservations() {
        double[] scores = {7, 3, 9, 8, 5, 6, 2, 10, 4, 7, 7, 1};
        long[] ones = new long[scores.length];
        java.util.Arrays.fill(ones, 1);
        assertThat(Bootstrap.clusteredMean(scores, ones)).isEqualTo(Bootstrap.mean(scores));
    }

    @Test
    void aVariantThatRepeatsItsItemAddsNoInformation() {
        // Given: every item judged twice with the same score
        double[] scores = {7, 3, 9, 8, 5, 6, 2, 10, 4, 7, 7, 1};
        double[] sums = new double[scores.length];
        long[] twos = new long[scores.length];
        double[] asIfIndependent = new double[2 * scores.length];
        for (int i = 0; i < scores.length; i++) {
            sums[i] = 2 * scores[i];
            twos[i] = 2;
            asIfIndependent[2 * i] = scores[i];
            asIfIndependent[2 * i + 1] = scores[i];
        }
        Estimate clustered = Bootstrap.clusteredMean(sums, twos);
        Estimate single = Bootstrap.mean(scores);

        // Then: the same interval as one judgment per item (the same draws, the same ratios), and wider
        // than a bootstrap that takes the 24 judgments as independent
        assertThat(clustered.lower()).isCloseTo(single.lower(), within(EXACT));
        assertThat(clustered.upper()).isCloseTo(single.upper(), within(EXACT));
        assertThat(clustered.n()).isEqualTo(24);
        Estimate naive = Bootstrap.mean(asIfIndependent);
        assertThat(clustered.upper() - clustered.lower()).isGreaterThan(naive.upper() - naive.lower());
    }

    @Test
    void alpacaEvalStandardErrorWithOneVariantPerItemIsAlpacaEvalsOwn() {
        double[] preferences = {2, 1, 0, 1.5, 1.8};
        assertThat(WinRate.of(preferences, new int[] {0, 1, 2, 3, 4})).isEqualTo(WinRate.of(preferences));
    }

    @Test
    void clusterRobustStandardErrorOverItems() {
        // Given: three items of two variants: (2, 2), (1, 1), (2, 1)
        WinRate.Result r = WinRate.of(new double[] {2, 2, 1, 1, 2, 1}, new int[] {0, 0, 1, 1, 2, 2});

        // Then (Cameron & Miller 2015, CR1): x = p − 1 = 1 1 0 0 1 0, mean .5; per-item residual sums
        // 1, −1, 0 → Σ² = 2; se = 100·sqrt(3/2 · 2)/6 = 100·√3/6
        assertThat(r.winRate()).isCloseTo(50.0, within(EXACT));
        assertThat(r.standardError()).isCloseTo(28.867513459481288, within(EXACT));
        assertThat(r.n()).isEqualTo(6);
        assertThat(r.wins()).isEqualTo(3);
        // AlpacaEval's sd/√n takes the six as independent: 100·sqrt(.3)/√6 = 22.36…
        assertThat(r.standardError())
                .isGreaterThan(WinRate.of(new double[] {2, 2, 1, 1, 2, 1}).standardError());
    }
}
