package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.contracts.Ids;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.Origin;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Protocol;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code judge-agreement} rows of a jury's members: each member's own verdict in the jury's judgments (from
 * {@code details.verdicts}, taken from the subject's side, orders averaged) against the human labels, counted
 * by hand.
 */
class JuryAgreementViewTest {
    private static final double EXACT = 1e-12;
    private static final Instant AS_OF = Instant.parse("2026-12-01T12:00:00Z");
    private static final JudgeSpec HUMAN =
            new JudgeSpec("human:ana", Protocol.PAIRWISE, "label", "1", null, null, null, null, null);
    private static final JudgeSpec PANEL = new JudgeSpec(
            "panel",
            Protocol.PAIRWISE,
            "wildbench-pairwise",
            "1",
            null,
            "1",
            List.of("base"),
            null,
            true,
            List.of("j1", "j2"),
            "mean");

    /**
     * Four position-swapped pairs of m against base; each member's labels as written (A = shown first), subject
     * first then baseline first, and what that is from the subject's side:
     *
     * <pre>
     *      j1            j2            jury mean        human
     * p0   A+ B+ → 1     A+ A+ → 0     0.5  → tie       win
     * p1   B++ A++ → −2  B+ A+ → −1    −1.5 → worse     loss
     * p2   A++ B+ → 1.5  B+ A+ → −1    0.25 → tie       win
     * p3   A=B A=B → 0   A+ B++ → 1.5  0.75 → better    tie
     * </pre>
     *
     * The jury agrees with the human on p1 only; j1 on all four; j2 on p1 only.
     */
    private static List<Judgment> ledger() {
        double[][] j1 = {{1, -1}, {-2, 2}, {2, -1}, {0, 0}};
        double[][] j2 = {{1, 1}, {-1, 1}, {-1, 1}, {1, -2}};
        PairwiseOutcome[] jury = {
            PairwiseOutcome.TIE, PairwiseOutcome.WORSE, PairwiseOutcome.TIE, PairwiseOutcome.BETTER
        };
        PairwiseOutcome[] human = {
            PairwiseOutcome.BETTER, PairwiseOutcome.WORSE, PairwiseOutcome.MUCH_BETTER, PairwiseOutcome.TIE
        };
        List<Judgment> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Judgment j = juryJudgment("p" + i, jury[i], Map.of("j1", j1[i], "j2", j2[i]));
            out.add(j);
            out.add(JudgeAgreementViewTest.label(j, HUMAN, null, human[i]));
        }
        return out;
    }

    @Test
    void aJudgmentKeepsEachMembersVerdictFromTheSubjectsSide() {
        Slot p0 = Slot.of(
                juryJudgment("p0", PairwiseOutcome.TIE, Map.of("j1", new double[] {1, -1}, "j2", new double[] {1, 1})),
                1);
        assertThat(p0.juryVerdicts()).containsEntry("j1", 1.0).containsEntry("j2", 0.0);
        assertThat(Slot.of(
                                Judgments.pairwise(
                                        "b", "p0", "chat", "m", PairwiseOutcome.TIE, "base", 1, 1, false, AS_OF),
                                1)
                        .juryVerdicts())
                .isNull();
    }

    @Test
    void eachJuryMemberGetsARowOfItsOwnAgainstTheSameLabels() {
        LeaderboardSnapshot s = Leaderboards.build(
                "b",
                FoldTest.slots(ledger()),
                new Leaderboards.Context(Map.of(), null),
                ViewQuery.of(View.JUDGE_AGREEMENT),
                AS_OF);

        assertThat(s.rows()).extracting(Row::modelId).containsExactlyInAnyOrder("panel", "panel[j1]", "panel[j2]");
        assertThat(s.rows().get(0).modelId()).isEqualTo("panel[j1]");
        // The jury: 1 of 4
        Row panel = row(s, "panel");
        assertThat(panel.value()).isCloseTo(0.25, within(EXACT));
        assertThat(panel.metrics()).doesNotContainKey("member");
        // j1: 4 of 4; classes loss 1, tie 1, win 2 on both sides: p_e = 1/16 + 1/16 + 4/16 = 0.375, kappa 1
        Row j1 = row(s, "panel[j1]");
        assertThat(j1.value()).isCloseTo(1.0, within(EXACT));
        assertThat(j1.n()).isEqualTo(4);
        assertThat(j1.metrics()).containsEntry("jury", "panel").containsEntry("member", "j1");
        assertThat((Double) j1.metrics().get("expectedAgreement")).isCloseTo(0.375, within(EXACT));
        assertThat((Double) j1.metrics().get("kappa")).isCloseTo(1.0, within(EXACT));
        // j2: 1 of 4; its classes (loss, tie, win) 2, 1, 1 of 4, the human's 1, 1, 2:
        // p_e = 0.5·0.25 + 0.25·0.25 + 0.25·0.5 = 0.3125, kappa = (0.25 − 0.3125) / 0.6875 = −1/11
        Row j2 = row(s, "panel[j2]");
        assertThat(j2.value()).isCloseTo(0.25, within(EXACT));
        assertThat(j2.metrics()).containsEntry("judgeVersion", panel.metrics().get("judgeVersion"));
        assertThat((Double) j2.metrics().get("expectedAgreement")).isCloseTo(0.3125, within(EXACT));
        assertThat((Double) j2.metrics().get("kappa")).isCloseTo(-1.0 / 11, within(EXACT));
    }

    @Test
    void aMembersPairwiseMeanIsClassedAsTheJudgeRoundsIt() {
        assertThat(JudgeAgreementBuilder.memberClass(JudgmentKind.PAIRWISE, 0.5))
                .isEqualTo("tie");
        assertThat(JudgeAgreementBuilder.memberClass(JudgmentKind.PAIRWISE, -0.75))
                .isEqualTo("loss");
        assertThat(JudgeAgreementBuilder.memberClass(JudgmentKind.PREFERENCE, 0.5))
                .isEqualTo("tie");
        assertThat(JudgeAgreementBuilder.memberClass(JudgmentKind.PREFERENCE, 0.6))
                .isEqualTo("win");
        assertThat(JudgeAgreementBuilder.memberClass(JudgmentKind.SCORE, 7.0)).isEqualTo("score 7.0");
    }

    private static Row row(LeaderboardSnapshot s, String id) {
        return s.rows().stream().filter(r -> r.modelId().equals(id)).findFirst().orElseThrow();
    }

    /** A position-swapped jury judgment whose {@code details.verdicts} hold each member's two labels. */
    private static Judgment juryJudgment(String itemId, PairwiseOutcome outcome, Map<String, double[]> labels) {
        String requestId = Ids.hash("req", "b", itemId, "1", "m");
        List<Map<String, Object>> verdicts = new ArrayList<>();
        labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            verdicts.add(verdict(e.getKey(), "subject_first", e.getValue()[0]));
            verdicts.add(verdict(e.getKey(), "baseline_first", e.getValue()[1]));
        });
        return new Judgment(
                Ids.hash("judgment", requestId, "base", "panel"),
                "b",
                itemId,
                1,
                "chat",
                AS_OF.minusSeconds(3600),
                PANEL,
                new Judgment.Subject("m", requestId, null, 100),
                JudgmentKind.PAIRWISE,
                null,
                null,
                new Judgment.Pairwise(outcome, "base", null, 100, "both", null),
                null,
                null,
                false,
                false,
                false,
                "ok",
                Map.of("verdicts", verdicts, "combine", "mean"),
                Origin.PIPELINE,
                AS_OF.minusSeconds(600));
    }

    private static Map<String, Object> verdict(String member, String order, double value) {
        return Map.of("judgeModel", member, "order", order, "status", "parsed", "value", value, "label", "x");
    }
}
