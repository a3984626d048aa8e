package io.assay.systemtests.judging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.aggregator.leaderboard.Leaderboards;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.Wilson;
import io.assay.contracts.Ids;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Protocol;
import io.assay.contracts.Variant;
import io.assay.judge.llm.Ballot;
import io.assay.judge.llm.Combination;
import io.assay.judge.llm.JuryWeights;
import io.assay.judge.llm.LlmJudging;
import io.assay.judge.prompts.JudgePrompts;
import io.assay.judge.review.ReviewSelection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A weighted jury on simulated truth, through the stages' own plain Java in-process (no broker): three simulated
 * pairwise judge models of known accuracy judge pairs, a random audit is labelled from the truth, the
 * aggregator's {@code judge-agreement} view examines each member, and the judge weighs a fresh set of pairs by
 * that exam ({@link JuryWeights}, docs/judging.md "Weighted juries").
 *
 * <p>The truth, by hand. Member i picks the better answer with probability aᵢ = 0.9, 0.75, 0.35 (one order,
 * verdict ±1). {@code mean}: a split (two against one) averages to ±1/3, which rounds to a tie, so it is right
 * only when all three are: 0.9·0.75·0.35 = 0.23625. {@code majority}: right when at least two are:
 * 0.23625 + 0.9·0.75·0.65 + 0.9·0.25·0.35 + 0.1·0.75·0.35 = 0.78. {@code weighted}: the third member is below
 * the 0.6 qualification (weight 0), the first outweighs the second, so the jury says what the first says:
 * 0.9.
 */
class WeightedJuryTest {
    private static final int EXAM_PAIRS = 1000;
    private static final int PAIRS = 2000;
    private static final double AUDIT_RATE = 0.2;
    private static final double[] ACCURACY = {0.9, 0.75, 0.35};
    private static final List<String> MEMBERS = List.of("j1", "j2", "j3");
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final JudgeSpec PANEL = new JudgeSpec(
            "panel",
            Protocol.PAIRWISE,
            "wildbench-pairwise",
            "1",
            null,
            "v2",
            List.of("base"),
            -1,
            false,
            MEMBERS,
            Combination.WEIGHTED);
    private static final JudgeSpec AUDITOR =
            new JudgeSpec("human:audit", Protocol.PAIRWISE, "label", "1", null, null, List.of("base"), null, null);

