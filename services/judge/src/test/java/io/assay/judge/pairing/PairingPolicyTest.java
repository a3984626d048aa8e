package io.assay.judge.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.Ids;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.judge.pairing.PairingPolicy.Pair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pairing policies on hand-worked cases. */
class PairingPolicyTest {
    private static final JudgeSpec.Pairing ADAPTIVE = new JudgeSpec.Pairing(JudgeSpec.Pairing.ADAPTIVE, 1);
    private static final JudgeSpec.Pairing ADAPTIVE_TWO = new JudgeSpec.Pairing(JudgeSpec.Pairing.ADAPTIVE, 2);
    private static final List<String> BASELINES = List.of("base");
    private static final String ITEM = "bench/q1";

    /**
     * Ratings (lower, upper): base 990–1010, a 1000–1040, b 1045–1080, c 1030–1050, d 900–950. For a:
     * base overlaps (990–1010 ∩ 1000–1040), c overlaps (1030–1050), b does not (1045 > 1040), d does not.
     */
    private static final Optional<LeaderboardSnapshot> BT = Optional.of(snapshot(
            row("base", 1000.0, 990.0, 1010.0),
            row("a", 1020.0, 1000.0, 1040.0),
            row("b", 1060.0, 1045.0, 1080.0),
            row("c", 1040.0, 1030.0, 1050.0),
            row("d", 925.0, 900.0, 950.0),
            row("unidentified", 1500.0, null, null)));

    @Test
    void byDefaultAnAnswerMeetsEachBaselineAndABaselineMeetsEveryAnswer() {
        assertThat(PairingPolicy.pairs(null, List.of("b1", "b2"), ITEM, "v", "m", List.of("b2", "x", "m", "b1"), BT))
                .containsExactly(new Pair("m", "b1"), new Pair("m", "b2"));
        assertThat(PairingPolicy.pairs(null, List.of("b1", "b2"), ITEM, "v", "b1", List.of("b2", "x", "b1"), BT))
                .containsExactly(new Pair("b1", "b2"), new Pair("b2", "b1"), new Pair("x", "b1"));
    }

    @Test
    void adaptivePairsOnlyWithOpponentsWhoseIntervalsOverlap() {
        // a overlaps base and c, not b or d: with two opponents it meets exactly base and c
        List<Pair> pairs =
                PairingPolicy.pairs(ADAPTIVE_TWO, BASELINES, ITEM, "v", "a", List.of("base", "b", "c", "d"), BT);
        assertThat(pairs).containsExactlyInAnyOrder(new Pair("a", "base"), new Pair("a", "c"));
        // d overlaps nobody present: no judge call is spent on it
        assertThat(PairingPolicy.pairs(ADAPTIVE_TWO, BASELINES, ITEM, "v", "d", List.of("base", "a", "b"), BT))
                .isEmpty();
    }

    @Test
    void aMissingBoundIsUnboundedOnItsSide() {
        // top is bounded below only (1040, ∞): it overlaps a (1000–1040, touching) and b, c, not base or d;
        // bottom, bounded above only (−∞, 995], overlaps base and d only
        Optional<LeaderboardSnapshot> bt = Optional.of(snapshot(
                row("base", 1000.0, 990.0, 1010.0),
                row("a", 1020.0, 1000.0, 1040.0),
                row("b", 1060.0, 1045.0, 1080.0),
                row("c", 1040.0, 1030.0, 1050.0),
                row("d", 925.0, 900.0, 950.0),
                row("top", 1500.0, 1040.0, null),
                row("bottom", 700.0, null, 995.0)));
        List<String> others = List.of("base", "a", "b", "c", "d");
        assertThat(PairingPolicy.pairs(
                        new JudgeSpec.Pairing(JudgeSpec.Pairing.ADAPTIVE, 5), BASELINES, ITEM, "v", "top", others, bt))
                .containsExactlyInAnyOrder(new Pair("a", "top"), new Pair("b", "top"), new Pair("c", "top"));
        assertThat(PairingPolicy.pairs(
                        new JudgeSpec.Pairing(JudgeSpec.Pairing.ADAPTIVE, 5),
                        BASELINES,
                        ITEM,
                        "v",
                        "bottom",
                        others,
                        bt))
                .containsExactlyInAnyOrder(new Pair("bottom", "base"), new Pair("bottom", "d"));
    }

    @Test
    void touchingBoundsOverlap() {
        // b 1045–1080 and c 1030–1050 share [1045, 1050]; p 0–1 and q 1–2 share only the point 1
        assertThat(PairingPolicy.pairs(ADAPTIVE, BASELINES, ITEM, "v", "b", List.of("c"), BT))
                .containsExactly(new Pair("b", "c"));
        Optional<LeaderboardSnapshot> touching =
                Optional.of(snapshot(row("p", 1.0, 0.0, 1.0), row("q", 2.0, 1.0, 2.0)));
        assertThat(PairingPolicy.pairs(ADAPTIVE, List.of(), ITEM, "v", "p", List.of("q"), touching))
                .containsExactly(new Pair("p", "q"));
    }

