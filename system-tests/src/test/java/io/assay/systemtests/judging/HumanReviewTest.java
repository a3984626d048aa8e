package io.assay.systemtests.judging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.aggregator.leaderboard.Leaderboards;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.contracts.EventType;
import io.assay.contracts.Ids;
import io.assay.contracts.Json;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Protocol;
import io.assay.contracts.Variant;
import io.assay.judge.llm.Ballot;
import io.assay.judge.llm.LlmJudging;
import io.assay.judge.prompts.JudgePrompts;
import io.assay.judge.review.ReviewSelection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Human review on simulated truth, through the stages' own plain Java in-process: a simulated pairwise judge
 * with a known accuracy and a known position bias gives its two position-swapped verdicts, the judge's
 * {@code LlmJudging} combines them into a judgment, {@link ReviewSelection} picks what a human reviews, the
 * human labels it from the truth ({@code origin: human}), and the aggregator's {@code judge-agreement} view
 * compares. No broker.
 *
 * <p>The truth, by hand. Each of the N pairs has a better answer, the subject's or the baseline's, alike. In
 * each order the judge picks the answer shown first (A) with probability b whatever it knows (its position
 * bias), else the better answer with probability a (its accuracy), else the worse. It is right in the order
 * that shows the better answer first with probability b + (1 − b)·a, in the other with (1 − b)·a. The
 * judgment (position swap: the two orders averaged, docs/judging.md) says win or loss when both orders pick
 * the same answer and tie otherwise, so it agrees with the truth (win or loss, never a tie) exactly when
 * both orders are right: {@code accuracy = (1 − b)·a·(b + (1 − b)·a)}; with a = 0.9, b = 0.2 that is
 * 0.72·0.92 = 0.6624. The orders disagree (position-inconsistent) with probability
 * {@code 1 − 0.6624 − (1 − 0.92)·(1 − 0.72)} = 0.3152.
 */
class HumanReviewTest {
    private static final int PAIRS = 2000;
    private static final double ACCURACY = 0.9;
    private static final double BIAS = 0.2;
    private static final double AUDIT_RATE = 0.2;
    private static final double TRUE_AGREEMENT = (1 - BIAS) * ACCURACY * (BIAS + (1 - BIAS) * ACCURACY);
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final JudgeSpec JUDGE = new JudgeSpec(
            "pairwise-sim", Protocol.PAIRWISE, "wildbench-pairwise", "1", "sim-judge", "v2", List.of("base"), -1, true);
    private static final JudgeSpec AUDITOR =
            new JudgeSpec("human:audit", Protocol.PAIRWISE, "label", "1", null, null, List.of("base"), null, null);
    private static final JudgeSpec TRIAGE =
            new JudgeSpec("human:triage", Protocol.PAIRWISE, "label", "1", null, null, List.of("base"), null, null);

