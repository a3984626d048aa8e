package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.aggregator.stats.Rasch;
import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.PairwiseOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The irt view: its rows against a Rasch fit of the matrix written out by hand. */
class IrtViewTest {
    private static final Instant AS_OF = Instant.parse("2026-11-28T09:05:00Z");
    private static final Instant T = Instant.parse("2026-11-28T09:00:00Z");

    private static Judgment verdict(String item, String model, boolean correct, String format) {
        return Judgments.correctAt("b", item, model, correct, format, T, T);
    }

    /**
     * Models a and b on items i1..i4, c on i1 only:
     *
     * <pre>
     *        i1   i2    i3  i4
     *   a    1    1     1   0
     *   b    1    0.5   0   0     (i2: two formats, one right)
     *   c    1    -     -   -
     * </pre>
     */
    private static List<Judgment> ledger() {
        List<Judgment> out = new ArrayList<>();
        out.add(verdict("i1", "a", true, "plain"));
        out.add(verdict("i2", "a", true, "plain"));
        out.add(verdict("i3", "a", true, "plain"));
        out.add(verdict("i4", "a", false, "plain"));
        out.add(verdict("i1", "b", true, "plain"));
        out.add(verdict("i2", "b", true, "plain"));
        out.add(verdict("i2", "b", false, "json"));
        out.add(verdict("i3", "b", false, "plain"));
        out.add(verdict("i4", "b", false, "plain"));
        out.add(verdict("i1", "c", true, "plain"));
        out.add(Judgments.unparseable("b", "i3", "c", "c"));
        return out;
    }

    private static List<Slot> slots(List<Judgment> judgments) {
        return FoldTest.slots(judgments);
    }

    private static LeaderboardSnapshot irt(List<Slot> slots) {
        return Leaderboards.build("b", slots, new Leaderboards.Context(Map.of(), null), ViewQuery.of(View.IRT), AS_OF);
    }

