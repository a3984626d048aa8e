package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.Wilson;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.Origin;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Protocol;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The judge-agreement view, from labels and verdicts counted by hand. */
class JudgeAgreementViewTest {
    private static final double EXACT = 1e-12;
    private static final Instant AS_OF = Instant.parse("2026-11-28T09:05:00Z");
    private static final JudgeSpec HUMAN =
            new JudgeSpec("human:ana", Protocol.REFERENCE, "label", "1", null, null, null, null, null);

    /**
     * {@code j} as a human labelled it: origin human, its own judge id, its own verdict ({@code correct} for a
     * reference judgment, {@code outcome} for a pairwise one).
     */
    static Judgment label(Judgment j, JudgeSpec human, Boolean correct, PairwiseOutcome outcome) {
        return Judgments.label(j, human, correct, outcome);
    }

    static LeaderboardSnapshot view(List<Judgment> judgments, ViewQuery query) {
        List<Slot> slots = FoldTest.slots(judgments);
        return Leaderboards.build("b", slots, new Leaderboards.Context(Map.of(), null), query, AS_OF);
    }

    private static List<Judgment> ledger() {
        List<Judgment> out = new ArrayList<>();
        // The reference judge on 10 items of model m; a human labelled items 1–8:
        //   judge  C C C C W W W C
        //   human  C C C W W W C C   → agree on 1, 2, 3, 5, 6, 8: 6 of 8
        boolean[] judge = {true, true, true, true, false, false, false, true, true, false};
        boolean[] human = {true, true, true, false, false, false, true, true};
        for (int i = 0; i < judge.length; i++) {
            Judgment j = Judgments.correct("b", "i" + (i + 1), "math", "m", judge[i]);
            out.add(j);
            if (i < human.length) {
                out.add(label(j, HUMAN, human[i], null));
            }
        }
        // An unparseable label (left out) and a label of an answer no judge judged (no pair)
        out.add(new Judgment(
                "unparseable-label",
                "b",
                "i9",
                1,
                "math",
                Instant.parse("2026-11-28T09:00:00Z"),
                HUMAN,
                Judgments.correct("b", "i9", "math", "m", true).subject(),
                io.assay.contracts.JudgmentKind.CORRECT,
                null,
                null,
                null,
                null,
                null,
                false,
                false,
                true,
                null,
                null,
                Origin.HUMAN,
                Instant.parse("2026-11-28T09:10:00Z")));
        out.add(label(Judgments.correct("b", "i1", "math", "unjudged", true), HUMAN, true, null));
        // A pairwise judge (wb-reward) on three answers of m against "base":
        //   judge  better (win)      tie        much_worse (loss)
        //   human  much_better (win) worse (loss) worse (loss)   → 2 of 3
        out.addAll(pairwiseLabelled(
                new PairwiseOutcome[] {PairwiseOutcome.BETTER, PairwiseOutcome.TIE, PairwiseOutcome.MUCH_WORSE},
                new PairwiseOutcome[] {PairwiseOutcome.MUCH_BETTER, PairwiseOutcome.WORSE, PairwiseOutcome.WORSE}));
        return out;
    }

    /** wb-reward's verdict {@code said[i]} on answer p{@code i} of m against "base", and the human's {@code truth[i]}. */
    private static List<Judgment> pairwiseLabelled(PairwiseOutcome[] said, PairwiseOutcome[] truth) {
        List<Judgment> out = new ArrayList<>();
        for (int i = 0; i < said.length; i++) {
            Judgment j = Judgments.pairwise(
                    "b", "p" + i, "chat", "m", said[i], "base", 100, 100, false, AS_OF.minusSeconds(100 - i));
            out.add(j);
            out.add(label(j, HUMAN, null, truth[i]));
        }
        return out;
    }

