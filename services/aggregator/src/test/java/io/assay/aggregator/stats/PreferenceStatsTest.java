package io.assay.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AlpacaEval win rate, Bradley–Terry, online Elo and Kendall's tau against values worked by hand. */
class PreferenceStatsTest {
    private static final double EXACT = 1e-9;

    @Test
    void winRateTreatsZeroAsADrawAndUsesTheSampleSd() {
        // Given: preferences 2, 1, 0 (no verdict → 1.5), 1.5, 1.8
        WinRate.Result r = WinRate.of(new double[] {2, 1, 0, 1.5, 1.8});

        // Then: p − 1 = 1, 0, .5, .5, .8 → mean .56; squared deviations sum to .572, /4 = .143,
        // sd = .378153..., se = 100·sd/√5
        assertThat(r.winRate()).isCloseTo(56.0, within(EXACT));
        assertThat(r.standardError()).isCloseTo(16.911534525287767, within(EXACT));
        assertThat(r.wins()).isEqualTo(2);
        assertThat(r.losses()).isEqualTo(1);
        assertThat(r.draws()).isEqualTo(2);
        assertThat(r.n()).isEqualTo(5);
    }

    @Test
    void winRateOfPreferencesEachItsOwnItemIsTheGroupedFormulaWithOneItemAPreference() {
        // Given: preferences on AlpacaEval's scale, draws and no-verdicts among them
        java.util.Random random = new java.util.Random(7);
        for (int n = 0; n < 40; n++) {
            double[] p = new double[n];
            int[] item = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = switch (random.nextInt(4)) {
                    case 0 -> 0;
                    case 1 -> 1.5;
                    default -> 1 + random.nextDouble();
                };
                item[i] = i;
            }

            // Then: the shortcut gives the grouped formula's figures, to the bit
            assertThat(WinRate.of(p)).isEqualTo(WinRate.of(p, item));
        }
    }

    @Test
    void bradleyTerryOnTheEloScaleWithTiesAsHalfWins() {
        // Given: a beats b 3 times, b beats a once → π_a/π_b = 3, a − b = 400·log10 3, centred on 1000
        Map<String, Double> r = BradleyTerry.fit(
                List.of(
                        new Battle("a", "b", 1),
                        new Battle("a", "b", 1),
                        new Battle("b", "a", 0),
                        new Battle("a", "b", 0)),
                null);
        assertThat(r.get("a")).isCloseTo(1000 + 95.42425094393249, within(EXACT));
        assertThat(r.get("b")).isCloseTo(1000 - 95.42425094393249, within(EXACT));

        // Given: a wins 2, one tie, b wins 1 → wins 2.5 : 1.5 → 400·log10(5/3)
        Map<String, Double> ties = BradleyTerry.fit(
                List.of(
                        new Battle("a", "b", 1),
                        new Battle("a", "b", 1),
                        new Battle("a", "b", 0.5),
                        new Battle("b", "a", 1)),
                "b");
        // Then: with b as the anchor b is 1000
        assertThat(ties.get("b")).isCloseTo(1000.0, within(EXACT));
        assertThat(ties.get("a")).isCloseTo(1088.7394998465425, within(EXACT));

        // Given: only ties → equal ratings
        Map<String, Double> draws =
                BradleyTerry.fit(List.of(new Battle("a", "b", 0.5), new Battle("b", "a", 0.5)), null);
        assertThat(draws.get("a")).isCloseTo(1000.0, within(EXACT));

        // Given: a chain a 2:1 b, b 2:1 c (no a–c battles) → a − c = 400·log10 4
        Map<String, Double> chain = BradleyTerry.fit(
                List.of(
                        new Battle("a", "b", 1),
                        new Battle("a", "b", 1),
                        new Battle("a", "b", 0),
                        new Battle("b", "c", 1),
                        new Battle("b", "c", 1),
                        new Battle("c", "b", 1)),
                "c");
        assertThat(chain.get("a") - chain.get("c")).isCloseTo(240.82399653118495, within(1e-6));
    }

    @Test
    void bradleyTerryBootstrapIsSeededAndBracketsTheEstimate() {
        // Given: 30 battles, a winning 2 of 3
        List<Battle> battles = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            battles.add(new Battle("a", "b", i % 3 == 0 ? 0 : 1));
        }

        // When: twice
        Map<String, BradleyTerry.Rating> first = BradleyTerry.ratings(battles, null);
        Map<String, BradleyTerry.Rating> second = BradleyTerry.ratings(battles, null);

        // Then: identical, and the interval contains the MLE 1000 + 200·log10 2
        assertThat(first).isEqualTo(second);
        BradleyTerry.Rating a = first.get("a");
        assertThat(a.rating()).isCloseTo(1000 + 200 * Math.log10(2), within(EXACT));
        assertThat(a.lower()).isLessThan(a.rating());
        assertThat(a.upper()).isGreaterThan(a.rating());
        assertThat(a.battles()).isEqualTo(30);
    }

    @Test
    void bradleyTerrySaysWhichRatingsHaveAFiniteMle() {
        // Given: a beats b 3:1 → the battles connect both ways, every rating is finite
        assertThat(BradleyTerry.identified(
                        List.of(
                                new Battle("a", "b", 1),
                                new Battle("a", "b", 1),
                                new Battle("a", "b", 1),
                                new Battle("b", "a", 1)),
                        null))
                .containsExactlyInAnyOrder("a", "b");
        // Given: a single tie scores both ways
        assertThat(BradleyTerry.identified(List.of(new Battle("a", "b", 1), new Battle("a", "b", 0.5)), null))
                .containsExactlyInAnyOrder("a", "b");

        // Given: a won every battle against b; b and c split 1:1
        List<Battle> unbeaten = List.of(
                new Battle("a", "b", 1), new Battle("b", "a", 0), new Battle("b", "c", 1), new Battle("c", "b", 1));
        // Then: centred on the mean of the largest component, b and c are finite and a is not
        assertThat(BradleyTerry.identified(unbeaten, null)).containsExactlyInAnyOrder("b", "c");
        // anchored at c, b and c are finite and a is not; anchored at a, only a
        assertThat(BradleyTerry.identified(unbeaten, "c")).containsExactlyInAnyOrder("b", "c");
        assertThat(BradleyTerry.identified(unbeaten, "a")).containsExactly("a");
        // and the bootstrap ratings carry the flag, without an interval where it is false
        assertThat(BradleyTerry.ratings(unbeaten, "c").get("a").identified()).isFalse();
        assertThat(BradleyTerry.ratings(unbeaten, "c").get("a").lower()).isNull();
        assertThat(BradleyTerry.ratings(unbeaten, "c").get("b").identified()).isTrue();

        // Given: two groups that never met → only the reference group is finite: the anchor's, or
        // without one the larger (here equal: the first by name)
        List<Battle> apart = List.of(new Battle("a", "b", 0.5), new Battle("c", "d", 0.5));
        assertThat(BradleyTerry.identified(apart, null)).containsExactlyInAnyOrder("a", "b");
        assertThat(BradleyTerry.identified(apart, "d")).containsExactlyInAnyOrder("c", "d");
    }

    @Test
    void onlineEloStepsByFour() {
        // Given: a beats b twice, then they tie
        Map<String, Double> r =
                OnlineElo.ratings(List.of(new Battle("a", "b", 1), new Battle("a", "b", 1), new Battle("b", "a", 0.5)));

        // Then: 1000 + 4·(1 − 0.5) = 1002; then E_a = 1/(1 + 10^(−4/400)) = 0.51151..., a = 1003.97697...;
        // the tie moves a down by 4·(E_a − 0.5)
        assertThat(r.get("a")).isCloseTo(1003.9311965449899, within(EXACT));
        assertThat(r.get("b")).isCloseTo(996.0688034550101, within(EXACT));
    }

    @Test
    void kendallTauB() {
        // Given: a > b > c, then a > c > b: 2 concordant pairs, 1 discordant → 1/3
        assertThat(KendallTau.tauB(Map.of("a", 3.0, "b", 2.0, "c", 1.0), Map.of("a", 3.0, "b", 1.0, "c", 2.0)))
                .isCloseTo(1.0 / 3.0, within(EXACT));
        // Given: b and c tied in y only: (2 − 0)/√((2 + 0 + 0)(2 + 0 + 1)) = 2/√6
        assertThat(KendallTau.tauB(Map.of("a", 3.0, "b", 2.0, "c", 1.0), Map.of("a", 3.0, "b", 1.0, "c", 1.0)))
                .isCloseTo(0.8164965809277261, within(EXACT));
        // Given: the same order → 1; models only in one ranking are ignored
        assertThat(KendallTau.tauB(Map.of("a", 3.0, "b", 2.0, "x", 9.0), Map.of("a", 1.0, "b", 0.0)))
                .isEqualTo(1.0);
    }

    @Test
    void bootstrapPercentilesInterpolateAndAreReproducible() {
        // Given: sorted 1, 2, 3, 4: position (4 − 1)·0.025 = 0.075 → 1.075; 0.975 → 2.925 → 3.925
        assertThat(Bootstrap.percentile(new double[] {1, 2, 3, 4}, 0.025)).isCloseTo(1.075, within(EXACT));
        assertThat(Bootstrap.percentile(new double[] {1, 2, 3, 4}, 0.975)).isCloseTo(3.925, within(EXACT));

        // Given: constant scores → a degenerate interval; mixed scores → same seed, same interval
        Estimate constant = Bootstrap.mean(new double[] {7, 7, 7});
        assertThat(constant.lower()).isEqualTo(7.0);
        assertThat(constant.upper()).isEqualTo(7.0);
        double[] mixed = {1, 4, 9, 3, 5, 8, 2};
        Estimate e = Bootstrap.mean(mixed);
        assertThat(e.value()).isCloseTo(32.0 / 7.0, within(EXACT));
        assertThat(e).isEqualTo(Bootstrap.mean(mixed));
        assertThat(e.lower()).isLessThan(e.value());
        assertThat(e.upper()).isGreaterThan(e.value());
    }
}
