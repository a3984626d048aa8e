package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.PairwiseOutcome;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The fold's exactly-once-per-slot rules, over an in-memory store. */
class FoldTest {
    private final MapStore store = new MapStore();
    private final Fold fold = new Fold(store);

    /**
     * Reference-verdict counts of one model on one category, as the accuracy view sums them.
     *
     * @param n parseable verdicts
     * @param correct correct verdicts among them
     * @param unparseable verdicts that could not be parsed, excluded from {@code n}
     */
    private record Tally(String benchmark, String modelId, String category, long n, long correct, long unparseable) {
        Tally plus(Slot s) {
            return s.unparseable()
                    ? new Tally(benchmark, modelId, category, n, correct, unparseable + 1)
                    : new Tally(benchmark, modelId, category, n + 1, correct + (s.correct() ? 1 : 0), unparseable);
        }
    }

    /** The reference verdicts that count now, summed per {@code benchmark|model|category} ({@code -} for none). */
    private Map<String, Tally> tallies() {
        Map<String, Tally> out = new TreeMap<>();
        store.slots.values().stream()
                .filter(s -> s.kind() == JudgmentKind.CORRECT)
                .forEach(s -> out.merge(
                        "b|" + s.modelId() + '|' + (s.category() == null ? Fold.NONE : s.category()),
                        new Tally("b", s.modelId(), s.category(), 0, 0, 0).plus(s),
                        (a, b) -> a.plus(s)));
        return out;
    }

    @Test
    void countsNewVerdicts() {
        // When: two verdicts of one model, one right, one wrong
        assertThat(fold.apply(Judgments.correct("b", "i1", "arith", "m", true))).isEqualTo(FoldOutcome.COUNTED);
        assertThat(fold.apply(Judgments.correct("b", "i2", "arith", "m", false)))
                .isEqualTo(FoldOutcome.COUNTED);

        // Then: one tally with n 2, correct 1
        assertThat(tallies()).containsOnlyKeys("b|m|arith");
        assertThat(tallies().get("b|m|arith")).isEqualTo(new Tally("b", "m", "arith", 2, 1, 0));
    }

    @Test
    void ignoresARedeliveredJudgment() {
        // Given: a counted verdict
        Judgment j = Judgments.correct("b", "i1", "arith", "m", true);
        fold.apply(j);

        // When: the same judgment arrives again
        FoldOutcome outcome = fold.apply(j);

        // Then: it is a duplicate and counted once
        assertThat(outcome).isEqualTo(FoldOutcome.DUPLICATE);
        assertThat(tallies().get("b|m|arith")).isEqualTo(new Tally("b", "m", "arith", 1, 1, 0));
    }

    @Test
    void aRevisionReplacesTheOldVerdict() {
        // Given: revision 1 of an item judged wrong
        fold.apply(Judgments.judgment("b", "i1", 1, "arith", "m", false, false));

        // When: revision 2 of the item is judged right, in another category
        FoldOutcome outcome = fold.apply(Judgments.judgment("b", "i1", 2, "logic", "m", true, false));

        // Then: the wrong verdict is replaced (no count left in its old category) and the right one counts
        assertThat(outcome).isEqualTo(FoldOutcome.REVISED);
        assertThat(tallies()).containsOnlyKeys("b|m|logic");
        assertThat(tallies().get("b|m|logic")).isEqualTo(new Tally("b", "m", "logic", 1, 1, 0));
    }

    @Test
    void anOlderRevisionIsStale() {
        // Given: revision 2 judged right
        fold.apply(Judgments.judgment("b", "i1", 2, "arith", "m", true, false));

        // When: a late judgment of revision 1 arrives
        FoldOutcome outcome = fold.apply(Judgments.judgment("b", "i1", 1, "arith", "m", false, false));

        // Then: it is ignored
        assertThat(outcome).isEqualTo(FoldOutcome.STALE);
        assertThat(tallies().get("b|m|arith")).isEqualTo(new Tally("b", "m", "arith", 1, 1, 0));
    }

    @Test
    void unparseableVerdictsAreCountedApartAndReplaceable() {
        // When: an unparseable verdict
        fold.apply(Judgments.unparseable("b", "i1", "arith", "m"));

        // Then: excluded from n, counted as unparseable
        assertThat(tallies().get("b|m|arith")).isEqualTo(new Tally("b", "m", "arith", 0, 0, 1));

        // When: a re-judgment of the same revision, made later, parses
        fold.apply(rejudged(Judgments.judgment("b", "i1", 1, "arith", "m", false, false), "1", LATER, "re"));

        // Then: the unparseable one is retracted
        assertThat(tallies().get("b|m|arith")).isEqualTo(new Tally("b", "m", "arith", 1, 1, 0));
    }

