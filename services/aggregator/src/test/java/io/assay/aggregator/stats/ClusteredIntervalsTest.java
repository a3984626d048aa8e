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
    void theWinRateIntervalIsWilsonsOfTheWinsWithOnePreferenceAnItem() {
        // Given: 7 of 10 preferences for the model, 3 for the baseline
        WinRate.Result r = WinRate.of(new double[] {2, 2, 2, 2, 2, 2, 2, 1, 1, 1});

        // Then: Wilson's 7/10 by hand, in percent (AlpacaEval's standard error is unchanged)
        assertThat(r.lower()).isCloseTo(39.67781474611453521, within(EXACT));
        assertThat(r.upper()).isCloseTo(89.22087325936989661, within(EXACT));
        assertThat(r.standardError()).isCloseTo(100 * Math.sqrt(0.7 * 0.3 * 10 / 9 / 10), within(EXACT));
    }

    @Test
    void aWinRateOfOneHundredStillHasAnInterval() {
        // Given: all 10 preferences for the model (win_rate ∓ 1.96·standard_error was [100, 100])
        WinRate.Result r = WinRate.of(new double[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2});

        // Then: Wilson's 10/10, its upper bound exactly 100
        assertThat(r.standardError()).isZero();
        assertThat(r.lower()).isCloseTo(72.24672001371107955, within(EXACT));
        assertThat(r.upper()).isEqualTo(100.0);
    }

    @Test
    void softPreferencesOneAnItemGetWilsonsIntervalOnTheirCount() {
        // Given: four soft preferences, x = 0.9, 0.8, 1, 0.7: mean 0.85, spread less than a coin's
        WinRate.Result r = WinRate.of(new double[] {1.9, 1.8, 2, 1.7});

        // Then: n* = p(1 − p)/v ≥ n is capped at n: Wilson at 0.85 on 4, by hand
        assertThat(r.winRate()).isCloseTo(85, within(EXACT));
        assertThat(r.lower()).isCloseTo(37.54536843365881940, within(EXACT));
        assertThat(r.upper()).isCloseTo(98.16227301451936948, within(EXACT));
    }

    @Test
    void theClusteredWinRateIntervalIsTheAccuracyViewsOfTheWins() {
        // Given: two variants of each of three items, won 2, 1 and 0 times
        WinRate.Result r = WinRate.of(new double[] {2, 2, 2, 1, 1, 1}, new int[] {0, 0, 1, 1, 2, 2});
        Estimate wins = Wilson.clustered(new long[] {2, 1, 0}, new long[] {2, 2, 2});

        // Then: p = 0.5, v = 3/2·(1 + 0 + 1)/36 = 1/12, n* = 0.25·12 = 3: Wilson at 0.5 on 3, by hand, as accuracy's
        assertThat(r.lower()).isCloseTo(12.53344719102631845, within(EXACT));
        assertThat(r.upper()).isCloseTo(87.46655280897368155, within(EXACT));
        assertThat(r.lower()).isCloseTo(100 * wins.lower(), within(EXACT));
        assertThat(r.upper()).isCloseTo(100 * wins.upper(), within(EXACT));
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
    void clusterBootstrapWithOneVariantPerItemIsTheBootstrapOfTheItemMeans() {
        double[] scores = {7, 3, 9, 8, 5, 6, 2, 10, 4, 7, 7, 1};
        PoissonBootstrap.Sums clustered = new PoissonBootstrap.Sums();
        PoissonBootstrap.Sums ofMeans = new PoissonBootstrap.Sums();
        for (int i = 0; i < scores.length; i++) {
            int[] w = PoissonBootstrap.weights("q" + i);
            clustered.add(w, scores[i], 1, 1);
            ofMeans.add(w, scores[i], 1, 1);
        }
        assertThat(clustered.interval()).isEqualTo(ofMeans.interval());
    }

    @Test
    void aVariantThatRepeatsItsItemAddsNoInformation() {
        // Given: every item judged twice with the same score
        double[] scores = {7, 3, 9, 8, 5, 6, 2, 10, 4, 7, 7, 1};
        PoissonBootstrap.Sums clustered = new PoissonBootstrap.Sums();
        PoissonBootstrap.Sums single = new PoissonBootstrap.Sums();
        PoissonBootstrap.Sums naive = new PoissonBootstrap.Sums();
        for (int i = 0; i < scores.length; i++) {
            clustered.add(PoissonBootstrap.weights("q" + i), 2 * scores[i], 2, 1);
            single.add(PoissonBootstrap.weights("q" + i), scores[i], 1, 1);
            naive.add(PoissonBootstrap.weights("q" + i + "/a"), scores[i], 1, 1);
            naive.add(PoissonBootstrap.weights("q" + i + "/b"), scores[i], 1, 1);
        }

        // Then: the same interval as one judgment per item (the same weights, the same ratios), and wider
        // than a bootstrap that takes the 24 judgments as independent
        double[] c = clustered.interval();
        double[] s1 = single.interval();
        double[] n = naive.interval();
        assertThat(c[0]).isCloseTo(s1[0], within(EXACT));
        assertThat(c[1]).isCloseTo(s1[1], within(EXACT));
        assertThat(c[1] - c[0]).isGreaterThan(n[1] - n[0]);
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
