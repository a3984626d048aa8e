package io.assay.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The Poisson bootstrap's weights and interval, against values worked by hand. */
class PoissonBootstrapTest {
    private static final double EXACT = 1e-12;
    private static final int B = PoissonBootstrap.RESAMPLES;

    @Test
    void weightsArePoissonOneByInversion() {
        // P(X ≤ 0) = e⁻¹ = 0.367879, P(X ≤ 1) = 2e⁻¹ = 0.735759, P(X ≤ 2) = 2.5e⁻¹ = 0.919699,
        // P(X ≤ 3) = (8/3)e⁻¹ = 0.981012, P(X ≤ 4) = (65/24)e⁻¹ = 0.996340
        assertThat(PoissonBootstrap.poisson(0.0)).isZero();
        assertThat(PoissonBootstrap.poisson(0.3678)).isZero();
        assertThat(PoissonBootstrap.poisson(0.3679)).isEqualTo(1);
        assertThat(PoissonBootstrap.poisson(0.7357)).isEqualTo(1);
        assertThat(PoissonBootstrap.poisson(0.7358)).isEqualTo(2);
        assertThat(PoissonBootstrap.poisson(0.9196)).isEqualTo(2);
        assertThat(PoissonBootstrap.poisson(0.99)).isEqualTo(4);
    }

    @Test
    void hashedWeightsHaveMeanAndVarianceOneAndAreTheSameForTheSameItem() {
        long sum = 0;
        long squares = 0;
        int n = 0;
        for (int i = 0; i < 5_000; i++) {
            for (int w : PoissonBootstrap.weights("item-" + i)) {
                sum += w;
                squares += (long) w * w;
                n++;
            }
        }
        double mean = (double) sum / n;
        assertThat(mean).isCloseTo(1.0, within(0.01));
        assertThat((double) squares / n - mean * mean).isCloseTo(1.0, within(0.02));
        assertThat(PoissonBootstrap.weights("q7")).isEqualTo(PoissonBootstrap.weights("q7"));
        assertThat(PoissonBootstrap.weights("q7")).isNotEqualTo(PoissonBootstrap.weights("q8"));
    }

    @Test
    void intervalIsTheType7PercentilesOfTheReplicateMeans() {
        // Given: item a (x = 0) with weight 1 in every replicate; item b (x = 10) with weight 0 in
        // replicates 0–4, 1 in 5–194 and 2 in 195–199
        int[] a = new int[B];
        int[] b = new int[B];
        Arrays.fill(a, 1);
        for (int r = 0; r < B; r++) {
            b[r] = r < 5 ? 0 : r < 195 ? 1 : 2;
        }
        PoissonBootstrap.Sums sums = new PoissonBootstrap.Sums();
        sums.add(a, 0.0, 1, 1);
        sums.add(b, 10.0, 1, 1);

        // Then: replicate means 0 (×5), 10/2 = 5 (×190), 20/3 (×5); sorted, the 2.5th percentile sits at
        // (200 − 1)·0.025 = 4.975: 0 + 0.975·(5 − 0) = 4.875; the 97.5th at 194.025: 5 + 0.025·(20/3 − 5)
        double[] interval = sums.interval();
        assertThat(interval[0]).isCloseTo(4.875, within(EXACT));
        assertThat(interval[1]).isCloseTo(5 + 0.025 * (20.0 / 3 - 5), within(EXACT));
    }

    @Test
    void replicatesWithoutWeightAreLeftOutAndOneItemOrNoneLeavesNoInterval() {
        // Given: one item of x = 3, weight 1 in the even replicates, 0 in the odd
        int[] w = new int[B];
        for (int r = 0; r < B; r += 2) {
            w[r] = 1;
        }
        PoissonBootstrap.Sums sums = new PoissonBootstrap.Sums();
        sums.add(w, 3.0, 1, 1);
        // Then: every replicate with weight is that item: no spread seen, no interval (it was [3, 3])
        assertThat(sums.interval()).containsExactly(Double.NaN, Double.NaN);

        // When: an item of x = 5 has weight 1 in replicates 0–9 only
        int[] v = new int[B];
        java.util.Arrays.fill(v, 0, 10, 1);
        sums.add(v, 5.0, 1, 1);
        // Then: replicates 0, 2, …, 8 have mean 4, 1, 3, …, 9 mean 5, the other even ones 3, and the other odd ones
        // (no weight) are left out: 105 statistics, 95 of 3, 5 of 4, 5 of 5; type 7 at 2.5% is sorted[2.6] = 3,
        // at 97.5% sorted[101.4] = 5 (a left-out replicate counted as 0 would give a lower bound of 0)
        assertThat(sums.interval()).containsExactly(3.0, 5.0);

        // When: both are taken away again, no replicate has weight
        sums.add(v, 5.0, 1, -1);
        sums.add(w, 3.0, 1, -1);
        double[] none = sums.interval();
        assertThat(Double.isNaN(none[0]) && Double.isNaN(none[1])).isTrue();
    }

    @Test
    void theSumsDoNotDependOnTheOrderOfAdditions() {
        // Given: values whose floating-point sums depend on the order
        double[] xs = {0.1, 0.2, 0.3, 1e6 / 3, 7.0 / 3, 2.0 / 3};
        PoissonBootstrap.Sums forward = new PoissonBootstrap.Sums();
        PoissonBootstrap.Sums backward = new PoissonBootstrap.Sums();
        ExactSum f = new ExactSum();
        ExactSum g = new ExactSum();
        for (int i = 0; i < xs.length; i++) {
            forward.add(PoissonBootstrap.weights("i" + i), xs[i], 1, 1);
            f.add(xs[i], 1);
        }
        // With one taken away and added again on the way
        backward.add(PoissonBootstrap.weights("i0"), xs[0], 1, 1);
        g.add(xs[0], 1);
        for (int i = xs.length - 1; i >= 0; i--) {
            backward.add(PoissonBootstrap.weights("i" + i), xs[i], 1, 1);
            g.add(xs[i], 1);
        }
        backward.add(PoissonBootstrap.weights("i0"), xs[0], 1, -1);
        g.add(xs[0], -1);

        assertThat(backward.interval()).isEqualTo(forward.interval());
        assertThat(g.mean()).isEqualTo(f.mean());
    }

    @Test
    void exactSumRoundsOnce() {
        // 0.1 + 0.2 + 0.3 left to right is 0.6000000000000001; the exact sum of the three doubles,
        // 0.6000000000000000055…, rounds to the double 0.6
        assertThat(0.1 + 0.2 + 0.3).isEqualTo(0.6000000000000001);
        ExactSum s = new ExactSum();
        s.add(0.1, 1);
        s.add(0.2, 1);
        s.add(0.3, 1);
        assertThat(s.sum()).isEqualTo(0.6);
        assertThat(s.mean()).isEqualTo(0.6 / 3);
        assertThat(s.count()).isEqualTo(3);
    }
}
