package io.assay.judge.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.contracts.Kappa;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Agreement and kappa between two judge versions, on canary verdicts worked by hand. */
class DriftTest {
    private static final double EXACT = 1e-12;

    @Test
    void twoClassesAgreementAndKappa() {
        // Given 10 canaries: correct under both 4, correct then wrong 2, wrong then correct 1, wrong under both 3
        List<String[]> pairs = new ArrayList<>();
        add(pairs, "correct", "correct", 4);
        add(pairs, "correct", "wrong", 2);
        add(pairs, "wrong", "correct", 1);
        add(pairs, "wrong", "wrong", 3);

        // When the drift is measured
        Drift d = Drift.of("b", "ref", "1", "2", pairs);

        // Then agreement = 7/10; margins before 0.6/0.4, after 0.5/0.5, p_e = 0.6·0.5 + 0.4·0.5 = 0.5,
        // kappa = (0.7 − 0.5)/(1 − 0.5) = 0.4, with the interval Kappa gives for that table
        assertThat(d.canaries()).isEqualTo(10);
        assertThat(d.agreements()).isEqualTo(7);
        assertThat(d.agreement()).isCloseTo(0.7, within(EXACT));
        assertThat(d.kappa()).isCloseTo(0.4, within(EXACT));
        Kappa.Result k = Kappa.of(new long[][] {{4, 2}, {1, 3}});
        assertThat(d.kappaLower()).isEqualTo(k.lower());
        assertThat(d.kappaUpper()).isEqualTo(k.upper());
        assertThat(d.from()).isEqualTo("1");
        assertThat(d.to()).isEqualTo("2");
    }

    @Test
    void threePairwiseClasses() {
        // Given 10 pairwise canaries (before → after): win→win 3, win→tie 1, tie→tie 2, tie→loss 1,
        // loss→loss 2, loss→win 1
        List<String[]> pairs = new ArrayList<>();
        add(pairs, "win", "win", 3);
        add(pairs, "win", "tie", 1);
        add(pairs, "tie", "tie", 2);
        add(pairs, "tie", "loss", 1);
        add(pairs, "loss", "loss", 2);
        add(pairs, "loss", "win", 1);

        // When the drift is measured
        Drift d = Drift.of("b", "arena", "1", "2", pairs);

        // Then p_o = 7/10; both margins are win 0.4, tie 0.3, loss 0.3, so p_e = 0.16 + 0.09 + 0.09 = 0.34
        // and kappa = (0.7 − 0.34)/(1 − 0.34) = 0.36/0.66 = 6/11
        assertThat(d.agreement()).isCloseTo(0.7, within(EXACT));
        assertThat(d.kappa()).isCloseTo(6.0 / 11.0, within(EXACT));
        assertThat(d.kappaLower()).isLessThan(d.kappa());
        assertThat(d.kappaUpper()).isGreaterThan(d.kappa());
    }

    @Test
    void everyCanaryInOneClassHasAnAgreementButNoKappa() {
        // Given 3 canaries both versions call correct
        List<String[]> pairs = new ArrayList<>();
        add(pairs, "correct", "correct", 3);

        // Then they agree on all of them, and kappa (p_e = 1) is undefined
        Drift d = Drift.of("b", "ref", "1", "2", pairs);
        assertThat(d.agreement()).isEqualTo(1.0);
        assertThat(d.kappa()).isNull();
        assertThat(d.kappaLower()).isNull();
    }

    @Test
    void noCanariesNoAgreement() {
        Drift d = Drift.of("b", "ref", "1", "2", List.of());
        assertThat(d.canaries()).isZero();
        assertThat(d.agreement()).isNull();
        assertThat(d.kappa()).isNull();
    }

    private static void add(List<String[]> pairs, String before, String after, int times) {
        for (int i = 0; i < times; i++) {
            pairs.add(new String[] {before, after});
        }
    }
}