    @Test
    void slotsSeparateModelsVariantsAndJudges() {
        Judgment plain = Judgments.correct("b", "i1", null, "m", true);
        Judgment other = Judgments.correct("b", "i1", null, "n", false);
        Judgment noVariant = new Judgment(
                plain.judgmentId() + "x",
                "b",
                "i1",
                1,
                null,
                null,
                plain.judge(),
                new Judgment.Subject("m", null, null, null),
                JudgmentKind.CORRECT,
                true,
                null,
                null,
                null,
                null,
                false,
                false,
                false,
                null,
                null,
                null,
                null);

        assertThat(Fold.slotKey(plain)).isEqualTo("b|i1|m|plain@1#0|reference|1");
        assertThat(Fold.slotKey(noVariant)).isEqualTo("b|i1|m|-|reference|1");

        fold.apply(plain);
        fold.apply(other);
        fold.apply(noVariant);
        assertThat(tallies().get("b|m|-")).isEqualTo(new Tally("b", "m", null, 2, 2, 0));
        assertThat(tallies().get("b|n|-")).isEqualTo(new Tally("b", "n", null, 1, 0, 0));
    }

    @Test
    void otherKindsGetASlotPerBaselineButNoAccuracyTally() {
        // Given: one judge comparing one answer with two baselines
        Judgment c = Judgments.correct("b", "i1", null, "m", true);
        Judgment vsBase = new Judgment(
                "p1",
                "b",
                "i1",
                1,
                null,
                null,
                c.judge(),
                c.subject(),
                JudgmentKind.PAIRWISE,
                null,
                null,
                new Judgment.Pairwise(PairwiseOutcome.BETTER, "base", null, 10, null, null),
                null,
                null,
                false,
                false,
                false,
                null,
                null,
                null,
                null);
        Judgment vsOther = new Judgment(
                "p2",
                "b",
                "i1",
                1,
                null,
                null,
                c.judge(),
                c.subject(),
                JudgmentKind.PAIRWISE,
                null,
                null,
                new Judgment.Pairwise(PairwiseOutcome.WORSE, "other", null, 10, null, null),
                null,
                null,
                false,
                false,
                false,
                null,
                null,
                null,
                null);

        // When
        assertThat(fold.apply(vsBase)).isEqualTo(FoldOutcome.COUNTED);
        assertThat(fold.apply(vsOther)).isEqualTo(FoldOutcome.COUNTED);
        assertThat(fold.apply(vsOther)).isEqualTo(FoldOutcome.DUPLICATE);

        // Then: two slots, keyed by baseline, with what the views need; no accuracy count
        assertThat(tallies()).isEmpty();
        assertThat(store.slots)
                .containsOnlyKeys("b|i1|m|plain@1#0|reference|1|base", "b|i1|m|plain@1#0|reference|1|other");
        Slot slot = store.slots.get("b|i1|m|plain@1#0|reference|1|base");
        assertThat(slot.outcome()).isEqualTo(PairwiseOutcome.BETTER);
        assertThat(slot.baseline()).isEqualTo("base");
        assertThat(slot.answerChars()).isEqualTo(12);
        assertThat(slot.baselineChars()).isEqualTo(10);
    }

    @Test
    void aSlotStoredBeforeOtherKindsWereFoldedReadsAsAReferenceVerdict() throws Exception {
        // Given: a slot as the previous version stored it
        byte[] old =
                "{\"judgmentId\":\"j1\",\"revision\":1,\"correct\":true,\"category\":\"arith\",\"unparseable\":false}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        // Then: it is a reference verdict, so it still counts in accuracy
        Slot slot = io.assay.contracts.Json.mapper().readValue(old, Slot.class);
        assertThat(slot.kind()).isEqualTo(JudgmentKind.CORRECT);
        assertThat(slot.correct()).isTrue();
    }

    /** {@code judgments} folded into slots, by slot key: what a task's store holds, in the order views read it. */
    static java.util.SortedMap<String, Slot> folded(List<Judgment> judgments) {
        MapStore store = new MapStore();
        Fold fold = new Fold(store);
        judgments.forEach(fold::apply);
        return new java.util.TreeMap<>(store.slots);
    }

    /** The slots of {@link #folded}, in slot-key order. */
    static List<Slot> slots(List<Judgment> judgments) {
        return List.copyOf(folded(judgments).values());
    }

    /** Maps standing in for the stream task's stores. */
    static final class MapStore implements FoldStore {
        final Map<String, Slot> slots = new HashMap<>();

        @Override
        public Slot slot(String key) {
            return slots.get(key);
        }

        @Override
        public void putSlot(String key, Slot slot) {
            slots.put(key, slot);
        }
    }

    private static final Instant LATER = Instant.parse("2027-01-01T00:00:00Z");