    @Test
    void theBudgetPicksTheOpponentsWithTheSmallestHashOfItemVariantAndModels() {
        // a's overlapping opponents are base and c; with one opponent the one with the smaller hash wins
        String hBase = Ids.hash("pairing", ITEM, "v", "a", "base");
        String hC = Ids.hash("pairing", ITEM, "v", "a", "c");
        Pair expected = hBase.compareTo(hC) < 0 ? new Pair("a", "base") : new Pair("a", "c");
        assertThat(PairingPolicy.pairs(ADAPTIVE, BASELINES, ITEM, "v", "a", List.of("c", "base", "b"), BT))
                .containsExactly(expected);
        // the same whatever the store order, and over many items both opponents are chosen
        assertThat(PairingPolicy.pairs(ADAPTIVE, BASELINES, ITEM, "v", "a", List.of("b", "base", "c"), BT))
                .containsExactly(expected);
        List<Pair> chosen = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            chosen.addAll(PairingPolicy.pairs(ADAPTIVE, BASELINES, "bench/q" + i, "v", "a", List.of("base", "c"), BT));
        }
        assertThat(chosen).contains(new Pair("a", "base"), new Pair("a", "c")).hasSize(40);
    }

    @Test
    void opponentsWithoutAnIntervalCountAsOverlappingAndTiesGoByName() {
        // x is not in the snapshot and "unidentified" has no interval: both are open for a
        List<Pair> pairs = PairingPolicy.pairs(
                new JudgeSpec.Pairing(JudgeSpec.Pairing.ADAPTIVE, 10),
                BASELINES,
                ITEM,
                "v",
                "a",
                List.of("x", "unidentified", "b", "d"),
                BT);
        assertThat(pairs).containsExactlyInAnyOrder(new Pair("a", "x"), new Pair("a", "unidentified"));
        // equal ratings and intervals (a tie on the leaderboard) overlap
        Optional<LeaderboardSnapshot> tied =
                Optional.of(snapshot(row("p", 1000.0, 990.0, 1010.0), row("q", 1000.0, 990.0, 1010.0)));
        assertThat(PairingPolicy.pairs(ADAPTIVE, List.of(), ITEM, "v", "q", List.of("p"), tied))
                .containsExactly(new Pair("p", "q"));
    }

    @Test
    void withoutAnIntervalOfItsOwnAnAnswerFallsBackToTheBaselines() {
        List<String> present = List.of("base", "b", "c");
        List<Pair> fixed = List.of(new Pair("a", "base"));
        // no snapshot, a snapshot without the model, a model the battles do not identify
        assertThat(PairingPolicy.pairs(ADAPTIVE, BASELINES, ITEM, "v", "a", present, Optional.empty()))
                .isEqualTo(fixed);
        assertThat(PairingPolicy.pairs(ADAPTIVE, BASELINES, ITEM, "v", "new", present, BT))
                .containsExactly(new Pair("new", "base"));
        assertThat(PairingPolicy.pairs(ADAPTIVE, BASELINES, ITEM, "v", "unidentified", present, BT))
                .containsExactly(new Pair("unidentified", "base"));
        // an adaptive baseline without a rating meets every answer, as under the baselines policy
        Optional<LeaderboardSnapshot> noBase = Optional.of(snapshot(row("a", 1020.0, 1000.0, 1040.0)));
        assertThat(PairingPolicy.pairs(ADAPTIVE, BASELINES, ITEM, "v", "base", List.of("a", "b"), noBase))
                .containsExactly(new Pair("a", "base"), new Pair("b", "base"));
    }

    @Test
    void anAdaptivePairIsOrientedTheSameWhicheverAnswerArrivesSecond() {
        // a declared baseline is the baseline side; else the model whose id sorts last
        assertThat(PairingPolicy.pairs(ADAPTIVE, BASELINES, ITEM, "v", "base", List.of("a"), BT))
                .containsExactly(new Pair("a", "base"));
        assertThat(PairingPolicy.pairs(ADAPTIVE, BASELINES, ITEM, "v", "c", List.of("a"), BT))
                .containsExactly(new Pair("a", "c"));
        assertThat(PairingPolicy.pairs(ADAPTIVE, BASELINES, ITEM, "v", "a", List.of("c"), BT))
                .containsExactly(new Pair("a", "c"));
    }

    @Test
    void theBaselinesPolicyIgnoresTheSnapshot() {
        JudgeSpec.Pairing baselines = new JudgeSpec.Pairing(JudgeSpec.Pairing.BASELINES, 1);
        assertThat(PairingPolicy.pairs(baselines, BASELINES, ITEM, "v", "a", List.of("base", "c"), BT))
                .containsExactly(new Pair("a", "base"));
    }

    private static Row row(String model, double value, Double lower, Double upper) {
        return new Row(0, model, true, value, lower, upper, 10, Map.of(), Map.of());
    }

    private static LeaderboardSnapshot snapshot(Row... rows) {
        List<Row> sorted = new ArrayList<>(List.of(rows));
        sorted.sort(Comparator.comparingDouble(Row::value).reversed());
        return new LeaderboardSnapshot("bench", PairingPolicy.VIEW, Instant.EPOCH, 100, sorted);
    }
}
