package io.assay.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cohen's kappa and its Fleiss–Cohen–Everitt standard error, on tables worked by hand. */
class KappaTest {
    private static final double EXACT = 1e-12;

    @Test
    void twoByTwo() {
        // Given 50 subjects: both say yes 20, judge yes / human no 5, judge no / human yes 10, both no 15
        Kappa.Result r = Kappa.of(new long[][] {{20, 5}, {10, 15}});

        // Then p_o = 35/50 = 0.7; margins rows 0.5, 0.5, columns 0.6, 0.4; p_e = 0.5·0.6 + 0.5·0.4 = 0.5;
        // kappa = (0.7 − 0.5)/(1 − 0.5) = 0.4.
        // var: diagonal 0.4·(0.5 − 1.1·0.3)² + 0.3·(0.5 − 0.9·0.3)² = 0.4·0.0289 + 0.3·0.0529 = 0.02743;
        // off-diagonal (0.3)²·(0.1·(0.6 + 0.5)² + 0.2·(0.4 + 0.5)²) = 0.09·0.283 = 0.02547;
        // last (0.7·0.5 − 1 + 0.7)² = 0.0025; var = (0.02743 + 0.02547 − 0.0025)/(50·0.5⁴) = 0.0504/3.125
        // = 0.016128 (exactly 252/15625), se = 0.12699606293110036
        assertThat(r.n()).isEqualTo(50);
        assertThat(r.observed()).isCloseTo(0.7, within(EXACT));
        assertThat(r.expected()).isCloseTo(0.5, within(EXACT));
        assertThat(r.kappa()).isCloseTo(0.4, within(EXACT));
        assertThat(r.se() * r.se()).isCloseTo(252.0 / 15625.0, within(EXACT));
        assertThat(r.lower()).isCloseTo(0.4 - Kappa.Z_95 * 0.12699606293110036, within(1e-12));
        assertThat(r.upper()).isCloseTo(0.4 + Kappa.Z_95 * 0.12699606293110036, within(1e-12));
    }

    @Test
    void threeByThree() {
        // Given 100 pairwise verdicts, judge (rows) against human (columns), classes loss, tie, win
        Kappa.Result r = Kappa.of(new long[][] {{25, 3, 2}, {4, 30, 6}, {1, 5, 24}});

        // Then p_o = 79/100; rows 0.30, 0.40, 0.30; columns 0.30, 0.38, 0.32;
        // p_e = 0.09 + 0.152 + 0.096 = 0.338; kappa = 0.452/0.662 = 226/331 = 0.6827794561933535.
        // var by the same three terms in exact fractions = 183252489/48014450884 (0.0038166111582266533),
        // se = 0.06177872739241764
        assertThat(r.observed()).isCloseTo(0.79, within(EXACT));
        assertThat(r.expected()).isCloseTo(0.338, within(EXACT));
        assertThat(r.kappa()).isCloseTo(226.0 / 331.0, within(EXACT));
        assertThat(r.se()).isCloseTo(0.06177872739241764, within(1e-12));
        assertThat(r.upper()).isCloseTo(226.0 / 331.0 + Kappa.Z_95 * 0.06177872739241764, within(1e-12));
    }

    @Test
    void perfectAgreementIsOneAndOneClassIsUndefined() {
        Kappa.Result perfect = Kappa.of(new long[][] {{7, 0}, {0, 3}});
        assertThat(perfect.kappa()).isCloseTo(1.0, within(EXACT));
        assertThat(perfect.se()).isZero();
        // κ ± 0 is no interval: three labels would claim the certainty of three hundred
        assertThat(perfect.lower()).isNaN();
        assertThat(perfect.upper()).isNaN();
        // nor at κ = −1: p_o = 0, p_e = 0.5, the variance's numerator 0 + 1·1 − 1² = 0
        Kappa.Result opposite = Kappa.of(new long[][] {{0, 4}, {4, 0}});
        assertThat(opposite.kappa()).isCloseTo(-1.0, within(EXACT));
        assertThat(opposite.lower()).isNaN();
        assertThat(opposite.upper()).isNaN();
        // nor where rater 2 used one class only: p_o = p_e = 0.5, κ = 0 whatever rater 1 said; numerator
        // 0.5·(0.5 − 1.5·0.5)² + 0.5²·0.5·(0 + 0.5)² − (0.25 − 1 + 0.5)² = 0.03125 + 0.03125 − 0.0625 = 0
        Kappa.Result oneSided = Kappa.of(new long[][] {{1, 0}, {1, 0}});
        assertThat(oneSided.kappa()).isZero();
        assertThat(oneSided.lower()).isNaN();

        // Everyone said "correct" about everything: p_e = 1, agreement beyond chance cannot be told
        Kappa.Result oneClass = Kappa.of(new long[][] {{9}});
        assertThat(oneClass.kappa()).isNaN();
        assertThat(oneClass.observed()).isEqualTo(1.0);

        assertThat(Kappa.of(new long[][] {{0, 0}, {0, 0}}).n()).isZero();
        assertThatThrownBy(() -> Kappa.of(new long[][] {{1, 2}, {3}})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTableOfPairedClassesHasEveryClassEitherRaterUsedInSortedOrder() {
        // rater 1 / rater 2: win/win, win/tie, loss/loss, tie/win; classes sorted: loss, tie, win
        long[][] t = Kappa.table(List.of(
                new String[] {"win", "win"}, new String[] {"win", "tie"}, new String[] {"loss", "loss"}, new String[] {
                    "tie", "win"
                }));
        assertThat(t).isDeepEqualTo(new long[][] {{1, 0, 0}, {0, 0, 1}, {0, 1, 1}});
        assertThat(Kappa.table(List.of())).isEmpty();
    }
}
