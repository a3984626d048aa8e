package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The anchors policy at a small scale, on one seed: what {@link IrtSamplingBenchmark} measures at scale. */
class IrtSamplingTest {

    @Test
    void irtPredictsModelsEvaluatedOnAThirdOfTheNewItemsWithinTheGoal() {
        // Given: 20 simulated models with a history of 300 items; of 600 new items, 5 anchors answer all and
        // the others the third the anchors policy draws
        IrtSampling.Result r = IrtSampling.run(20, 5, 300, 600, 1.0 / 3, 0.0, 7);
        System.out.printf(
                "irt sampling: MAE %.2f points (max %.2f), naive %.2f, calls %d of %d%n",
                r.irtMae(), r.irtMax(), r.naiveMae(), r.callsSampled(), r.callsFull());

        // Then: the irt prediction is within the 2.5 points of full evaluation (on one seed it need not
        // beat the accuracy on the third answered: averaged over seeds it does, BENCHMARKS.md "IRT")
        assertThat(r.irtMae()).isLessThanOrEqualTo(2.5);
        assertThat(r.callsSampled()).isLessThan(r.callsFull() / 2);
    }
}