    @Test
    void aJuryWeightedByItsMembersExamFollowsTheBestMemberAndDropsTheUnqualified() {
        Random random = new Random(23);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

        // Given the jury's judgments of the exam pairs (no snapshot yet: the plain mean) and the audit's labels
        LlmJudging unweighted = new LlmJudging(JudgePrompts.shipped(), clock);
        List<Judgment> ledger = new ArrayList<>();
        for (int i = 0; i < EXAM_PAIRS; i++) {
            boolean subjectBetter = random.nextBoolean();
            Judgment judged = unweighted.judgment(ballot("exam" + i, votes(random, subjectBetter)));
            assertThat(judged.details()).containsEntry("weighting", "mean: no judge-agreement snapshot");
            ledger.add(judged);
            if (ReviewSelection.sampled(judged.judgmentId(), AUDIT_RATE)) {
                ledger.add(SimulatedLabels.label(
                        judged,
                        AUDITOR,
                        subjectBetter ? PairwiseOutcome.BETTER : PairwiseOutcome.WORSE,
                        NOW.plusSeconds(60)));
            }
        }

        // When the aggregator examines the members and the judge weighs fresh pairs by the exam
        LeaderboardSnapshot exam = view(ledger);
        LlmJudging weighted =
                new LlmJudging(JudgePrompts.shipped(), clock, b -> Optional.of(exam), JuryWeights.DEFAULTS);
        int[] right = new int[3];
        Map<String, Object> weights = null;
        for (int i = 0; i < PAIRS; i++) {
            boolean subjectBetter = random.nextBoolean();
            double[] votes = votes(random, subjectBetter);
            Judgment judged = weighted.judgment(ballot("pair" + i, votes));
            weights = judged.details();
            List<Double> sides = List.of(votes[0], votes[1], votes[2]);
            right[0] += correct(judged.pairwise().outcome(), subjectBetter);
            right[1] += correct(Combination.pairwise(sides, Combination.MAJORITY), subjectBetter);
            right[2] += correct(Combination.pairwise(sides, Combination.MEAN), subjectBetter);
        }

        // Then each member's exam recovers its simulated accuracy within its interval
        StringBuilder rows = new StringBuilder();
        for (int m = 0; m < 3; m++) {
            String id = "panel[" + MEMBERS.get(m) + "]";
            Row row = exam.rows().stream()
                    .filter(r -> r.modelId().equals(id))
                    .findFirst()
                    .orElseThrow();
            rows.append(String.format(
                    " %s %.4f [%.4f, %.4f] n=%d (simulated %.2f);",
                    id, row.value(), row.lower(), row.upper(), row.n(), ACCURACY[m]));
            assertThat(row.lower()).isLessThanOrEqualTo(ACCURACY[m]);
            assertThat(row.upper()).isGreaterThanOrEqualTo(ACCURACY[m]);
        }
        Estimate weightedRate = Wilson.score(right[0], PAIRS);
        System.out.printf(
                "weighted jury (members a=0.90/0.75/0.35, %d exam pairs, audit %.2f, %d pairs):%s weights %s;"
                        + " accuracy weighted %.4f [%.4f, %.4f] (truth 0.9000), majority %.4f (truth 0.7800),"
                        + " mean %.4f (truth 0.2363)%n",
                EXAM_PAIRS,
                AUDIT_RATE,
                PAIRS,
                rows,
                weights.get("weights"),
                weightedRate.value(),
                weightedRate.lower(),
                weightedRate.upper(),
                (double) right[1] / PAIRS,
                (double) right[2] / PAIRS);
        // And the third member, below the qualification, weighs 0, and the weighted jury is as right as its
        // best member, more than the unweighted rules
        assertThat(weights).containsEntry("weighting", JuryWeights.AGREEMENT);
        assertThat(((Map<?, ?>) weights.get("weights")).get("j3")).isEqualTo(0.0);
        assertThat(weightedRate.lower()).isLessThanOrEqualTo(0.9);
        assertThat(weightedRate.upper()).isGreaterThanOrEqualTo(0.9);
        assertThat(right[0]).isGreaterThan(right[1]).isGreaterThan(right[2]);
    }

    /** Each member's verdict from the subject's side: +1 it picked the subject's answer, −1 the baseline's. */
    private static double[] votes(Random random, boolean subjectBetter) {
        double[] out = new double[3];
        for (int m = 0; m < 3; m++) {
            boolean right = random.nextDouble() < ACCURACY[m];
            out[m] = right == subjectBetter ? 1 : -1;
        }
        return out;
    }

    private static int correct(PairwiseOutcome outcome, boolean subjectBetter) {
        int side = Combination.side(outcome);
        return subjectBetter ? (side > 0 ? 1 : 0) : (side < 0 ? 1 : 0);
    }

    private static Ballot ballot(String item, double[] votes) {
        Variant plain = new Variant("plain", "1", 0, null);
        Ballot.Answer subject = new Ballot.Answer("m", Ids.hash("req", item, "m"), plain, 100, false, false, null);
        Ballot.Answer baseline =
                new Ballot.Answer("base", Ids.hash("req", item, "base"), plain, 100, false, false, null);
        String ballotId = Ids.judgmentId(List.of(subject.requestId(), baseline.requestId()), PANEL);
        List<Ballot.Slot> slots = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            String label = votes[m] > 0 ? "A>B" : "B>A";
            slots.add(new Ballot.Slot(
                    MEMBERS.get(m),
                    Ballot.SUBJECT_FIRST,
                    Ids.hash("judge-request", ballotId, MEMBERS.get(m), Ballot.SUBJECT_FIRST, "0"),
                    1,
                    Ballot.Slot.PARSED,
                    List.of("{\"choice\": \"" + label + "\"}"),
                    votes[m],
                    label,
                    "simulated",
                    null));
        }
        return new Ballot(
                ballotId, PANEL, "jury", item, 1, "chat", NOW, subject, baseline, slots, false, null, null, NOW);
    }

    private static LeaderboardSnapshot view(List<Judgment> ledger) {
        return Leaderboards.build(
                "jury",
                SimulatedLabels.slots(ledger),
                new Leaderboards.Context(Map.of(), null),
                ViewQuery.of(View.JUDGE_AGREEMENT),
                NOW);
    }
}
