package io.assay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.View;
import io.assay.contracts.JudgmentKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The coverage bench's structure on a few repetitions (the figures themselves: BENCHMARKS.md). */
class CoverageBenchTest {

    @Test
    void aRepetitionHoldsOneVerdictOfEachKindPerModelVariantAndItemInSlotKeyOrder() {
        CoverageSimulation sim = new CoverageSimulation(5, 3, 2, CoverageSimulation.SPREAD);

        List<Slot> slots = sim.repetition(new SplittableRandom(7));

        assertThat(slots).hasSize(5 * 3 * 2 * 4);
        assertThat(slots.stream().collect(Collectors.groupingBy(Slot::kind, Collectors.counting())))
                .containsOnlyKeys(
                        JudgmentKind.CORRECT, JudgmentKind.SCORE, JudgmentKind.PAIRWISE, JudgmentKind.PREFERENCE)
                .allSatisfy((kind, n) -> assertThat(n).isEqualTo(30L));
        // Slot-key order within a kind: item, then model, then variant
        List<Slot> scores =
                slots.stream().filter(s -> s.kind() == JudgmentKind.SCORE).toList();
        assertThat(scores)
                .isSortedAccordingTo(Comparator.comparing(Slot::itemId)
                        .thenComparing(Slot::modelId)
                        .thenComparing(Slot::format));
        assertThat(scores).allSatisfy(s -> assertThat(s.score()).isBetween(1.0, 10.0));
        assertThat(slots.stream().filter(s -> s.kind() == JudgmentKind.PREFERENCE))
                .allSatisfy(s -> assertThat(s.baseline()).isEqualTo(CoverageSimulation.BASELINE));
        // the same seed, the same benchmark
        assertThat(sim.repetition(new SplittableRandom(7))).isEqualTo(slots);
    }

    @Test
    void trueValuesFollowAbilityAndAgreeAcrossViews() {
        CoverageSimulation sim = new CoverageSimulation(10, 1, 3, CoverageSimulation.SPREAD);
        String weak = "model-01";
        String middle = "model-02";
        String strong = "model-03";

        // The middle model has the baseline's ability: an even preference and an even Bradley–Terry rating
        assertThat(sim.ability(middle)).isZero();
        assertThat(sim.truth(View.WINRATE, middle)).isCloseTo(50.0, within(1e-9));
        assertThat(sim.truth(View.BT, middle)).isCloseTo(1000.0, within(1e-9));
        assertThat(sim.truth(View.ACCURACY, middle)).isCloseTo(0.5, within(1e-9));
        // and, the outcome buckets symmetric about d = 0, a WB-Reward of 0
        assertThat(sim.truth(View.WB_REWARD, middle)).isCloseTo(0.0, within(1e-9));
        for (View view : List.of(View.ACCURACY, View.SCORE, View.WB_SCORE, View.WINRATE, View.BT, View.WB_REWARD)) {
            assertThat(sim.truth(view, weak)).isLessThan(sim.truth(view, middle));
            assertThat(sim.truth(view, middle)).isLessThan(sim.truth(view, strong));
        }
        // E σ(1 − x), x ~ N(0, 1 + 1 + .25), independently: numpy, mean of σ over 4,000,000 normal draws
        // (default_rng(0)) = 0.670816…, Monte Carlo error 1e-4
        double accuracy = sim.truth(View.ACCURACY, strong);
        assertThat(accuracy).isCloseTo(0.6708163, within(1e-3));
        // score is the expected 1 + Binomial(9, σ(a)); wb-score is WildBench's transform of it
        assertThat(sim.truth(View.SCORE, strong)).isCloseTo(1 + 9 * accuracy, within(1e-12));
        assertThat(sim.truth(View.WB_SCORE, strong)).isCloseTo(20 * (9 * accuracy - 4), within(1e-9));
    }