    /** {@code j} as judge version {@code version} judged it at {@code judgedAt}, under another id, verdict flipped. */
    static Judgment rejudged(Judgment j, String version, Instant judgedAt, String idSuffix) {
        JudgeSpec judge = new JudgeSpec(
                j.judge().id(),
                j.judge().protocol(),
                j.judge().method(),
                version,
                j.judge().judgeModel(),
                j.judge().promptVersion(),
                j.judge().baselines(),
                j.judge().lengthPenalty(),
                j.judge().positionSwap());
        return new Judgment(
                j.judgmentId() + idSuffix,
                j.benchmark(),
                j.itemId(),
                j.revision(),
                j.category(),
                j.categories(),
                j.publishedAt(),
                judge,
                j.subject(),
                j.kind(),
                j.correct() == null ? null : !j.correct(),
                j.score(),
                j.pairwise(),
                j.preference(),
                j.extracted(),
                j.truncated(),
                j.empty(),
                false,
                j.rationale(),
                j.details(),
                j.origin(),
                judgedAt);
    }

    @Test
    void theSlotEndsAtTheNewestVerdictInAnyDeliveryOrder() {
        // Given: A, and B: a re-judgment of the same revision made later, with the opposite verdict
        Judgment a = Judgments.judgment("b", "i1", 1, "arith", "m", true, false);
        Judgment b = rejudged(a, "1", LATER, "-b");

        // Then: A, B, A counts B, and the late A is stale (the old rule ended at A)
        assertThat(List.of(a, b, a).stream().map(fold::apply))
                .containsExactly(FoldOutcome.COUNTED, FoldOutcome.REVISED, FoldOutcome.STALE);
        assertThat(store.slots.values()).extracting(Slot::judgmentId).containsExactly(b.judgmentId());

        // And: every other order, with any redeliveries, ends at B as well
        for (List<Judgment> order : List.of(List.of(b, a), List.of(a, b), List.of(b, a, b, a), List.of(a, a, b, b))) {
            MapStore other = new MapStore();
            Fold f = new Fold(other);
            order.forEach(f::apply);
            assertThat(other.slots.values()).extracting(Slot::judgmentId).containsExactly(b.judgmentId());
        }
    }

    @Test
    void twoVersionsOfAJudgeKeepTwoSlotsAndAViewCountsTheNewest() {
        // Given: version 1 of the reference judge found i1 right; version 2, later, finds it wrong
        Judgment v1 = Judgments.judgment("b", "i1", 1, "arith", "m", true, false);
        Judgment v2 = rejudged(v1, "2", LATER, "-v2");

        // When
        assertThat(fold.apply(v1)).isEqualTo(FoldOutcome.COUNTED);
        assertThat(fold.apply(v2)).isEqualTo(FoldOutcome.COUNTED);

        // Then: one slot per version; the accuracy view counts version 2 only, and says which
        assertThat(store.slots).containsOnlyKeys("b|i1|m|plain@1#0|reference|1", "b|i1|m|plain@1#0|reference|2");
        LeaderboardSnapshot s = Leaderboards.build(
                "b",
                List.copyOf(new TreeMap<>(store.slots).values()),
                new Leaderboards.Context(Map.of(), null),
                ViewQuery.of(View.ACCURACY),
                LATER);
        assertThat(s.judgments()).isEqualTo(1);
        assertThat(s.rows().get(0).value()).isEqualTo(0.0);
        assertThat(s.params()).containsEntry("judgeVersion", "2");
    }

    @Test
    void aScoreViewAveragesOneScale() {
        // Given: a judge that declares no scale: i1 scored 8 on 1–10, later i2 scored 0.8 on 0–1
        Judgment tenPoint = Judgments.score("b", "i1", "c", "m", 8.0, false);
        Judgment unit = new Judgment(
                "unit",
                "b",
                "i2",
                1,
                "c",
                tenPoint.publishedAt(),
                tenPoint.judge(),
                tenPoint.subject(),
                JudgmentKind.SCORE,
                null,
                new Judgment.Score(0.8, 0, 1),
                null,
                null,
                null,
                false,
                false,
                false,
                null,
                null,
                null,
                LATER);
        fold.apply(tenPoint);
        fold.apply(unit);

        // When
        LeaderboardSnapshot s = Leaderboards.build(
                "b",
                List.copyOf(new TreeMap<>(store.slots).values()),
                new Leaderboards.Context(Map.of(), null),
                ViewQuery.of(View.SCORE),
                LATER);

        // Then: the mean is 0.8 (the newest scale), never (8 + 0.8)/2; the scale is named
        assertThat(s.params()).containsEntry("scale", "0..1");
        assertThat(s.rows().get(0).value()).isEqualTo(0.8);
    }
}
