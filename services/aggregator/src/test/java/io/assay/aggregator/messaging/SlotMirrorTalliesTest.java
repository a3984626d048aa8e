package io.assay.aggregator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.Leaderboards;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.TalliedViews;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.contracts.LeaderboardSnapshot;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The mirror keeps each benchmark's tallies in step with its slots through writes, revisions, a
 * partition restored with other slots and a partition dropped: the tallied view is the one its slots give.
 */
class SlotMirrorTalliesTest {
    private static final Instant AS_OF = Instant.parse("2026-12-01T00:00:00Z");
    private static final Leaderboards.Context CTX = new Leaderboards.Context(Map.of(), null);

    @Test
    void talliesFollowWritesRestoresAndDrops() {
        SlotMirror mirror = new SlotMirror();
        // Given: two partitions of benchmark b, one of benchmark other
        for (int i = 0; i < 40; i++) {
            mirror.put(i % 2, key("b", i), slot(i, i % 3 == 0));
        }
        mirror.put(0, key("other", 1), slot(1, true));
        assertSameAsSlots(mirror);

        // When: slots are revised, then partition 1 is restored with fewer, different verdicts
        for (int i = 0; i < 40; i += 4) {
            mirror.put(i % 2, key("b", i), slot(i + 100, i % 5 == 0));
        }
        assertSameAsSlots(mirror);
        Map<String, Slot> restored = new TreeMap<>();
        for (int i = 1; i < 20; i += 2) {
            restored.put(key("b", i), slot(i + 200, true));
        }
        mirror.reset(1, restored);
        assertSameAsSlots(mirror);

        // Then: dropping a partition takes its slots out of the tallies too
        mirror.drop(0);
        assertSameAsSlots(mirror);
        assertThat(mirror.<Long>tallied("other", t -> t.slots())).isZero();
        mirror.drop(1);
        assertThat(mirror.<Long>tallied("b", t -> t.slots())).isZero();
    }

    @Test
    void theMirrorKeepsSlotsWithoutTheDrillDownText() {
        // Given a pairwise slot with its judge's rationale and both raw verdicts
        Slot withText = new Slot(
                "j1",
                1,
                true,
                "c",
                false,
                "q1",
                "m1",
                io.assay.contracts.JudgmentKind.PAIRWISE,
                null,
                "mt",
                null,
                io.assay.contracts.PairwiseOutcome.BETTER,
                "base",
                10,
                12,
                false,
                null,
                AS_OF,
                AS_OF,
                "r1",
                "a rationale ".repeat(150),
                null,
                null,
                null,
                "1",
                null,
                "both",
                java.util.List.of("A>B", "B>A"));
        SlotMirror mirror = new SlotMirror();

        // When it is written, and when its partition is restored with it
        mirror.put(0, key("b", 2), withText);
        Slot written = mirror.slots("b").get(0);
        mirror.reset(0, Map.of(key("b", 2), withText));
        Slot restored = mirror.slots("b").get(0);

        // Then the mirror has it without the rationale and the raw verdicts, everything else equal
        for (Slot kept : java.util.List.of(written, restored)) {
            assertThat(kept.rationale()).isNull();
            assertThat(kept.pairVerdicts()).isNull();
            assertThat(kept)
                    .usingRecursiveComparison()
                    .ignoringFields("rationale", "pairVerdicts")
                    .isEqualTo(withText);
        }
    }

    private static void assertSameAsSlots(SlotMirror mirror) {
        ViewQuery q = new ViewQuery(View.ACCURACY, null, null, null, null, null, false, 3);
        Optional<LeaderboardSnapshot> tallied = mirror.tallied("b", t -> TalliedViews.build("b", t, CTX, q, AS_OF));
        assertThat(tallied).contains(Leaderboards.build("b", mirror.slots("b"), CTX, q, AS_OF));
        assertThat(mirror.<Long>tallied("b", t -> t.slots()))
                .isEqualTo((long) mirror.slots("b").size());
    }

    private static String key(String benchmark, int i) {
        return String.join(Fold.SEPARATOR, benchmark, "q" + i / 2, "m" + i % 4, "-", "exact", "1");
    }

    private static Slot slot(int i, boolean correct) {
        return new Slot(
                "j" + i,
                1,
                correct,
                "c" + i % 3,
                i % 11 == 0,
                "q" + i / 2 % 20,
                "m" + i % 4,
                null,
                null,
                "exact",
                null,
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                AS_OF.minusSeconds(1000 - i),
                null,
                null,
                null,
                null,
                null,
                "1",
                null,
                null,
                null);
    }
}
