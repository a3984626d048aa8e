package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.aggregator.stats.WinRate;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.PairwiseOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link WinRateTally} against values worked by hand, revised and removed verdicts, and fold order. */
class WinRateTallyTest {
    private static final double EXACT = 1e-9;
    private static final Leaderboards.Context CTX = new Leaderboards.Context(Map.of(), null);

    @Test
    void discreteWinRateIsAlpacaEvalsToTheBit() {
        // Given: the counts of three rows of AlpacaEval 2's published leaderboard
        // (tatsu-lab/alpaca_eval, src/alpaca_eval/leaderboards/data_AlpacaEval_2/
        // weighted_alpaca_eval_gpt4_turbo_leaderboard.csv: n_wins, n_wins_base, n_draws, n_total)
        WinRate.Result wpo = new WinRate.Result(77.8, 1.2, 640, 163, 2, 805, Double.NaN, Double.NaN);
        WinRate.Result storm = new WinRate.Result(63.0, 1.4, 519, 286, 0, 805, Double.NaN, Double.NaN);
        WinRate.Result aligner = new WinRate.Result(34.5, 1.3, 225, 475, 105, 805, Double.NaN, Double.NaN);

        // Then: their published discrete_win_rate, every digit
        assertThat(wpo.discreteWinRate()).isEqualTo(79.62732919254658);
        assertThat(storm.discreteWinRate()).isEqualTo(64.472049689441);
        assertThat(aligner.discreteWinRate()).isEqualTo(34.47204968944099);
        assertThat(new WinRate.Result(Double.NaN, Double.NaN, 0, 0, 0, 0, Double.NaN, Double.NaN).discreteWinRate())
                .isNaN();
    }

    @Test
    void avgLengthIsTheFlooredMeanOfTheAnswersWhoseLengthIsKnown() {
        // Given: answers of 100 and 201 code points, and one whose length the verdict does not carry
        Fed t = new Fed();
        t.add(preference("j1", "i1", 2.0, "a", "base", "1", "m", false, 100), 1);
        Slot long1 = preference("j2", "i2", 1.0, "a", "base", "1", "m", false, 201);
        t.add(long1, 1);
        t.add(preference("j3", "i3", 1.5, "a", "base", "1", "m", false, null), 1);

        // Then: AlpacaEval's int(mean) over the two: 150.5 → 150
        assertThat(t.tally.row("m", CTX, "base").metrics()).containsEntry("avg_length", 150L);

        // When: the 201 goes, then the 100: 100, then no length known, no avg_length
        t.add(long1, -1);
        assertThat(t.tally.row("m", CTX, "base").metrics()).containsEntry("avg_length", 100L);
        t.add(preference("j1", "i1", 2.0, "a", "base", "1", "m", false, 100), -1);
        assertThat(t.tally.row("m", CTX, "base").metrics()).doesNotContainKey("avg_length");
    }