    @Test
    void agreementAndKappaPerModelJudgeAgainstTheHumanLabels() {
        // When
        LeaderboardSnapshot s = view(ledger(), ViewQuery.of(View.JUDGE_AGREEMENT));

        // Then the reference judge: 6/8 = 0.75 with Wilson's interval (one labelled slot per item).
        // Its table (judge rows, human columns; correct, wrong) is [[4, 1], [1, 2]]: p_o = 0.75,
        // margins 0.625/0.375 both ways, p_e = 0.625² + 0.375² = 0.53125, kappa = 0.21875/0.46875 = 7/15.
        // wb-reward: 2/3; table (loss, tie, win) [[1, 0, 0], [1, 0, 0], [0, 0, 1]]: p_o = 2/3,
        // p_e = 1/3·2/3 + 1/3·0 + 1/3·1/3 = 1/3, kappa = (1/3)/(2/3) = 0.5. The reference judge ranks first.
        assertThat(s.view()).isEqualTo("judge-agreement");
        assertThat(s.rows()).extracting(Row::modelId).containsExactly("reference", "wb-reward");
        Row reference = s.rows().get(0);
        Estimate sixOfEight = Wilson.score(6, 8);
        assertThat(reference.value()).isCloseTo(0.75, within(EXACT));
        assertThat(reference.lower()).isCloseTo(sixOfEight.lower(), within(EXACT));
        assertThat(reference.upper()).isCloseTo(sixOfEight.upper(), within(EXACT));
        assertThat(reference.n()).isEqualTo(8);
        assertThat(reference.metrics().get("agreements")).isEqualTo(6L);
        assertThat((Double) reference.metrics().get("kappa")).isCloseTo(7.0 / 15.0, within(EXACT));
        assertThat((Double) reference.metrics().get("expectedAgreement")).isCloseTo(0.53125, within(EXACT));
        assertThat((Double) reference.metrics().get("kappaLower")).isLessThan(7.0 / 15.0);
        Row pairwise = s.rows().get(1);
        assertThat(pairwise.value()).isCloseTo(2.0 / 3.0, within(EXACT));
        assertThat(pairwise.n()).isEqualTo(3);
        assertThat((Double) pairwise.metrics().get("kappa")).isCloseTo(0.5, within(EXACT));
        // And the human judge gets no row of its own; the snapshot says how many labels it read
        assertThat(s.params()).containsEntry("humanLabels", 12L).containsEntry("humanJudges", List.of("human:ana"));
        assertThat(s.judgments()).isEqualTo(11);
    }

    @Test
    void withoutHumanLabelsTheViewSaysSo() {
        // Given the same verdicts, no label
        List<Judgment> judged =
                ledger().stream().filter(j -> j.origin() != Origin.HUMAN).toList();

        // When
        LeaderboardSnapshot s = view(judged, ViewQuery.of(View.JUDGE_AGREEMENT));

        // Then
        assertThat(s.rows()).isEmpty();
        assertThat(s.params()).containsEntry("humanLabels", 0L).containsEntry("humanJudges", List.of());
    }

    @Test
    void aJudgeParameterNamesTheHumanJudgeToCompareWith() {
        ViewQuery ofAna = new ViewQuery(
                View.JUDGE_AGREEMENT, null, null, null, null, null, false, ViewQuery.DEFAULT_LAG, "human:ana");
        assertThat(view(ledger(), ofAna).rows()).hasSize(2);

        ViewQuery ofBob = new ViewQuery(
                View.JUDGE_AGREEMENT, null, null, null, null, null, false, ViewQuery.DEFAULT_LAG, "human:bob");
        assertThatThrownBy(() -> view(ledger(), ofBob))
                .isInstanceOf(UnknownParameterException.class)
                .hasMessageContaining("known: human:ana");
    }

    @Test
    void humanLabelsAreNotTheDefaultJudgeOfOtherViewsThoughTheirIdSortsFirst() {
        // Given an unregistered benchmark (no spec names its judges) with labels under "human:ana",
        // which sorts before "reference"
        List<Judgment> ledger = ledger();
        BenchmarkTallies tallies = new BenchmarkTallies();
        FoldTest.folded(ledger).forEach((key, slot) -> Tallying.replace(tallies, key, null, slot));

        // When accuracy is asked without judge=
        LeaderboardSnapshot accuracy = view(ledger, ViewQuery.of(View.ACCURACY));

        // Then it counts the reference judge (6 of 10 right for m), not the labels, and the tallies answer
        // it, with the same choice
        assertThat(accuracy.params()).containsEntry("judge", "reference");
        assertThat(accuracy.rows()).extracting(Row::modelId).containsExactly("m");
        assertThat(accuracy.rows().get(0).value()).isCloseTo(0.6, within(EXACT));
        assertThat(TalliedViews.build(
                        "b",
                        tallies,
                        Tallying.stored(tallies),
                        new Leaderboards.Context(Map.of(), null),
                        ViewQuery.of(View.ACCURACY),
                        AS_OF))
                .contains(accuracy);
        // while judge=human:ana still shows the labels as a judge of their own
        ViewQuery ofAna =
                new ViewQuery(View.ACCURACY, null, null, null, null, null, false, ViewQuery.DEFAULT_LAG, "human:ana");
        assertThat(view(ledger, ofAna).params()).containsEntry("judge", "human:ana");
    }

    @Test
    void threeLabelsThatAgreeGiveKappaOneWithoutAnIntervalOfNoWidth() {
        // Given wb-reward's better, much_worse, better, and a human who says the same three times
        PairwiseOutcome[] said = {PairwiseOutcome.BETTER, PairwiseOutcome.MUCH_WORSE, PairwiseOutcome.BETTER};
        List<Judgment> ledger = pairwiseLabelled(said, said);

        // When
        Row row = view(ledger, ViewQuery.of(View.JUDGE_AGREEMENT)).rows().get(0);

        // Then kappa is 1 with se 0, and no interval (κ ± 0 before); the agreement's Wilson interval has width
        assertThat((Double) row.metrics().get("kappa")).isCloseTo(1.0, within(EXACT));
        assertThat(row.metrics())
                .containsEntry("kappaSe", 0.0)
                .containsEntry("kappaLower", null)
                .containsEntry("kappaUpper", null);
        assertThat(row.lower())
                .isCloseTo(Wilson.score(3, 3).lower(), within(EXACT))
                .isLessThan(0.5);
    }

