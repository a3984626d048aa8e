package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.aggregator.stats.LengthControlled;
import io.assay.aggregator.stats.WinRate;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Protocol;
import io.assay.contracts.Provider;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Views over folded slots, from judgments worked by hand. */
class LeaderboardsTest {
    private static final double EXACT = 1e-9;
    private static final Instant T0 = Instant.parse("2026-01-10T00:00:00Z");
    private static final Leaderboards.Context NO_MODELS = new Leaderboards.Context(Map.of(), null);

    private static List<Slot> fold(List<Judgment> judgments) {
        return FoldTest.slots(judgments);
    }

    private static LeaderboardSnapshot view(List<Slot> slots, Leaderboards.Context ctx, ViewQuery q) {
        return Leaderboards.build("b", slots, ctx, q, T0);
    }

    private static Row row(LeaderboardSnapshot s, String model) {
        return s.rows().stream()
                .filter(r -> r.modelId().equals(model))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void wbRewardOverTwoBaselinesWithAMissingOne() {
        // Given: m1 against a (much_better; better by 600 > K → tie; worse) and b (a truncated pair);
        // m2 only against a (much_worse)
        List<Slot> slots = fold(List.of(
                Judgments.pairwise(
                        "b", "p1", "Creative Tasks", "m1", PairwiseOutcome.MUCH_BETTER, "a", 100, 100, false, T0),
                Judgments.pairwise(
                        "b", "p2", "Coding & Debugging", "m1", PairwiseOutcome.BETTER, "a", 700, 100, false, T0),
                Judgments.pairwise(
                        "b", "p3", "Coding & Debugging", "m1", PairwiseOutcome.WORSE, "a", 100, 200, false, T0),
                Judgments.pairwise("b", "p1", "Creative Tasks", "m1", PairwiseOutcome.BETTER, "b", 100, 100, true, T0),
                Judgments.pairwise(
                        "b", "p1", "Creative Tasks", "m2", PairwiseOutcome.MUCH_WORSE, "a", 100, 100, false, T0)));

        // When
        LeaderboardSnapshot s = view(slots, NO_MODELS, ViewQuery.of(View.WB_REWARD));

        // Then: m1 vs a = 100·(1 − 0.5)/3; vs b = 0/1; mixture = (16.67 + 0)/2
        Row m1 = row(s, "m1");
        assertThat(((Map<?, ?>) m1.metrics().get("reward")).get("a")).isEqualTo(100.0 * 0.5 / 3);
        assertThat(((Map<?, ?>) m1.metrics().get("reward")).get("b")).isEqualTo(0.0);
        assertThat((double) m1.metrics().get("mixture_of_rewards")).isCloseTo(100.0 * 0.5 / 6, within(EXACT));
        assertThat(m1.value()).isCloseTo(100.0 * 0.5 / 6, within(EXACT));
        // task macro vs a: Creative 100, Coding (−0.5·100)/2 = −25 → (0.5·100 − 1.25·25)/4.75 (all five
        // of WildBench's weights); vs b none → 0
        assertThat((double) m1.metrics().get("task_macro_reward")).isCloseTo(18.75 / 4.75 / 2, within(EXACT));
        assertThat(m1.n()).isEqualTo(4);
        // m2: −100 against a, b missing counts 0 → −50
        assertThat(row(s, "m2").value()).isCloseTo(-50.0, within(EXACT));
        assertThat(s.rows()).extracting(Row::modelId).containsExactly("m1", "m2");
        assertThat(s.params()).containsEntry("K", 500);

        // And: K = −1 keeps the better: vs a = 100·(1 + 0.5 − 0.5)/3
        LeaderboardSnapshot noPenalty =
                view(slots, NO_MODELS, new ViewQuery(View.WB_REWARD, null, -1, "a", null, null, false, 100));
        assertThat(row(noPenalty, "m1").value()).isCloseTo(100.0 / 3, within(EXACT));
    }

    @Test
    void ratingMetricsComeInAFixedOrder() {
        // Given: m beats a twice and loses once
        List<Slot> slots = fold(List.of(
                Judgments.pairwise("b", "i1", "c", "m", PairwiseOutcome.BETTER, "a", 100, 100, false, T0),
                Judgments.pairwise("b", "i2", "c", "m", PairwiseOutcome.MUCH_BETTER, "a", 100, 100, false, T0),
                Judgments.pairwise("b", "i3", "c", "m", PairwiseOutcome.WORSE, "a", 100, 100, false, T0)));

        // Then: the published JSON lists the figures in the same order on every run (Map.of's order is
        // chosen afresh by each JVM)
        assertThat(row(view(slots, NO_MODELS, ViewQuery.of(View.BT)), "m")
                        .metrics()
                        .keySet())
                .containsExactly(
                        "rating",
                        "battles",
                        "identified",
                        "resamplesIdentified",
                        "resamplesAbove",
                        "resamplesBelow",
                        "unparseable");
        Row elo = row(view(slots, NO_MODELS, ViewQuery.of(View.ELO)), "m");
        assertThat(elo.metrics().keySet()).containsExactly("rating", "battles", "unparseable");
        // elo has no interval: null bounds, not the rating twice (an interval of no width)
        assertThat(elo.lower()).isNull();
        assertThat(elo.upper()).isNull();
    }

    @Test
    void aBradleyTerryModelThatWonEveryBattleHasNoInterval() {
        // Given: one baseline a; m beats a twice and loses once, w beats a in both its battles
        List<Slot> slots = fold(List.of(
                Judgments.pairwise("b", "i1", "c", "m", PairwiseOutcome.BETTER, "a", 100, 100, false, T0),
                Judgments.pairwise("b", "i2", "c", "m", PairwiseOutcome.BETTER, "a", 100, 100, false, T0),
                Judgments.pairwise("b", "i3", "c", "m", PairwiseOutcome.WORSE, "a", 100, 100, false, T0),
                Judgments.pairwise("b", "i1", "c", "w", PairwiseOutcome.MUCH_BETTER, "a", 100, 100, false, T0),
                Judgments.pairwise("b", "i2", "c", "w", PairwiseOutcome.BETTER, "a", 100, 100, false, T0)));

        // When: the bt view without an anchor
        LeaderboardSnapshot s = view(slots, NO_MODELS, ViewQuery.of(View.BT));

        // Then: m and a are identified through the baseline (m − a = 400·log10 2, mean 1000); with three
        // battles, m won all of them or lost all in more than 2.5% of the resamples, so its interval has no
        // bound on either side; w is not identified: no interval, published as JSON null, and its rating
        // only orders it
        Row m = row(s, "m");
        assertThat(m.value()).isCloseTo(1000 + 200 * Math.log10(2), within(1e-6));
        assertThat(m.metrics()).containsEntry("identified", true);
        assertThat((int) m.metrics().get("resamplesAbove")).isGreaterThan(5);
        assertThat((int) m.metrics().get("resamplesBelow")).isGreaterThan(5);
        assertThat(m.lower()).isNull();
        assertThat(m.upper()).isNull();
        Row w = row(s, "w");
        assertThat(w.metrics()).containsEntry("identified", false).containsEntry("resamplesIdentified", 0);
        assertThat(w.lower()).isNull();
        assertThat(w.upper()).isNull();
        assertThat(w.rank()).isEqualTo(1);
        assertThat(io.assay.contracts.Json.write(w)).contains("\"lower\":null").contains("\"upper\":null");
    }

    @Test
    void rowsWithoutAnIntervalRankLastAmongEqualValues() {
        Row bounded = new Row(0, "z", false, 1000, 990.0, 1010.0, 1, Map.of(), Map.of());
        Row unbounded = new Row(0, "a", false, 1000, null, null, 1, Map.of(), Map.of());
        assertThat(java.util.stream.Stream.of(unbounded, bounded).sorted(Leaderboards.RANKING))
                .containsExactly(bounded, unbounded);
    }

    @Test
    void aViewCountsOneJudge() {
        // Given: m scored by an F1 reference scorer (0.5 on [0, 1]) and a WildBench judge (8 on 1–10)
        List<Slot> slots = fold(List.of(
                Judgments.score("b", "i1", "m", "f1", Protocol.REFERENCE, 0.5, 0, 1),
                Judgments.score("b", "i1", "m", "wb", Protocol.SCORE, 8, 1, 10)));
        BenchmarkSpec spec = new BenchmarkSpec(
                "b",
                null,
                null,
                null,
                null,
                List.of(
                        new JudgeSpec("f1", Protocol.REFERENCE, "f1", "1", null, null, null, null, null),
                        new JudgeSpec("wb", Protocol.SCORE, null, "1", "judge", null, null, null, null)),
                null,
                null,
                null);
        Leaderboards.Context registered = new Leaderboards.Context(Map.of(), spec);

        // Then: score counts the first judge the spec lists, never the mean of both scales (4.25)
        LeaderboardSnapshot score = view(slots, registered, ViewQuery.of(View.SCORE));
        assertThat(row(score, "m").value()).isEqualTo(0.5);
        assertThat(score.params()).containsEntry("judge", "f1");
        // wb-score the first with the score protocol: (8 − 5)·2·10
        LeaderboardSnapshot wb = view(slots, registered, ViewQuery.of(View.WB_SCORE));
        assertThat(row(wb, "m").value()).isCloseTo(60.0, within(EXACT));
        assertThat(wb.params()).containsEntry("judge", "wb");
        // judge= picks another
        LeaderboardSnapshot asked =
                view(slots, registered, new ViewQuery(View.SCORE, null, null, null, null, null, false, 100, "wb"));
        assertThat(row(asked, "m").value()).isEqualTo(8.0);
        assertThat(asked.judgments()).isEqualTo(1);
        // unregistered: the first judge by id, and for wb-score the first with scores on 1–10
        assertThat(view(slots, NO_MODELS, ViewQuery.of(View.SCORE)).params()).containsEntry("judge", "f1");
        assertThat(view(slots, NO_MODELS, ViewQuery.of(View.WB_SCORE)).params()).containsEntry("judge", "wb");
        // WB_score of [0, 1] scores is no number: no rows
        assertThat(view(slots, registered, new ViewQuery(View.WB_SCORE, null, null, null, null, null, false, 100, "f1"))
                        .rows())
                .isEmpty();
    }

    @Test
    void anUnknownJudgeOrBaselineIsRefusedWithTheKnownOnes() {
        // Given: m scored by f1 and wb; m2 judged pairwise against baseline a
        List<Slot> slots = fold(List.of(
                Judgments.score("b", "i1", "m", "f1", Protocol.REFERENCE, 0.5, 0, 1),
                Judgments.score("b", "i1", "m", "wb", Protocol.SCORE, 8, 1, 10),
                Judgments.pairwise("b", "p1", "Creative Tasks", "m2", PairwiseOutcome.BETTER, "a", 1, 1, false, T0)));

        // Then: a judge with no verdicts of the view's kind names those that have some
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                        () -> view(
                                slots,
                                NO_MODELS,
                                new ViewQuery(View.SCORE, null, null, null, null, null, false, 100, "nope")),
                        UnknownParameterException.class))
                .satisfies(e -> {
                    assertThat(e.getMessage()).isEqualTo("unknown judge 'nope'; known: f1, wb");
                    assertThat(e.parameter()).isEqualTo("judge");
                    assertThat(e.known()).containsExactly("f1", "wb");
                });
        // And: an unknown baseline of a pairwise view names the baselines in the verdicts
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                        () -> view(
                                slots,
                                NO_MODELS,
                                new ViewQuery(View.WB_REWARD, null, null, "zz", null, null, false, 100)),
                        UnknownParameterException.class))
                .satisfies(e -> assertThat(e.getMessage()).isEqualTo("unknown baseline 'zz'; known: a"));
        // And: known ones still answer, and a baseline on a view without baselines is not checked
        assertThat(view(slots, NO_MODELS, new ViewQuery(View.WB_REWARD, null, null, "a", null, null, false, 100))
                        .rows())
                .extracting(Row::modelId)
                .containsExactly("m2");
        assertThat(view(slots, NO_MODELS, new ViewQuery(View.SCORE, null, null, "zz", null, null, false, 100))
                        .rows())
                .hasSize(1);
        // And: bt's anchor is a model of the battles, either side (a misspelt one is not ignored under its name)
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                        () -> view(slots, NO_MODELS, new ViewQuery(View.BT, null, null, null, "A", null, false, 100)),
                        UnknownParameterException.class))
                .satisfies(e -> assertThat(e.getMessage()).isEqualTo("unknown anchor 'A'; known: a, m2"));
        assertThat(view(slots, NO_MODELS, new ViewQuery(View.BT, null, null, null, "a", null, false, 100))
                        .rows())
                .extracting(Row::modelId)
                .containsExactlyInAnyOrder("a", "m2");
    }

    @Test
    void winRateIntervalStaysWithinZeroToHundred() {
        // Given: preferences 1, 1, 1, 2 against base → p − 1 = 0, 0, 0, 1: win rate 25, sample sd .5,
        // standard error 100·.5/√4 = 25
        List<Slot> slots = fold(List.of(
                Judgments.preference("b", "i1", "m", 1, "base"),
                Judgments.preference("b", "i2", "m", 1, "base"),
                Judgments.preference("b", "i3", "m", 1, "base"),
                Judgments.preference("b", "i4", "m", 2, "base")));

        // When
        Row m = row(view(slots, NO_MODELS, ViewQuery.of(View.WINRATE)), "m");

        // Then: AlpacaEval's standard error, and Wilson's interval of 1 win in 4 (by hand), inside [0, 100] where
        // 25 ∓ 1.96·25 would be [−24, 74]
        assertThat(m.value()).isCloseTo(25.0, within(EXACT));
        assertThat((double) m.metrics().get("standard_error")).isCloseTo(25.0, within(EXACT));
        assertThat(m.lower()).isCloseTo(4.558726080970056642, within(EXACT));
        assertThat(m.upper()).isCloseTo(69.93581574175980844, within(EXACT));
    }

    @Test
    void lcWinRateFitsEachModelOnItsVerdictsWithTheirLengthsAndDifficulty() {
        // Given: two models over twelve items against base, lengths and difficulty in the details; the
        // long model wins mostly where it is longer
        List<Judgment> js = new ArrayList<>();
        List<LengthControlled.Pair> longPairs = new ArrayList<>();
        Map<String, Double> gamma = new TreeMap<>();
        for (int i = 0; i < 12; i++) {
            String item = "i" + (10 + i);
            double g = (i % 4) - 1.5;
            gamma.put(item, g);
            int longChars = 400 + 150 * (i % 5);
            double longPref = i % 3 == 0 ? 1.0 : i % 5 == 0 ? 0.0 : 2.0;
            js.add(Judgments.preference("b", item, "long", longPref, "base", longChars, 500, g));
            js.add(Judgments.preference("b", item, "short", i % 2 == 0 ? 2.0 : 1.0, "base", 300 + 10 * i, 500, g));
            longPairs.add(new LengthControlled.Pair(item, longPref, longChars, 500));
        }
        js.add(Judgments.preference("b", "i99", "few", 2.0, "base", 100, 500, 0.0));

        // When
        LeaderboardSnapshot s = view(fold(js), NO_MODELS, ViewQuery.of(View.LC_WINRATE));

        // Then: the row is the model's own GLM (slot-key order is item order here), with the raw win rate
        // beside it; a model with fewer verdicts than CV folds has no row
        LengthControlled.Fit fit = LengthControlled.fit(longPairs, Map.of(), gamma);
        Row longRow = row(s, "long");
        assertThat(longRow.value()).isCloseTo(fit.lcWinRate(), within(EXACT));
        assertThat((double) longRow.metrics().get("lc_standard_error")).isCloseTo(fit.lcStandardError(), within(EXACT));
        assertThat(longRow.n()).isEqualTo(12);
        assertThat(longRow.lower()).isLessThanOrEqualTo(longRow.value());
        assertThat(longRow.upper()).isGreaterThanOrEqualTo(longRow.value());
        assertThat(longRow.metrics())
                .containsEntry("instruction_difficulty", "metadata")
                .containsEntry("baseline", "base")
                .containsEntry("C", fit.c())
                // 400 + 150·(i mod 5) over i = 0..11: 400 + 150·21/12 = 662.5, truncated as AlpacaEval's int(mean)
                .containsEntry("avg_length", 662L)
                .containsKey("np.tanh(std_delta_len)");
        assertThat((double) longRow.metrics().get("win_rate"))
                .isCloseTo(
                        WinRate.of(longPairs.stream()
                                        .mapToDouble(LengthControlled.Pair::preference)
                                        .toArray())
                                .winRate(),
                        within(EXACT));
        assertThat(s.rows()).extracting(Row::modelId).containsExactlyInAnyOrder("long", "short");
        assertThat(longRow.metrics()).doesNotContainKey("separated");
    }

    @Test
    void anLcWinRateModelThatEveryVerdictPrefersHasNoInterval() {
        // Given: twelve items against base; "sweep" is preferred on every one, "never" on none, "mixed" on some
        List<Judgment> js = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String item = "i" + (10 + i);
            double g = (i % 4) - 1.5;
            js.add(Judgments.preference("b", item, "sweep", 2.0, "base", 400 + 30 * i, 500, g));
            js.add(Judgments.preference("b", item, "never", 1.0, "base", 400 + 30 * i, 500, g));
            js.add(Judgments.preference("b", item, "mixed", i % 3 == 0 ? 1.0 : 2.0, "base", 400 + 30 * i, 500, g));
        }

        // When
        LeaderboardSnapshot s = view(fold(js), NO_MODELS, ViewQuery.of(View.LC_WINRATE));

        // Then: the fit of a model every verdict prefers (or none does) is held only by its L1 penalty, so it gets
        // no interval, where the delta method gave one of no width; the others keep theirs
        for (String m : List.of("sweep", "never")) {
            Row r = row(s, m);
            assertThat(r.lower()).as(m).isNull();
            assertThat(r.upper()).as(m).isNull();
            assertThat(r.metrics()).as(m).containsEntry("separated", true);
        }
        assertThat(row(s, "sweep").value()).isGreaterThan(99);
        assertThat(row(s, "never").value()).isLessThan(1);
        Row mixed = row(s, "mixed");
        assertThat(mixed.lower()).isNotNull().isLessThan(mixed.upper());
        assertThat(mixed.metrics()).doesNotContainKey("separated");
    }

    @Test
    void theBaselineJudgedAgainstItselfIsFiftyWithNoStandardError() {
        // Given: the baseline judged against itself on three items; on another ledger, on one
        List<Judgment> js = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            js.add(Judgments.preference("b", "i" + i, "base", i == 0 ? 2.0 : 1.0, "base", 400, 400, 0.0));
        }
        List<Judgment> one = List.of(Judgments.preference("b", "i9", "base", 2.0, "base", 400, 400, 0.0));

        // When
        Row b = row(view(fold(js), NO_MODELS, ViewQuery.of(View.LC_WINRATE)), "base");
        Row c = row(view(fold(one), NO_MODELS, ViewQuery.of(View.LC_WINRATE)), "base");

        // Then: as upstream, its predictions are all 0.5: LC 50 and their sem 0; of one verdict the sem is NaN
        // (pandas'), published as null
        assertThat(b.value()).isEqualTo(50.0);
        assertThat(b.metrics())
                .containsEntry("length_controlled_winrate", 50.0)
                .containsEntry("lc_standard_error", 0.0);
        assertThat(c.metrics()).containsEntry("lc_standard_error", null);
    }

    @Test
    void regressionFlipsAgainstThePreviousVersion() {
        // Given: v2 declares v1 as its previous version; shared items i1..i4
        ModelSpec v2 = new ModelSpec(
                "v2", null, Provider.SIM, null, null, null, null, null, "v1", null, null, null, null, null);
        Leaderboards.Context ctx = new Leaderboards.Context(Map.of("v2", v2), null);
        List<Slot> slots = fold(List.of(
                Judgments.correct("b", "i1", "c", "v1", true),
                Judgments.correct("b", "i1", "c", "v2", false),
                Judgments.correct("b", "i2", "c", "v1", true),
                Judgments.correct("b", "i2", "c", "v2", true),
                Judgments.correct("b", "i3", "c", "v1", false),
                Judgments.correct("b", "i3", "c", "v2", true),
                Judgments.correct("b", "i4", "c", "v1", true),
                Judgments.correct("b", "i4", "c", "v2", false),
                Judgments.correct("b", "i5", "c", "v2", false)));

        // When
        LeaderboardSnapshot s = view(slots, ctx, ViewQuery.of(View.REGRESSION));

        // Then: 4 shared; i1, i4 negative flips, i3 a positive flip
        Row r = row(s, "v2");
        assertThat(r.metrics())
                .containsEntry("shared", 4L)
                .containsEntry("negative_flips", 2L)
                .containsEntry("positive_flips", 1L)
                .containsEntry("negative_flip_rate", 0.5)
                .containsEntry("positive_flip_rate", 0.25)
                .containsEntry("previousVersion", "v1");
        assertThat(r.value()).isEqualTo(0.5);
        assertThat(s.rows()).hasSize(1);
    }

    @Test
    void formatSpreadAndPostCutoffAndWindow() {
        // Given: m answers 2/2 in format a and 1/2 in format b; items published on Jan 1 and Jan 9
        Instant jan1 = Instant.parse("2026-01-01T12:00:00Z");
        Instant jan9 = Instant.parse("2026-01-09T12:00:00Z");
        List<Slot> slots = fold(List.of(
                Judgments.correctAt("b", "i1", "m", true, "a", jan1, T0),
                Judgments.correctAt("b", "i2", "m", true, "a", jan9, T0),
                Judgments.correctAt("b", "i1", "m", true, "b", jan1, T0),
                Judgments.correctAt("b", "i2", "m", false, "b", jan9, T0)));
        ModelSpec m = new ModelSpec(
                "m",
                null,
                Provider.SIM,
                null,
                null,
                null,
                null,
                LocalDate.parse("2026-01-01"),
                null,
                null,
                null,
                null,
                null,
                null);
        Leaderboards.Context ctx = new Leaderboards.Context(Map.of("m", m), null);

        // Then: format-spread mean (1 + 0.5)/2, min 0.5, max 1
        Row spread = row(view(slots, ctx, ViewQuery.of(View.FORMAT_SPREAD)), "m");
        assertThat(spread.value()).isEqualTo(0.75);
        assertThat(spread.lower()).isEqualTo(0.5);
        assertThat(spread.upper()).isEqualTo(1.0);
        assertThat(spread.metrics()).containsEntry("spread", 0.5);
        assertThat(spread.categories()).containsOnlyKeys("a", "b");

        // Then: after the Jan 1 cutoff only the Jan 9 item counts: 1 of 2
        Row post = row(view(slots, ctx, ViewQuery.of(View.POST_CUTOFF)), "m");
        assertThat(post.n()).isEqualTo(2);
        assertThat(post.value()).isEqualTo(0.5);

        // Then: a 3-day window before the newest item (Jan 9) keeps the same two
        Row windowed = row(
                view(slots, ctx, new ViewQuery(View.ACCURACY, null, null, null, null, Duration.ofDays(3), false, 100)),
                "m");
        assertThat(windowed.n()).isEqualTo(2);

        // And: a model without a declared cutoff has no post-cutoff row
        assertThat(view(slots, NO_MODELS, ViewQuery.of(View.POST_CUTOFF)).rows())
                .isEmpty();
    }

    @Test
    void stabilityComparesWithTheRankingLagJudgmentsEarlier() {
        // Given: seven judgments in judgedAt order; x leads early, y leads at the end
        List<Judgment> js = new ArrayList<>();
        js.add(Judgments.correctAt("b", "i1", "x", true, "a", T0, T0.plusSeconds(1)));
        js.add(Judgments.correctAt("b", "i2", "x", true, "a", T0, T0.plusSeconds(2)));
        js.add(Judgments.correctAt("b", "i1", "y", false, "a", T0, T0.plusSeconds(3)));
        js.add(Judgments.correctAt("b", "i2", "y", true, "a", T0, T0.plusSeconds(4)));
        js.add(Judgments.correctAt("b", "i3", "x", false, "a", T0, T0.plusSeconds(5)));
        js.add(Judgments.correctAt("b", "i3", "y", true, "a", T0, T0.plusSeconds(6)));
        js.add(Judgments.correctAt("b", "i4", "y", true, "a", T0, T0.plusSeconds(7)));
        // Arrival order must not matter: fold them shuffled
        java.util.Collections.reverse(js);
        List<Slot> slots = fold(js);

        // Then: now y 3/4 > x 2/3; three judgments earlier x 2/2 > y 1/2 → the one pair is discordant
        LeaderboardSnapshot lag3 = view(slots, NO_MODELS, query(3));
        assertThat(lag3.rows()).extracting(Row::modelId).containsExactly("y", "x");
        assertThat(lag3.kendallTau()).isEqualTo(-1.0);
        assertThat(lag3.kendallTauLag()).isEqualTo(3L);
        // And: one judgment earlier y 2/3 = x 2/3: the only pair is tied there, tau-b undefined (null);
        // lag 0 turns stability off; with nothing earlier it is undefined
        assertThat(view(slots, NO_MODELS, query(1)).kendallTau()).isNull();
        assertThat(view(slots, NO_MODELS, query(0)).kendallTau()).isNull();
        assertThat(view(slots, NO_MODELS, query(7)).kendallTau()).isNull();
    }

    private static ViewQuery query(int lag) {
        return new ViewQuery(View.ACCURACY, null, null, null, null, null, false, lag);
    }

    @Test
    void wbScoreCountsAnItemInEachOfItsCategoriesAndTaskMacroDividesByAllFiveWeights() {
        // Given: WildBench's five task groups (default weights); items in one or two groups, as WildBench
        // maps an item's primary and secondary tags (_create_tables.py lines 25-31 in allenai/WildBench).
        // m1 answers all four; m2 has no countable Coding or Information item (its i2 answer is truncated).
        String cr = "Creative Tasks";
        String pr = "Planning & Reasoning";
        String co = "Coding & Debugging";
        String ma = "Math & Data Analysis";
        String in = "Information/Advice seeking";
        Map<String, List<String>> cats =
                Map.of("i1", List.of(cr, pr), "i2", List.of(co), "i3", List.of(ma, pr), "i4", List.of(in));
        List<Judgment> js = new java.util.ArrayList<>();
        Map<String, Double> m1 = Map.of("i1", 8.0, "i2", 6.0, "i3", 9.0, "i4", 7.0);
        m1.forEach((item, v) ->
                js.add(Judgments.with(Judgments.score("b", item, "x", "m1", v, false), cats.get(item), null)));
        js.add(Judgments.with(Judgments.score("b", "i1", "x", "m2", 4.0, false), cats.get("i1"), null));
        js.add(Judgments.with(Judgments.score("b", "i3", "x", "m2", 10.0, false), cats.get("i3"), null));
        js.add(Judgments.with(Judgments.score("b", "i2", "x", "m2", 2.0, true), cats.get("i2"), null));

        // When
        LeaderboardSnapshot s = view(fold(js), NO_MODELS, ViewQuery.of(View.WB_SCORE));

        // Then, by hand with WildBench's formula (score branch of _create_tables.py; ×10 as its leaderboard):
        // m1: WB_score (7.5 − 5)·20 = 50; Creative 8 → 60; P&R (8 + 9)/2 → 70; Coding 6 → 20; Math 9 → 80;
        // Info 7 → 40; task_macro = (0.5·60 + 1.25·70 + 1.25·20 + 1·80 + 0.75·40) / 4.75 = 252.5 / 4.75
        Map<String, Object> r1 = row(s, "m1").metrics();
        assertThat((double) r1.get("WB_score")).isCloseTo(50.0, within(EXACT));
        assertThat((double) r1.get("WB_score." + pr)).isCloseTo(70.0, within(EXACT));
        assertThat(row(s, "m1").categories().get(pr).n()).isEqualTo(2);
        // WildBench gives no interval per category: none, not the value twice
        assertThat(row(s, "m1").categories().get(pr).lower()).isNull();
        assertThat(row(s, "m1").categories().get(pr).upper()).isNull();
        assertThat((double) r1.get("WB_score.task_macro")).isCloseTo(252.5 / 4.75, within(EXACT));
        // m2: WB_score over all three scores, the truncated one included: (16/3 − 5)·20; Creative 4 → −20;
        // P&R (4 + 10)/2 → 40; Math 10 → 100; no Coding, no Info: they count 0 over the same 4.75
        Map<String, Object> r2 = row(s, "m2").metrics();
        assertThat((double) r2.get("WB_score")).isCloseTo((16.0 / 3 - 5) * 20, within(EXACT));
        assertThat(r2).doesNotContainKey("WB_score." + co).doesNotContainKey("WB_score." + in);
        assertThat((double) r2.get("WB_score.task_macro")).isCloseTo(140 / 4.75, within(EXACT));
    }

    @Test
    void wbRewardLeavesAPairWithATruncatedOrEmptyBaselineAnswerOutOfEveryBucket() {
        // Given: m1 against a: much_better where a's answer was truncated, tie where it was empty, a plain better
        Judgment truncatedBase = Judgments.pairwise(
                "b", "p1", "Creative Tasks", "m1", PairwiseOutcome.MUCH_BETTER, "a", 100, 100, false, T0);
        Judgment emptyBase =
                Judgments.pairwise("b", "p2", "Creative Tasks", "m1", PairwiseOutcome.TIE, "a", 100, 0, false, T0);
        Judgment plain =
                Judgments.pairwise("b", "p3", "Creative Tasks", "m1", PairwiseOutcome.BETTER, "a", 100, 100, false, T0);
        List<Judgment> js = List.of(
                Judgments.with(truncatedBase, List.of("Creative Tasks"), flags(truncatedBase.pairwise(), true, false)),
                Judgments.with(emptyBase, List.of("Creative Tasks"), flags(emptyBase.pairwise(), false, true)),
                plain);

        // When
        Row m1 = row(view(fold(js), NO_MODELS, ViewQuery.of(View.WB_REWARD)), "m1");

        // Then: as WildBench (pairwise branch of _create_tables.py: `if test_model_truncated or
        // ref_model_truncated: continue`, and the same for empty), both stay in total only: 100·0.5/3
        assertThat(((Map<?, ?>) m1.metrics().get("reward")).get("a")).isEqualTo(100.0 * 0.5 / 3);
        Map<?, ?> counts = (Map<?, ?>) ((Map<?, ?>) m1.metrics().get("counts")).get("a");
        assertThat(counts.get("much_better")).isEqualTo(0L);
        assertThat(counts.get("better")).isEqualTo(1L);
        assertThat(counts.get("tie")).isEqualTo(0L);
        assertThat(counts.get("total")).isEqualTo(3L);
    }

    private static Judgment.Pairwise flags(Judgment.Pairwise p, boolean truncated, boolean empty) {
        return new Judgment.Pairwise(
                p.outcome(),
                p.baselineModel(),
                p.baselineRequestId(),
                p.baselineChars(),
                p.order(),
                p.verdicts(),
                truncated,
                empty);
    }

    @Test
    void oneScoredItemHasNoBootstrapIntervalNotAPoint() {
        // Given one imported 1–10 score of m, and two of m2 that differ
        List<Slot> slots = fold(List.of(
                Judgments.score("b", "i1", "c", "m", 8, false),
                Judgments.score("b", "i1", "c", "m2", 6, false),
                Judgments.score("b", "i2", "c", "m2", 9, false)));

        // Then m's score and WB_score have no interval (every replicate is its one item), overall and in c,
        // and m2's have one
        for (View v : List.of(View.SCORE, View.WB_SCORE)) {
            LeaderboardSnapshot s = view(slots, NO_MODELS, ViewQuery.of(v));
            Row m = row(s, "m");
            assertThat(m.lower()).as(v.name()).isNull();
            assertThat(m.upper()).as(v.name()).isNull();
            assertThat(row(s, "m2").upper())
                    .as(v.name())
                    .isGreaterThan(row(s, "m2").lower());
            if (v == View.SCORE) {
                assertThat(m.categories().get("c").lower()).isNull();
            }
        }
    }
}