    @Test
    void clusteredStandardErrorByHand() {
        // Given: i1 has two variants (2, 1.5), i2 one (1), i3 one (1.8)
        Fed t = new Fed();
        t.add(preference("j1", "i1", 2.0, "a"), 1);
        t.add(preference("j2", "i1", 1.5, "a"), 1);
        t.add(preference("j3", "i2", 1.0, "b"), 1);
        t.add(preference("j4", "i3", 1.8, "b"), 1);

        // Then: x = p − 1 = 1, .5 | 0 | .8: n = 4, Σx = 2.3, x̄ = .575; S_g − n_g·x̄ = 1.5 − 1.15 = .35,
        // −.575, .225 → Σ² = .1225 + .330625 + .050625 = .50375; G = 3: se = 100·sqrt(3/2 · .50375)/4
        Row r = t.tally.row("m", CTX, "base");
        assertThat(r.value()).isCloseTo(57.5, within(EXACT));
        assertThat((double) r.metrics().get("standard_error")).isCloseTo(21.73167331339214, within(EXACT));
        assertThat(r.metrics())
                .containsEntry("n_wins", 2L)
                .containsEntry("n_wins_base", 1L)
                .containsEntry("n_draws", 1L)
                .containsEntry("n_total", 4L)
                .containsEntry("baseline", "base");
        // rounded: win, draw | loss | win → (2 + 1/2)/4
        assertThat((double) r.metrics().get("discrete_win_rate")).isEqualTo(62.5);
        // category a: one item (G = 1) → no standard error; the interval is Wilson's at .75 on the two
        // preferences, as accuracy's with one item (by hand)
        assertThat(r.categories().get("a").value()).isCloseTo(75.0, within(EXACT));
        assertThat((double) r.categories().get("a").lower()).isCloseTo(19.78674557623111761, within(EXACT));
        assertThat((double) r.categories().get("a").upper()).isCloseTo(97.33226579910153699, within(EXACT));

        // When: the 1.5 is revised to 2 → x = 1, 1 | 0 | .8: x̄ = .7; residuals .6, −.7, .1 → Σ² = .86
        t.add(preference("j2", "i1", 1.5, "a"), -1);
        t.add(preference("j2b", "i1", 2.0, "a"), 1);
        Row revised = t.tally.row("m", CTX, "base");
        assertThat(revised.value()).isCloseTo(70.0, within(EXACT));
        assertThat((double) revised.metrics().get("standard_error")).isCloseTo(28.394541729001364, within(EXACT));
        assertThat((double) revised.metrics().get("discrete_win_rate")).isEqualTo(75.0);

        // When: i2's verdict goes → x = 1, 1 | .8, n = 3, x̄ = 2.8/3; residuals ±2/15 → Σ² = 8/225;
        // G = 2: se = 100·sqrt(2·8/225)/3 = 400/45
        t.add(preference("j3", "i2", 1.0, "b"), -1);
        Row removed = t.tally.row("m", CTX, "base");
        assertThat(removed.value()).isCloseTo(280.0 / 3, within(EXACT));
        assertThat((double) removed.metrics().get("standard_error")).isCloseTo(400.0 / 45, within(EXACT));
        assertThat(removed.n()).isEqualTo(3);
        assertThat(removed)
                .isEqualTo(fresh(List.of(
                                preference("j1", "i1", 2.0, "a"),
                                preference("j2b", "i1", 2.0, "a"),
                                preference("j4", "i3", 1.8, "b")))
                        .row("m", CTX, "base"));
    }

    @Test
    void oneVariantPerItemIsAlpacaEvalsStandardError() {
        // Given: AlpacaEval's example, no verdict (0) a draw: p − 1 = 1, 0, .5, .5, .8; sd = sqrt(.572/4)
        double[] p = {2, 1, 0, 1.5, 1.8};
        WinRateTally t = new WinRateTally();
        for (int i = 0; i < p.length; i++) {
            t.add(preference("j" + i, "i" + i, p[i], "a"), 1, List.of());
        }
        Row r = t.row("m", CTX, "base");
        assertThat(r.value()).isCloseTo(56.0, within(EXACT));
        assertThat((double) r.metrics().get("standard_error")).isCloseTo(16.911534525287767, within(EXACT));
        assertThat((double) r.metrics().get("standard_error"))
                .isEqualTo(WinRate.of(p).standardError());
        assertThat(r.metrics()).containsEntry("n_draws", 2L);
    }