    @Test
    void theQueueCatchesThePositionInconsistentVerdictsAndTheAuditRecoversTheJudgesAccuracy() {
        // Given the simulated judge on 2000 pairs, its judgments, the review queue, and the humans' labels
        LlmJudging llm = new LlmJudging(JudgePrompts.shipped(), Clock.fixed(NOW, ZoneOffset.UTC));
        Random random = new Random(17);
        List<Judgment> ledger = new ArrayList<>();
        Set<String> inconsistent = new HashSet<>();
        Set<String> queuedInconsistent = new HashSet<>();
        int audited = 0;
        for (int i = 0; i < PAIRS; i++) {
            boolean subjectBetter = random.nextBoolean();
            // value as shown, A's side: +1 the judge picked A, −1 it picked B
            double subjectFirst = verdict(random, subjectBetter) ? 1 : -1;
            double baselineFirst = verdict(random, !subjectBetter) ? 1 : -1;
            boolean sidesDiffer = subjectFirst != -baselineFirst;
            Ballot ballot = ballot("i" + i, subjectFirst, baselineFirst);
            Judgment judged = llm.judgment(ballot);
            ledger.add(judged);
            if (sidesDiffer) {
                inconsistent.add(judged.judgmentId());
            }
            List<String> reasons = ReviewSelection.reasons(ballot, judged.judgmentId(), AUDIT_RATE);
            PairwiseOutcome truth = subjectBetter ? PairwiseOutcome.BETTER : PairwiseOutcome.WORSE;
            // The audit's labels go under a judge id of their own: the triage queue is chosen for doubt
            if (i == 0) {
                // A label is a valid judgment: the contract needs nothing new for it
                assertThat(EventType.JUDGMENT.violations(Json.mapper()
                                .valueToTree(SimulatedLabels.label(judged, AUDITOR, truth, NOW.plusSeconds(60)))))
                        .isEmpty();
            }
            if (reasons.contains(ReviewSelection.SAMPLED)) {
                ledger.add(SimulatedLabels.label(judged, AUDITOR, truth, NOW.plusSeconds(60)));
                audited++;
            }
            if (reasons.contains(ReviewSelection.POSITION_INCONSISTENT)) {
                queuedInconsistent.add(judged.judgmentId());
                ledger.add(SimulatedLabels.label(judged, TRIAGE, truth, NOW.plusSeconds(60)));
            }
        }

        // When the aggregator folds the ledger
        LeaderboardSnapshot audit = view(ledger, AUDITOR.id());
        LeaderboardSnapshot triage = view(ledger, TRIAGE.id());

        // Then the queue holds every position-inconsistent judgment
        long caught = inconsistent.stream().filter(queuedInconsistent::contains).count();
        double caughtShare = (double) caught / inconsistent.size();
        Row onAudit = audit.rows().get(0);
        Row onTriage = triage.rows().get(0);
        System.out.printf(
                "human review (sim judge a=%.2f b=%.2f, %d pairs): position-inconsistent %d (%.4f; truth 0.3152),"
                        + " queued %d, caught %.4f; audit rate %.2f: %d labels; judge-agreement on the audit %.4f"
                        + " [%.4f, %.4f] n=%d (simulated accuracy %.4f), kappa %s [%s, %s];"
                        + " on the triage queue %.4f n=%d%n",
                ACCURACY,
                BIAS,
                PAIRS,
                inconsistent.size(),
                (double) inconsistent.size() / PAIRS,
                queuedInconsistent.size(),
                caughtShare,
                AUDIT_RATE,
                audited,
                onAudit.value(),
                onAudit.lower(),
                onAudit.upper(),
                onAudit.n(),
                TRUE_AGREEMENT,
                onAudit.metrics().get("kappa"),
                onAudit.metrics().get("kappaLower"),
                onAudit.metrics().get("kappaUpper"),
                onTriage.value(),
                onTriage.n());
        assertThat(caughtShare).isGreaterThanOrEqualTo(0.9);
        assertThat(queuedInconsistent).isEqualTo(inconsistent);
        // And the audit's agreement recovers the judge's simulated accuracy within its 95% interval
        assertThat(onAudit.modelId()).isEqualTo(JUDGE.id());
        assertThat(onAudit.n()).isEqualTo(audited);
        assertThat(onAudit.lower()).isLessThanOrEqualTo(TRUE_AGREEMENT);
        assertThat(onAudit.upper()).isGreaterThanOrEqualTo(TRUE_AGREEMENT);
        // And on the triage queue the judge said tie every time, the truth never does: no agreement at all,
        // which is why only the audit measures a judge
        assertThat(onTriage.value()).isZero();
        assertThat(onTriage.n()).isEqualTo(inconsistent.size());
    }

    /** One order's verdict: whether the judge picked the answer shown first. */
    private static boolean verdict(Random random, boolean firstIsBetter) {
        if (random.nextDouble() < BIAS) {
            return true;
        }
        boolean right = random.nextDouble() < ACCURACY;
        return right == firstIsBetter;
    }

    private static Ballot ballot(String item, double subjectFirst, double baselineFirst) {
        Variant plain = new Variant("plain", "1", 0, null);
        Ballot.Answer subject = new Ballot.Answer("m", Ids.hash("req", item, "m"), plain, 100, false, false, null);
        Ballot.Answer baseline =
                new Ballot.Answer("base", Ids.hash("req", item, "base"), plain, 100, false, false, null);
        String ballotId = Ids.judgmentId(List.of(subject.requestId(), baseline.requestId()), JUDGE);
        List<Ballot.Slot> slots = List.of(
                parsed(ballotId, Ballot.SUBJECT_FIRST, subjectFirst),
                parsed(ballotId, Ballot.BASELINE_FIRST, baselineFirst));
        return new Ballot(
                ballotId, JUDGE, "review", item, 1, "chat", NOW, subject, baseline, slots, false, null, null, NOW);
    }

    private static Ballot.Slot parsed(String ballotId, String order, double value) {
        String label = value > 0 ? "A>B" : "B>A";
        return new Ballot.Slot(
                "sim-judge",
                order,
                Ids.hash("judge-request", ballotId, "sim-judge", order, "0"),
                1,
                Ballot.Slot.PARSED,
                List.of("{\"choice\": \"" + label + "\"}"),
                value,
                label,
                "simulated",
                null);
    }

    private static LeaderboardSnapshot view(List<Judgment> ledger, String human) {
        ViewQuery query =
                new ViewQuery(View.JUDGE_AGREEMENT, null, null, null, null, null, false, ViewQuery.DEFAULT_LAG, human);
        return Leaderboards.build(
                "review", SimulatedLabels.slots(ledger), new Leaderboards.Context(Map.of(), null), query, NOW);
    }
}