    @Test
    void oneReviewerLabelsOneAnswerForTwoJudgesOfOtherKindsAndBothLabelsCount() {
        // Given one answer of m against base, judged by a pairwise judge (wb-reward: better) and a preference
        // judge (weighted: 2.0, m preferred), and the same reviewer's label of each: worse, and 2.0
        Judgment pairwise = Judgments.pairwise(
                "b", "p0", "chat", "m", PairwiseOutcome.BETTER, "base", 100, 100, false, AS_OF.minusSeconds(100));
        Judgment preference = Judgments.preference("b", "p0", "m", 2.0, "base", 100, 100, null);
        List<Judgment> ledger = List.of(
                pairwise, preference, label(pairwise, HUMAN, null, PairwiseOutcome.WORSE), preferenceLabel(preference));

        // When
        LeaderboardSnapshot s = view(ledger, ViewQuery.of(View.JUDGE_AGREEMENT));

        // Then each judge is compared with its own label: wb-reward disagrees, weighted agrees (before, the
        // second label replaced the first in one slot, and wb-reward had no row)
        assertThat(FoldTest.folded(ledger)).hasSize(4);
        assertThat(s.params()).containsEntry("humanLabels", 2L);
        assertThat(s.rows()).extracting(Row::modelId).containsExactlyInAnyOrder("wb-reward", "weighted");
        for (Row r : s.rows()) {
            assertThat(r.n()).isEqualTo(1);
            assertThat(r.metrics().get("agreements")).isEqualTo(r.modelId().equals("weighted") ? 1L : 0L);
        }
    }

    @Test
    void aModelJudgesSlotKeyHasNoKindAndAHumanLabelsHas() {
        Judgment j = Judgments.preference("b", "p0", "m", 2.0, "base", 100, 100, null);
        assertThat(Fold.slotKey(j)).isEqualTo("b|p0|m|-|weighted|1@judge|base");
        assertThat(Fold.slotKey(preferenceLabel(j))).isEqualTo("b|p0|m|-|human:ana|1|preference|base");
    }

    /** {@code j}'s label with the same preference, against the baseline its details name (as `review label`). */
    private static Judgment preferenceLabel(Judgment j) {
        Judgment l = label(j, HUMAN, null, null);
        return new Judgment(
                l.judgmentId(),
                l.benchmark(),
                l.itemId(),
                l.revision(),
                l.category(),
                l.publishedAt(),
                l.judge(),
                l.subject(),
                l.kind(),
                l.correct(),
                l.score(),
                l.pairwise(),
                l.preference(),
                l.extracted(),
                l.truncated(),
                l.empty(),
                l.unparseable(),
                l.rationale(),
                Map.of("baselineModel", "base"),
                l.origin(),
                l.judgedAt());
    }

    @Test
    void theSlotKeepsTheOrigin() {
        Judgment j = Judgments.correct("b", "i1", "math", "m", true);
        assertThat(Slot.of(j, 1).human()).isFalse();
        assertThat(Slot.of(label(j, HUMAN, true, null), 1).human()).isTrue();
        assertThat(Slot.of(label(j, HUMAN, true, null), 1).withoutDrillDown().human())
                .isTrue();
    }

    @Test
    void aLabelledSlotWithoutAnItemIdIsAnItemOfItsOwn() throws ReflectiveOperationException {
        // Given item i1's verdict and its label as slots stored before item ids were kept
        List<Slot> slots = new ArrayList<>();
        for (Slot s : FoldTest.slots(ledger())) {
            slots.add("i1".equals(s.itemId()) && "m".equals(s.modelId()) ? withoutItemId(s) : s);
        }

        // When
        LeaderboardSnapshot s = Leaderboards.build(
                "b", slots, new Leaderboards.Context(Map.of(), null), ViewQuery.of(View.JUDGE_AGREEMENT), AS_OF);

        // Then the pair still counts (6 of 8, as above), in an item of its own: 8 items, one slot each
        Row reference = s.rows().get(0);
        assertThat(reference.modelId()).isEqualTo("reference");
        assertThat(reference.n()).isEqualTo(8);
        assertThat(reference.metrics().get("agreements")).isEqualTo(6L);
        assertThat(reference.metrics().get("items")).isEqualTo(8L);
        assertThat(reference.value()).isCloseTo(0.75, within(EXACT));
    }

    /** {@code s} with a null item id, every other component as it is. */
    private static Slot withoutItemId(Slot s) throws ReflectiveOperationException {
        RecordComponent[] components = Slot.class.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int c = 0; c < components.length; c++) {
            types[c] = components[c].getType();
            values[c] = components[c].getName().equals("itemId")
                    ? null
                    : components[c].getAccessor().invoke(s);
        }
        return Slot.class.getDeclaredConstructor(types).newInstance(values);
    }
}
