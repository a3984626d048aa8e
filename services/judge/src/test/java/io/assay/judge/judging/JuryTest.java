package io.assay.judge.judging;

import static io.assay.judge.JudgeFixtures.JUDGED;
import static io.assay.judge.JudgeFixtures.PLAIN;
import static io.assay.judge.JudgeFixtures.benchmarkSpec;
import static io.assay.judge.JudgeFixtures.chatItem;
import static io.assay.judge.JudgeFixtures.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.EventType;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Json;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Protocol;
import io.assay.contracts.ReviewRequest;
import io.assay.judge.JudgeFixtures;
import io.assay.judge.llm.JuryWeights;
import io.assay.judge.llm.LlmJudging;
import io.assay.judge.messaging.JudgeMetrics;
import io.assay.judge.prompts.JudgePrompts;
import io.assay.judge.scoring.ReferenceJudge;
import io.assay.judge.scoring.ReferenceScorer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Juries through the whole judging path without a broker: a jury whose members disagree is sent for review,
 * and a {@code weighted} jury weighs its members by their agreement in the benchmark's {@code judge-agreement}
 * snapshot, recording the weights it used.
 */
class JuryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), ZoneOffset.UTC);
    private static final Instant AS_OF = Instant.parse("2026-01-31T00:00:00Z");
    private static final List<String> MEMBERS = List.of("j1", "j2", "j3");

    private final Map<String, BenchmarkSpec> specs = new HashMap<>();
    private final Map<String, LeaderboardSnapshot> agreement = new HashMap<>();
    private final LlmJudging llm = new LlmJudging(
            JudgePrompts.shipped(), CLOCK, b -> Optional.ofNullable(agreement.get(b)), new JuryWeights(0.6, 30));
    private final Judging judging = new Judging(
            new ReferenceJudge(new ReferenceScorer(), CLOCK),
            llm,
            new MapJudgingStore(),
            benchmark -> specs.getOrDefault(benchmark, BenchmarkSpec.defaults(benchmark)),
            Set.of()::contains);

    @Test
    void aWeightedScoreJuryWeighsItsMembersByTheirAgreementAndRecordsTheWeights() {
        // Given a weighted score jury whose members agreed with the human labels 80%, 50% and 70% of the time
        JudgeSpec jury = jury("panel", Protocol.SCORE, null, "weighted");
        String version = llm.resolve(jury).orElseThrow().versionKey();
        agreement.put(
                JUDGED,
                new LeaderboardSnapshot(
                        JUDGED,
                        JuryWeights.VIEW,
                        AS_OF,
                        120,
                        List.of(
                                row("panel", "j1", 0.8, 40, version),
                                row("panel", "j2", 0.5, 40, version),
                                row("panel", "j3", 0.7, 40, version))));

        // When the three grade an answer 8, 4 and 7
        Judgment j = judge(jury, "{\"score\": 8}", "{\"score\": 4}", "{\"score\": 7}");

        // Then j2 is not qualified (0.5 < 0.6): (0.8·8 + 0·4 + 0.7·7) / 1.5 = 11.3 / 1.5 = 7.5333…
        // (the plain mean would be 6.33)
        assertThat(j.score().value()).isCloseTo(11.3 / 1.5, within(1e-12));
        assertThat(j.details())
                .containsEntry("combine", "weighted")
                .containsEntry("weighting", JuryWeights.AGREEMENT)
                .containsEntry("weights", Map.of("j1", 0.8, "j2", 0.0, "j3", 0.7))
                .containsEntry("weightsAsOf", AS_OF.toString())
                .containsEntry("qualification", 0.6);
        assertThat(EventType.JUDGMENT.violations(Json.mapper().valueToTree(j))).isEmpty();
    }

    @Test
    void withoutASnapshotAWeightedJuryIsThePlainMeanAndSaysWhy() {
        JudgeSpec jury = jury("panel", Protocol.SCORE, null, "weighted");

        Judgment j = judge(jury, "{\"score\": 8}", "{\"score\": 4}", "{\"score\": 7}");

        assertThat(j.score().value()).isCloseTo(19.0 / 3, within(1e-12));
        assertThat(j.details())
                .containsEntry("weighting", "mean: no judge-agreement snapshot")
                .doesNotContainKey("weights");
    }

    @Test
    void aScoreJuryMoreThanTwoPointsApartIsSentForReview() {
        // 8, 4, 7: 4 points apart
        Outcome apart = outcome(
                jury("panel", Protocol.SCORE, null, null), "{\"score\": 8}", "{\"score\": 4}", "{\"score\": 7}");
        ReviewRequest review = apart.reviews().get(0);
        assertThat(review.reasons()).containsExactly(ReviewRequest.JURY_DISAGREES);
        assertThat(EventType.REVIEW_REQUEST.violations(Json.mapper().valueToTree(review)))
                .isEmpty();
        // and counted by reason
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new JudgeMetrics(meters).count(apart);
        assertThat(meters.get("assay.judge.reviews")
                        .tag("judge", "panel")
                        .tag("reason", ReviewRequest.JURY_DISAGREES)
                        .counter()
                        .count())
                .isEqualTo(1.0);

        // 6, 8, 7: 2 points apart is agreement
        Outcome close = outcome(
                jury("panel2", Protocol.SCORE, null, null), "{\"score\": 6}", "{\"score\": 8}", "{\"score\": 7}");
        assertThat(close.judgments()).hasSize(1);
        assertThat(close.reviews()).isEmpty();
    }

    @Test
    void aPairwiseJuryOnDifferentSidesIsSentForReviewOneOnTheSameSideIsNot() {
        // A+ (better) and A++ (much better): both wins; B+ (worse): a loss. The mean (1 + 2 − 1) / 3 = 0.67
        // rounds to better, but one member saw a loss: a human should look.
        JudgeSpec jury = jury("arena-jury", Protocol.PAIRWISE, List.of("base"), null);
        Outcome split =
                pairOutcome(jury, "i1", "{\"choice\": \"A+\"}", "{\"choice\": \"A++\"}", "{\"choice\": \"B+\"}");
        assertThat(split.judgments().get(0).pairwise().outcome()).isEqualTo(PairwiseOutcome.BETTER);
        assertThat(split.reviews().get(0).reasons()).containsExactly(ReviewRequest.JURY_DISAGREES);

        Outcome agreed =
                pairOutcome(jury, "i2", "{\"choice\": \"A+\"}", "{\"choice\": \"A++\"}", "{\"choice\": \"A+\"}");
        assertThat(agreed.judgments()).hasSize(1);
        assertThat(agreed.reviews()).isEmpty();
    }

    private Judgment judge(JudgeSpec jury, String... replies) {
        Outcome out = outcome(jury, replies);
        assertThat(out.judgments()).hasSize(1);
        return out.judgments().get(0);
    }

    /** Registers the jury, judges one answer, and returns the outcome of the last reply. */
    private Outcome outcome(JudgeSpec jury, String... replies) {
        specs.put(JUDGED, benchmarkSpec(JUDGED, jury));
        judging.onItem(chatItem("i1", 1));
        List<PromptRequest> asked =
                judging.onResponse(answer("i1", "cand"), new ReadAt(0, 1)).requests();
        return replyAll(asked, replies);
    }

    private Outcome pairOutcome(JudgeSpec jury, String itemId, String... replies) {
        specs.put(JUDGED, benchmarkSpec(JUDGED, jury));
        judging.onItem(chatItem(itemId, 1));
        judging.onResponse(answer(itemId, "base"), new ReadAt(0, 1));
        List<PromptRequest> asked =
                judging.onResponse(answer(itemId, "cand"), new ReadAt(0, 2)).requests();
        return replyAll(asked, replies);
    }

    private Outcome replyAll(List<PromptRequest> asked, String... replies) {
        assertThat(asked).extracting(PromptRequest::modelId).containsExactlyElementsOf(MEMBERS);
        Outcome last = null;
        for (int i = 0; i < replies.length; i++) {
            last = judging.onResponse(reply(asked.get(i), replies[i]), new ReadAt(1, i));
        }
        return last;
    }

    private static JudgeSpec jury(String id, Protocol protocol, List<String> baselines, String combine) {
        return new JudgeSpec(id, protocol, null, null, null, null, baselines, null, false, MEMBERS, combine);
    }

    private static io.assay.contracts.ModelResponse answer(String itemId, String model) {
        return JudgeFixtures.chatAnswer(
                itemId + "-" + model, itemId, 1, model, PLAIN, "answer of " + model, FinishReason.STOP, 0.5);
    }

    private static Row row(String jury, String member, double rate, long n, String version) {
        return new Row(
                1,
                jury + "[" + member + "]",
                false,
                rate,
                null,
                null,
                n,
                Map.of(),
                Map.of("jury", jury, "member", member, "judgeVersion", version));
    }
}