    private static Row row(LeaderboardSnapshot s, String model) {
        return s.rows().stream()
                .filter(r -> r.modelId().equals(model))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void everyModelGetsAPredictedAccuracyOnTheWholeBenchmark() {
        // Given: the matrix above; the fit of it, by hand (models a, b, c; items i1..i4)
        Rasch.Fit fit = Rasch.fit(new Rasch.Matrix(
                3, 4, new int[] {0, 0, 0, 0, 1, 1, 1, 1, 2}, new int[] {0, 1, 2, 3, 0, 1, 2, 3, 0}, new double[] {
                    1, 1, 1, 0, 1, 0.5, 0, 0, 1
                }));
        double[] b = fit.difficulty();
        double c = fit.ability()[2];
        double cPredicted =
                (1 + Rasch.probability(c, b[1]) + Rasch.probability(c, b[2]) + Rasch.probability(c, b[3])) / 4;

        // When
        LeaderboardSnapshot s = irt(slots(ledger()));

        // Then: a and b, evaluated on every item, get their observed accuracy (mean over items of the cells)
        assertThat(row(s, "a").value()).isEqualTo(0.75);
        assertThat(row(s, "b").value()).isEqualTo(0.375);
        assertThat(row(s, "b").metrics()).containsEntry("observed", 0.375).containsEntry("items", 4L);
        assertThat(row(s, "b").n()).isEqualTo(5);
        // c, evaluated on i1 alone, is predicted on i2..i4 from its ability and their difficulties
        Row rc = row(s, "c");
        assertThat(rc.value()).isCloseTo(cPredicted, within(1e-6));
        assertThat(rc.metrics())
                .containsEntry("items", 1L)
                .containsEntry("benchmarkItems", 4L)
                .containsEntry("observed", 1.0)
                .containsEntry("unparseable", 1L);
        assertThat((Double) rc.metrics().get("ability")).isCloseTo(c, within(1e-6));
        // its interval: the value moved as the mean P over all four items moves at θ ∓ 1.96·se (the observed
        // i1 too: its verdict's noise moved θ), and it contains the value
        double half = 1.959963984540054 * fit.abilitySe()[2];
        assertThat(rc.lower())
                .isCloseTo(rc.value() + meanP(c - half, b) - meanP(c, b), within(2e-6))
                .isLessThan(rc.value());
        assertThat(rc.upper())
                .isCloseTo(Math.min(1, rc.value() + meanP(c + half, b) - meanP(c, b)), within(2e-6))
                .isGreaterThan(rc.value());
        // a, evaluated on every item, gets the same: its observed accuracy is a draw too, not a certainty
        double a = fit.ability()[0];
        double halfA = 1.959963984540054 * fit.abilitySe()[0];
        Row ra = row(s, "a");
        assertThat(ra.lower()).isCloseTo(0.75 + meanP(a - halfA, b) - meanP(a, b), within(2e-6));
        assertThat(ra.upper()).isCloseTo(Math.min(1, 0.75 + meanP(a + halfA, b) - meanP(a, b)), within(2e-6));
        assertThat(ra.lower()).isLessThan(0.75);
        assertThat(ra.upper()).isGreaterThan(0.75);
        // b's cell on i2 is the share of two verdicts, which varies by P(1 − P)/2 only: the sandwich
        // √(Σ_c P(1 − P)/k_c + 1/σ²)/J, J = Σ_c P(1 − P) + 1/σ² the fit's curvature (1/se²)
        double tb = fit.ability()[1];
        double j = 1 / (fit.abilitySe()[1] * fit.abilitySe()[1]);
        double meat = 0.25;
        for (int i = 0; i < 4; i++) {
            double p = Rasch.probability(tb, b[i]);
            meat += p * (1 - p) / (i == 1 ? 2 : 1);
        }
        double halfB = 1.959963984540054 * Math.sqrt(meat) / j;
        assertThat(halfB).isLessThan(1.959963984540054 * fit.abilitySe()[1]);
        Row rb = row(s, "b");
        assertThat((Double) rb.metrics().get("abilityLower")).isCloseTo(tb - halfB, within(2e-6));
        assertThat((Double) rb.metrics().get("abilityUpper")).isCloseTo(tb + halfB, within(2e-6));
        assertThat(rb.lower()).isCloseTo(0.375 + meanP(tb - halfB, b) - meanP(tb, b), within(2e-6));
        assertThat(rb.upper()).isCloseTo(0.375 + meanP(tb + halfB, b) - meanP(tb, b), within(2e-6));
        // and a's, every cell one verdict, is the fit's own
        assertThat((Double) ra.metrics().get("abilityLower")).isCloseTo(a - halfA, within(2e-6));
        // a beats b in ability; ranking is by predicted accuracy
        assertThat((Double) row(s, "a").metrics().get("ability"))
                .isGreaterThan((Double) row(s, "b").metrics().get("ability"));
        assertThat(s.rows()).extracting(Row::value).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    /** The mean of P(correct | θ, b_i) over every item. */
    private static double meanP(double theta, double[] b) {
        double sum = 0;
        for (double bi : b) {
            sum += Rasch.probability(theta, bi);
        }
        return sum / b.length;
    }

    @Test
    void aWarmStartCarriesEachIdsValueAndStartsTheNewOnesAtTheirDefault() {
        // Given: the last fit's ids and values, and today's ids (one gone, two new, one before them all)
        String[] before = {"b", "d", "f"};
        double[] values = {2, 4, 6};

        // Then: each id kept takes its value, each new one the default
        assertThat(IrtBuilder.carried(before, values, new String[] {"a", "d", "e", "f", "g"}, -1))
                .containsExactly(-1, 4, -1, 6, -1);
        assertThat(IrtBuilder.carried(before, values, new String[0], -1)).isEmpty();
        assertThat(IrtBuilder.carried(new String[0], new double[0], before, 0.5))
                .containsExactly(0.5, 0.5, 0.5);
        // and the same ids (the cells' own array) give a copy of the values
        double[] same = IrtBuilder.carried(before, values, before, -1);
        assertThat(same).containsExactly(2, 4, 6).isNotSameAs(values);
    }

    @Test
    void aWarmStartedViewEqualsAColdOne() {
        // Given: the view computed over part of the ledger, then over all of it (warm-started from the first)
        List<Judgment> all = ledger();
        irt(slots(all.subList(0, 6)));
        LeaderboardSnapshot warm = irt(slots(all));

        // When: a fresh builder fits the whole ledger from a cold start
        List<Slot> slots = slots(all);
        List<Row> cold = new IrtBuilder()
                .rows(new ViewBuilder.Input(
                        "b",
                        slots,
                        Map.of(),
                        new Leaderboards.Context(Map.of(), null),
                        ViewQuery.of(View.IRT),
                        500,
                        true));

        // Then: the same figures, to the bit
        for (Row r : cold) {
            Row w = row(warm, r.modelId());
            assertThat(w.value()).isEqualTo(r.value());
            assertThat(w.lower()).isEqualTo(r.lower());
            assertThat(w.upper()).isEqualTo(r.upper());
            assertThat(w.metrics().get("ability")).isEqualTo(r.metrics().get("ability"));
        }
    }

    @Test
    void aPairwiseBenchmarkHasNoIrtRows() {
        // Given: only pairwise verdicts
        List<Judgment> pairwise = List.of(
                Judgments.pairwise("b", "i1", "c", "a", PairwiseOutcome.BETTER, "base", 100, 100, false, T),
                Judgments.pairwise("b", "i2", "c", "a", PairwiseOutcome.WORSE, "base", 100, 100, false, T));

        // Then: not applicable, an empty table (the CLI says why)
        assertThat(irt(slots(pairwise)).rows()).isEmpty();
    }

    @Test
    void theViewIsListedWhereverViewsAre() {
        assertThat(View.names()).contains("irt");
        assertThat(View.byName("irt")).contains(View.IRT);
        assertThat(View.IRT.kind()).isEqualTo(io.assay.contracts.JudgmentKind.CORRECT);
    }
}
