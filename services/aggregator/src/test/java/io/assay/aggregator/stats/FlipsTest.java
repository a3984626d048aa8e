package io.assay.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Negative and positive flips against values worked by hand (Wilson digits checked with 40-digit decimal arithmetic). */
class FlipsTest {
    private static final double EXACT = 1e-12;

    @Test
    void countsFlipsOnSharedCasesOnly() {
        // Given: i1 and i4 right before, wrong now; i3 the reverse; i2 right and i6 wrong in both;
        // i5 only answered now, i7 only before
        Map<String, Boolean> previous =
                Map.of("i1", true, "i2", true, "i3", false, "i4", true, "i6", false, "i7", true);
        Map<String, Boolean> current =
                Map.of("i1", false, "i2", true, "i3", true, "i4", false, "i5", false, "i6", false);

        // When
        Flips.Result r = Flips.between(previous, current);

        // Then: 5 shared, 2 negative, 1 positive
        assertThat(r).isEqualTo(new Flips.Result(5, 2, 1));
        assertThat(r.negativeRate()).isEqualTo(0.4);
        assertThat(r.positiveRate()).isEqualTo(0.2);
        // 2/5: denom = 1 + z²/5 = 1.768291764138825, center = (0.4 + z²/10) / denom = 0.4434482464783175,
        // half = z·sqrt(0.048 + z²/100) / denom = 0.3258274722456696 → [0.1176207742326479, 0.7692757187239870]
        Estimate e = r.negativeInterval();
        assertThat(e.value()).isEqualTo(0.4);
        assertThat(e.lower()).isCloseTo(0.1176207742326479, within(EXACT));
        assertThat(e.upper()).isCloseTo(0.7692757187239870, within(EXACT));
        assertThat(e.n()).isEqualTo(5);
    }

    @Test
    void nothingSharedHasNoRate() {
        Flips.Result r = Flips.between(Map.of("i1", true), Map.of("i2", false));

        assertThat(r.shared()).isZero();
        assertThat(r.negativeRate()).isNaN();
        assertThat(r.positiveRate()).isNaN();
        assertThat(r.negativeInterval().upper()).isEqualTo(1.0);
    }
}
