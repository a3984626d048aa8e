package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Provider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** The position-bias view, from verdicts counted by hand. */
class PositionBiasViewTest {
    private static final double EXACT = 1e-12;
    private static final Instant AS_OF = Instant.parse("2026-11-28T09:05:00Z");
    private static final ModelSpec SIM = new ModelSpec(
            "biased", null, Provider.SIM, null, null, null, null, null, null, null, null, null, null, null);

    /** {@code correct} right verdicts of {@code n}, on items whose correct choice was shown at {@code position}. */
    private static List<Judgment> at(String model, int position, int correct, int n) {
        List<Judgment> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(positioned(Judgments.correct("b", "p" + position + "-" + i, "mc", model, i < correct), position));
        }
        return out;
    }

    /** {@code j} as the choice scorer writes it: with where the correct choice was shown. */
    static Judgment positioned(Judgment j, Integer position) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scorer", "choice");
        if (position != null) {
            details.put("correctShownIndex", position);
        }
        return new Judgment(
                j.judgmentId(),
                j.benchmark(),
                j.itemId(),
                j.revision(),
                j.category(),
                j.publishedAt(),
                j.judge(),
                j.subject(),
                j.kind(),
                j.correct(),
                j.score(),
                j.pairwise(),
                j.preference(),
                j.extracted(),
                j.truncated(),
                j.empty(),
                j.unparseable(),
                j.rationale(),
                details,
                j.origin(),
                j.judgedAt());
    }

    static LeaderboardSnapshot view(List<Judgment> judgments, View view) {
        List<Slot> slots = FoldTest.slots(judgments);
        return Leaderboards.build(
                "b", slots, new Leaderboards.Context(Map.of("biased", SIM), null), ViewQuery.of(view), AS_OF);
    }

    @Test
    void anABiasedModelIsMoreAccurateWhereTheCorrectChoiceIsShownFirst() {
        // Given: "biased" right 8/10 where the correct choice was shown at A, 2/10 at B, 3/10 at C, 2/10 at D;
        // "fair" 5/10 everywhere; plus verdicts that say nothing of a position (a numeric item, an unparseable
        // one), which the view leaves out
        List<Judgment> judgments = new ArrayList<>();
        judgments.addAll(at("biased", 0, 8, 10));
        judgments.addAll(at("biased", 1, 2, 10));
        judgments.addAll(at("biased", 2, 3, 10));
        judgments.addAll(at("biased", 3, 2, 10));
        for (int p = 0; p < 4; p++) {
            judgments.addAll(at("fair", p, 5, 10));
        }
        judgments.add(Judgments.correct("b", "numeric-1", "arith", "biased", true));
        judgments.add(positioned(Judgments.unparseable("b", "p0-x", "mc", "biased"), 0));

        // When
        LeaderboardSnapshot s = view(judgments, View.POSITION_BIAS);

        // Then: fair 20/40 = 0.5 ranks above biased 15/40 = 0.375. Wilson, z = 1.959963984540054, by hand
        // (40 digits): 15/40 → [0.24222979167233272, 0.5296756086269889]; 8/10 → [0.4901624715366417,
        // 0.9433178485456247]; 2/10 → [0.05668215145437526, 0.5098375284633583]; 3/10 → [0.10779126740630103,
        // 0.6032218525388546]; 20/40 → [0.35199526933465386, 0.6480047306653461]; 5/10 → [0.236593090512564,
        // 0.763406909487436].
        assertThat(s.view()).isEqualTo("position-bias");
        assertThat(s.rows()).extracting(Row::modelId).containsExactly("fair", "biased");
        Row biased = s.rows().get(1);
        assertThat(biased.simulated()).isTrue();
        assertThat(biased.value()).isEqualTo(0.375);
        assertThat(biased.n()).isEqualTo(40);
        assertThat(biased.lower()).isCloseTo(0.24222979167233272, within(EXACT));
        assertThat(biased.upper()).isCloseTo(0.5296756086269889, within(EXACT));
        assertThat(biased.categories()).containsOnlyKeys("A", "B", "C", "D");
        assertCell(biased.categories().get("A"), 0.8, 0.4901624715366417, 0.9433178485456247, 10);
        assertCell(biased.categories().get("B"), 0.2, 0.05668215145437526, 0.5098375284633583, 10);
        assertCell(biased.categories().get("C"), 0.3, 0.10779126740630103, 0.6032218525388546, 10);
        assertCell(biased.categories().get("D"), 0.2, 0.05668215145437526, 0.5098375284633583, 10);
        // The A-bias shows: A's interval lies above B's and D's point estimates and overlaps little
        assertThat(biased.categories().get("A").lower())
                .isGreaterThan(biased.categories().get("B").value());
        // first = 8/10, rest = (2 + 3 + 2)/30 = 7/30, firstAdvantage = 0.8 − 7/30 = 0.5666…, spread 0.8 − 0.2
        assertThat((Double) biased.metrics().get("first")).isEqualTo(0.8);
        assertThat((Double) biased.metrics().get("rest")).isCloseTo(7.0 / 30, within(EXACT));
        assertThat((Double) biased.metrics().get("firstAdvantage")).isCloseTo(0.8 - 7.0 / 30, within(EXACT));
        assertThat((Double) biased.metrics().get("spread")).isCloseTo(0.6, within(EXACT));
        assertThat(biased.metrics()).containsEntry("positions", 4L).containsEntry("unparseable", 1L);

        Row fair = s.rows().get(0);
        assertThat(fair.value()).isEqualTo(0.5);
        assertThat(fair.lower()).isCloseTo(0.35199526933465386, within(EXACT));
        assertThat(fair.upper()).isCloseTo(0.6480047306653461, within(EXACT));
        for (String p : List.of("A", "B", "C", "D")) {
            assertCell(fair.categories().get(p), 0.5, 0.236593090512564, 0.763406909487436, 10);
        }
        assertThat((Double) fair.metrics().get("firstAdvantage")).isEqualTo(0.0);
        assertThat((Double) fair.metrics().get("spread")).isEqualTo(0.0);
    }

    @Test
    void withoutPositionsTheViewIsEmptyAndTheTalliesAnswerItAlike() {
        // Given only verdicts that do not say where the correct choice was shown
        List<Judgment> judgments = List.of(
                Judgments.correct("b", "i1", "arith", "biased", true),
                Judgments.correct("b", "i2", "arith", "biased", false));

        // Then the view has no rows, and the tallies answer it alike without the slots
        LeaderboardSnapshot s = view(judgments, View.POSITION_BIAS);
        assertThat(s.rows()).isEmpty();
        assertThat(s.judgments()).isEqualTo(2);
        BenchmarkTallies tallies = new BenchmarkTallies();
        FoldTest.folded(judgments).forEach((key, slot) -> Tallying.replace(tallies, key, null, slot));
        assertThat(TalliedViews.answers(tallies, ViewQuery.of(View.POSITION_BIAS)))
                .isTrue();
        assertThat(TalliedViews.build(
                                "b",
                                tallies,
                                Tallying.stored(tallies),
                                new Leaderboards.Context(Map.of("biased", SIM), null),
                                ViewQuery.of(View.POSITION_BIAS),
                                AS_OF)
                        .orElseThrow())
                .isEqualTo(s);
        // And with one positioned verdict the tallies answer with its row, as the slot path does
        List<Judgment> withOne = new ArrayList<>(judgments);
        withOne.add(positioned(Judgments.correct("b", "i3", "mc", "biased", true), 2));
        SortedMap<String, Slot> folded = FoldTest.folded(withOne);
        String key = folded.keySet().stream()
                .filter(k -> k.contains("|i3|"))
                .findFirst()
                .orElseThrow();
        Slot one = folded.get(key);
        assertThat(one.correctPosition()).isEqualTo(2);
        // (the copy the tallies keep has it)
        assertThat(one.withoutDrillDown().correctPosition()).isEqualTo(2);
        Tallying.replace(tallies, key, null, one);
        Leaderboards.Context ctx = new Leaderboards.Context(Map.of("biased", SIM), null);
        LeaderboardSnapshot expected =
                Leaderboards.build("b", List.copyOf(folded.values()), ctx, ViewQuery.of(View.POSITION_BIAS), AS_OF);
        assertThat(expected.rows())
                .singleElement()
                .satisfies(r -> assertThat(r.categories()).containsOnlyKeys("C"));
        assertThat(TalliedViews.build(
                        "b", tallies, Tallying.stored(tallies), ctx, ViewQuery.of(View.POSITION_BIAS), AS_OF))
                .contains(expected);
    }

    private static void assertCell(Cell c, double value, double lower, double upper, long n) {
        assertThat(c.value()).isCloseTo(value, within(EXACT));
        assertThat(c.lower()).isCloseTo(lower, within(EXACT));
        assertThat(c.upper()).isCloseTo(upper, within(EXACT));
        assertThat(c.n()).isEqualTo(n);
    }
}