    @Test
    void expectationIntegratesTheNormal() {
        // E[Z²] = 1 and E[σ(Z)] = ½ by symmetry
        assertThat(CoverageSimulation.expectation(z -> z * z, 0, 1)).isCloseTo(1.0, within(1e-9));
        assertThat(CoverageSimulation.expectation(CoverageSimulation::sigma, 0, 2))
                .isCloseTo(0.5, within(1e-12));
        assertThat(CoverageSimulation.expectation(z -> z, 3, 2)).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void theBenchChecksEveryModelsIntervalInEveryRepetitionOfEveryView() {
        CoverageBench.Options options = new CoverageBench.Options(3, 20, 2, 3, CoverageSimulation.SPREAD, 1, 11);

        List<CoverageBench.Coverage> rows = CoverageBench.run(options);

        assertThat(rows).extracting(CoverageBench.Coverage::view).containsExactlyElementsOf(CoverageBench.VIEWS);
        assertThat(rows).allSatisfy(c -> {
            assertThat(c.intervals()).isEqualTo(3L * 3);
            assertThat(c.covered() + c.below() + c.above()).isEqualTo(c.intervals());
            assertThat(c.meanWidth()).isPositive();
            assertThat(c.worstModel()).isLessThanOrEqualTo(c.bestModel());
        });
        assertThat(rows.get(0).independent()).isBetween(0.0, 1.0);
        assertThat(rows.get(4).independent()).isNaN();
        // the same seed, the same figures
        assertThat(CoverageBench.run(options)).isEqualTo(rows);

        StringWriter text = new StringWriter();
        CoverageBench.print(options, rows, 0.5, new PrintWriter(text, true));
        assertThat(text.toString())
                .contains("3 repetitions × 3 models (θ in [−1, 1]); 20 items × 2 variants")
                .contains("accuracy")
                .contains("wb-score")
                .contains("winrate")
                .contains("bt ")
                .contains("irt ")
                .contains("true values");
    }

    @Test
    void irtsTrueValueIsTheModelsExpectedAccuracyOnTheDrawnItems() {
        // Given: every model on every item, one variant
        CoverageSimulation sim = new CoverageSimulation(4000, 1, 3, CoverageSimulation.SPREAD);

        List<Slot> slots = sim.repetition(new SplittableRandom(5));

        // Then: over many items it nears the population's accuracy, and the observed share is a draw around it
        for (String model : sim.models()) {
            assertThat(sim.benchmarkAccuracy(model)).isCloseTo(sim.truth(View.ACCURACY, model), within(0.02));
            double share = slots.stream()
                            .filter(s -> s.modelId().equals(model) && s.kind() == JudgmentKind.CORRECT)
                            .filter(Slot::correct)
                            .count()
                    / 4000.0;
            assertThat(share).isCloseTo(sim.benchmarkAccuracy(model), within(0.03));
        }
    }

    @Test
    void withAShareObservedEachModelAnswersAboutThatShareAndTheTruthCountsEveryAnsweredItem() {
        CoverageSimulation all = new CoverageSimulation(600, 2, 3, CoverageSimulation.SPREAD);
        CoverageSimulation third = new CoverageSimulation(600, 2, 3, CoverageSimulation.SPREAD, 1.0 / 3);

        List<Slot> full = all.repetition(new SplittableRandom(9));
        List<Slot> thinned = third.repetition(new SplittableRandom(9));

        // all of an item's variants and kinds, or none
        assertThat(full).hasSize(600 * 2 * 3 * 4);
        assertThat((double) thinned.size() / full.size()).isCloseTo(1.0 / 3, within(0.05));
        assertThat(thinned.stream()
                        .collect(Collectors.groupingBy(s -> s.itemId() + s.modelId(), Collectors.counting())))
                .allSatisfy((cell, n) -> assertThat(n).isEqualTo(8L));
        // the missing cells still count in the truth: the expected accuracy on the items, answered or not
        for (String model : third.models()) {
            assertThat(third.benchmarkAccuracy(model)).isCloseTo(third.truth(View.ACCURACY, model), within(0.05));
        }
        assertThatThrownBy(() -> new CoverageSimulation(10, 1, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