    @Test
    void anyFoldOrderGivesTheSameBits() {
        // Given: 400 preferences on 60 items with arbitrary fractions (sums that round in doubles)
        Random random = new Random(11);
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            double p = random.nextInt(5) == 0 ? 0.0 : 1 + random.nextDouble();
            slots.add(preference("j" + i, "i" + random.nextInt(60), p, "c" + random.nextInt(3)));
        }
        Row first = fresh(slots).row("m", CTX, "base");
        for (int shuffle = 0; shuffle < 5; shuffle++) {
            List<Slot> other = new ArrayList<>(slots);
            Collections.shuffle(other, random);
            // some added and taken away again on the way
            Fed t = new Fed();
            for (int i = 0; i < other.size(); i++) {
                t.add(other.get(i), 1);
                if (i % 7 == 0) {
                    t.add(other.get(i / 2), -1);
                    t.add(other.get(i / 2), 1);
                }
            }
            assertThat(t.tally.row("m", CTX, "base")).isEqualTo(first);
        }
    }

    @Test
    void anItemsOtherPreferencesAreReadFromTheSlotsBesideIt() {
        // Given: i1's two variants, fed with their item's other slots, among them slots of another cell
        Slot pairwise = WbRewardTallyTest.pair("p", "i1", "base", PairwiseOutcome.BETTER, 100, 100, false);
        Slot first = preference("j1", "i1", 2.0, "a");
        Slot second = preference("j2", "i1", 1.2, "a");
        List<Slot> beside = List.of(
                pairwise,
                preference("j5", "i1", 2.0, "a", "other-base", "1", "m", false, 100),
                preference("j6", "i1", 2.0, "a", "base", "2", "m", false, 100),
                preference("j7", "i1", 2.0, "a", "base", "1", "other-model", false, 100),
                preference("j8", "i1", 2.0, "a", "base", "1", "m", true, 100),
                preference("j9", "i2", 1.0, "a"));
        WinRateTally t = new WinRateTally();
        t.add(first, 1, beside);
        List<Slot> withFirst = new ArrayList<>(beside);
        withFirst.add(first);
        t.add(second, 1, withFirst);
        t.add(preference("j3", "i2", 1.0, "b"), 1, List.of());

        // Then: one item of two preferences (those of other kinds, baselines, judge versions, models or
        // unparseable not counted), as fed without them; not two items of one each
        Row r = t.row("m", CTX, "base");
        assertThat(r)
                .isEqualTo(fresh(List.of(first, second, preference("j3", "i2", 1.0, "b")))
                        .row("m", CTX, "base"));
        WinRateTally unclustered = new WinRateTally();
        List.of(first, second, preference("j3", "i2", 1.0, "b")).forEach(s -> unclustered.add(s, 1, List.of()));
        assertThat(r.metrics().get("standard_error"))
                .isNotEqualTo(unclustered.row("m", CTX, "base").metrics().get("standard_error"));

        // When: the first is taken away with its item's others → as if only the second had come
        t.add(first, -1, List.of(second, pairwise));
        assertThat(t.row("m", CTX, "base"))
                .isEqualTo(
                        fresh(List.of(second, preference("j3", "i2", 1.0, "b"))).row("m", CTX, "base"));
    }

    /** The tally fed as the fold feeds it: each preference with the others of its item and model so far. */
    private static final class Fed {
        final WinRateTally tally = new WinRateTally();
        final List<Slot> slots = new ArrayList<>();

        void add(Slot s, int sign) {
            if (sign < 0) {
                slots.remove(s);
            }
            tally.add(s, sign, slots);
            if (sign > 0) {
                slots.add(s);
            }
        }
    }

    private static WinRateTally fresh(List<Slot> slots) {
        Fed t = new Fed();
        slots.forEach(s -> t.add(s, 1));
        return t.tally;
    }

    static Slot preference(String id, String item, double preference, String category) {
        return preference(id, item, preference, category, "base", "1", "m", false, 100);
    }

    /** A preference against {@code baseline} by judge version {@code version} of {@code model}. */
    private static Slot preference(
            String id,
            String item,
            double preference,
            String category,
            String baseline,
            String version,
            String model,
            boolean unparseable,
            Integer answerChars) {
        return new Slot(
                id,
                1,
                false,
                category,
                unparseable,
                item,
                model,
                JudgmentKind.PREFERENCE,
                null,
                "alpaca",
                null,
                null,
                baseline,
                answerChars,
                100,
                false,
                preference,
                Instant.EPOCH,
                Instant.EPOCH,
                "r",
                null,
                null,
                null,
                List.of(category),
                version,
                null,
                null,
                null);
    }
}
