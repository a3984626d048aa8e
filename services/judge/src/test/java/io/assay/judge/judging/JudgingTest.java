package io.assay.judge.judging;

import static io.assay.judge.JudgeFixtures.JUDGED;
import static io.assay.judge.JudgeFixtures.PLAIN;
import static io.assay.judge.JudgeFixtures.arena;
import static io.assay.judge.JudgeFixtures.benchmarkSpec;
import static io.assay.judge.JudgeFixtures.chatItem;
import static io.assay.judge.JudgeFixtures.numericAnswer;
import static io.assay.judge.JudgeFixtures.numericItem;
import static io.assay.judge.JudgeFixtures.reply;
import static io.assay.judge.JudgeFixtures.scoreJudge;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.EventType;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Ids;
import io.assay.contracts.Json;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Purpose;
import io.assay.contracts.ReviewRequest;
import io.assay.judge.JudgeFixtures;
import io.assay.judge.judging.Outcome.Response;
import io.assay.judge.llm.LlmJudging;
import io.assay.judge.prompts.JudgePrompts;
import io.assay.judge.review.ReviewSelection;
import io.assay.judge.scoring.ReferenceJudge;
import io.assay.judge.scoring.ReferenceScorer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The join, the pairing and the ballots without a broker: events go in one at a time, in the orders
 * Kafka may deliver them, and each {@link Outcome} says what the judge would emit.
 */
class JudgingTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), ZoneOffset.UTC);
    private static final String NUMERIC_KEY = "bench/item-1";
    private static final JudgeSpec ARENA = arena(null, false);

    private final MapJudgingStore store = new MapJudgingStore();
    private final Map<String, BenchmarkSpec> specs = new HashMap<>();
    private final Judging judging = new Judging(
            new ReferenceJudge(new ReferenceScorer(), CLOCK),
            new LlmJudging(JudgePrompts.shipped(), CLOCK),
            store,
            benchmark -> specs.getOrDefault(benchmark, BenchmarkSpec.defaults(benchmark)),
            Set.of("sim-judge")::contains);

    @Test
    void aResponseToAnItemAlreadyHereIsJudgedAtOnce() {
        // Given revision 1 of a numeric item
        judging.onItem(numericItem(1, 7.0));

        // When a correct answer arrives
        Outcome out = judging.onResponse(numericAnswer("r1", 1, "Answer: 7"), new ReadAt(0, 10));

        // Then it is judged correct against revision 1
        assertThat(out.responses()).containsExactly(Response.JUDGED);
        assertThat(out.judgments()).singleElement().satisfies(j -> {
            assertThat(j.subject().requestId()).isEqualTo("r1");
            assertThat(j.revision()).isEqualTo(1);
            assertThat(j.correct()).isTrue();
            assertThat(j.judge()).isEqualTo(JudgeSpec.REFERENCE_AUTO);
        });
        assertThat(out.requests()).isEmpty();
        assertThat(out.rejections()).isEmpty();
    }

    @Test
    void aResponseBeforeItsItemWaitsAndIsJudgedWhenTheItemArrives() {
        // Given an answer to an item not here yet
        Outcome early = judging.onResponse(numericAnswer("r1", 1, "Answer: 7"), new ReadAt(0, 10));
        assertThat(early.responses()).containsExactly(Response.PENDING);
        assertThat(early.judgments()).isEmpty();

        // When the item arrives
        Outcome late = judging.onItem(numericItem(1, 7.0));

        // Then the waiting answer is judged, and waits no more
        assertThat(late.judgments()).extracting(j -> j.subject().requestId()).containsExactly("r1");
        assertThat(late.judgments().get(0).correct()).isTrue();
        assertThat(late.responses()).containsExactly(Response.JUDGED);
        assertThat(store.waiting(NUMERIC_KEY)).isEmpty();
    }

    @Test
    void aResponseToAnOlderRevisionIsStale() {
        // Given revision 2 of an item
        judging.onItem(numericItem(2, 7.0));

        // When an answer to revision 1 arrives
        Outcome out = judging.onResponse(numericAnswer("r1", 1, "Answer: 7"), new ReadAt(0, 10));

        // Then it is dropped, not kept
        assertThat(out.responses()).containsExactly(Response.STALE);
        assertThat(out.judgments()).isEmpty();
        assertThat(store.waiting(NUMERIC_KEY)).isEmpty();
    }

    @Test
    void aNewerRevisionDropsTheAnswersWaitingForAnOlderOne() {
        // Given answers waiting for revisions 1 and 2
        judging.onResponse(numericAnswer("r1", 1, "Answer: 1"), new ReadAt(0, 10));
        judging.onResponse(numericAnswer("r2", 2, "Answer: 2"), new ReadAt(0, 11));

        // When revision 2 arrives first
        Outcome out = judging.onItem(numericItem(2, 2.0));

        // Then the answer to revision 2 is judged and the one to revision 1 is stale
        assertThat(out.judgments()).extracting(j -> j.subject().requestId()).containsExactly("r2");
        assertThat(out.responses()).containsExactly(Response.STALE, Response.JUDGED);
        assertThat(store.waiting(NUMERIC_KEY)).isEmpty();
        // And a late revision 1 neither replaces revision 2 nor judges anything
        assertThat(judging.onItem(numericItem(1, 1.0)).judgments()).isEmpty();
        assertThat(store.item(NUMERIC_KEY).revisionOrDefault()).isEqualTo(2);
    }

    @Test
    void aCandidatePairsWithABaselineThatAnswersAfterIt() {
        // Given a pairwise judge against "base" and a candidate's answer
        register(ARENA);
        judging.onItem(chatItem("i1", 1));
        ModelResponse candidate = chatAnswer("i1", 1, "cand", "candidate", 0.9);
        ModelResponse baseline = chatAnswer("i1", 1, "base", "baseline", 0.4);
        Outcome first = judging.onResponse(candidate, new ReadAt(0, 1));
        assertThat(first.requests()).isEmpty();
        assertThat(first.responses()).containsExactly(Response.JUDGED);

        // When the baseline answers
        Outcome second = judging.onResponse(baseline, new ReadAt(0, 2));

        // Then the sim judge is asked about the pair, candidate shown first, with both qualities
        assertThat(second.requests()).singleElement().satisfies(r -> {
            assertThat(r.purpose()).isEqualTo(Purpose.JUDGE);
            assertThat(r.modelId()).isEqualTo("sim-judge");
            assertThat(r.subjectRequestIds()).containsExactly(candidate.requestId(), baseline.requestId());
            assertThat(r.simulation().qualities()).containsExactly(0.9, 0.4);
        });
    }

    @Test
    void aCandidatePairsWithABaselineThatAnsweredBeforeIt() {
        // Given a pairwise judge against "base" and the baseline's answer
        register(ARENA);
        judging.onItem(chatItem("i1", 1));
        ModelResponse baseline = chatAnswer("i1", 1, "base", "baseline", 0.4);
        assertThat(judging.onResponse(baseline, new ReadAt(0, 1)).requests()).isEmpty();

        // When the candidate answers
        ModelResponse candidate = chatAnswer("i1", 1, "cand", "candidate", 0.9);
        Outcome out = judging.onResponse(candidate, new ReadAt(0, 2));

        // Then the pair is the same as in the other order: candidate as subject, shown first
        assertThat(out.requests())
                .singleElement()
                .satisfies(r ->
                        assertThat(r.subjectRequestIds()).containsExactly(candidate.requestId(), baseline.requestId()));
    }

    @Test
    void aPositionInconsistentPairIsSentForReviewAndTheAuditDrawsAtItsRate() {
        // Given a position-swapped pairwise judge, asked about a pair in both orders
        register(arena(null, true));
        judging.onItem(chatItem("i1", 1));
        judging.onResponse(chatAnswer("i1", 1, "base", "baseline", 0.4), new ReadAt(0, 1));
        List<PromptRequest> asked = judging.onResponse(chatAnswer("i1", 1, "cand", "candidate", 0.9), new ReadAt(0, 2))
                .requests();
        assertThat(asked).hasSize(2);

        // When the judge prefers whatever it is shown first, in both orders
        judging.onResponse(reply(asked.get(0), "{\"choice\": \"A>B\"}"), new ReadAt(0, 3));
        Outcome last = judging.onResponse(reply(asked.get(1), "{\"choice\": \"A>B\"}"), new ReadAt(0, 4));

        // Then the judgment (a tie) goes out with a request to review it, position-inconsistent
        Judgment judgment = only(last.judgments());
        assertThat(judgment.pairwise().outcome()).isEqualTo(PairwiseOutcome.TIE);
        ReviewRequest review = only(last.reviews());
        assertThat(review.judgment()).isEqualTo(judgment);
        assertThat(review.reasons()).containsExactly(ReviewRequest.POSITION_INCONSISTENT);
        assertThat(review.reviewId()).isEqualTo(Ids.hash("review", judgment.judgmentId()));
        assertThat(EventType.REVIEW_REQUEST.violations(Json.mapper().valueToTree(review)))
                .isEmpty();

        // And the audit draws a share of judgment ids close to its rate, none at rate 0, all at rate 1
        long drawn = java.util.stream.IntStream.range(0, 10_000)
                .filter(i -> ReviewSelection.sampled("j" + i, 0.1))
                .count();
        assertThat(drawn).isBetween(900L, 1100L);
        assertThat(ReviewSelection.sampled("j1", 0)).isFalse();
        assertThat(ReviewSelection.sampled("j1", 1)).isTrue();
    }

    @Test
    void aDuplicateAnswerAsksNothingAgain() {
        // Given a pair already asked about
        register(ARENA);
        judging.onItem(chatItem("i1", 1));
        ModelResponse candidate = chatAnswer("i1", 1, "cand", "candidate", 0.9);
        ModelResponse baseline = chatAnswer("i1", 1, "base", "baseline", 0.4);
        judging.onResponse(candidate, new ReadAt(0, 1));
        assertThat(judging.onResponse(baseline, new ReadAt(0, 2)).requests()).hasSize(1);

        // When either answer is delivered again
        Outcome candidateAgain = judging.onResponse(candidate, new ReadAt(0, 3));
        Outcome baselineAgain = judging.onResponse(baseline, new ReadAt(0, 4));

        // Then the ballot exists: nothing is asked again
        assertThat(candidateAgain.requests()).isEmpty();
        assertThat(candidateAgain.responses()).containsExactly(Response.DUPLICATE, Response.JUDGED);
        assertThat(baselineAgain.requests()).isEmpty();
        assertThat(baselineAgain.responses()).containsExactly(Response.DUPLICATE, Response.JUDGED);
    }

    @Test
    void aNewRevisionPairsOnlyItsOwnAnswers() {
        // Given a candidate's answer to revision 1
        register(ARENA);
        judging.onItem(chatItem("i1", 1));
        judging.onResponse(chatAnswer("i1", 1, "cand", "old candidate", 0.9), new ReadAt(0, 1));

        // When revision 2 arrives and the baseline answers it
        judging.onItem(chatItem("i1", 2));
        Outcome out = judging.onResponse(chatAnswer("i1", 2, "base", "new baseline", 0.4), new ReadAt(0, 2));

        // Then it does not pair with the answer to revision 1, which is forgotten
        assertThat(out.requests()).isEmpty();
        assertThat(store.answerCount()).isEqualTo(1);
    }

    @Test
    void anUnparseableReplyIsRepairedOnceAndTheRepairedVerdictCounts() {
        // Given a score judge asked about an answer
        register(scoreJudge("sim-judge"));
        judging.onItem(chatItem("i1", 1));
        ModelResponse answer = chatAnswer("i1", 1, "cand", "ok", 0.5);
        PromptRequest first = only(judging.onResponse(answer, new ReadAt(0, 1)).requests());

        // When the judge's reply cannot be read
        Outcome unreadable = judging.onResponse(reply(first, "score: eleven"), new ReadAt(0, 2));

        // Then a repair continues the conversation, and nothing is judged yet
        assertThat(unreadable.responses()).containsExactly(Response.VERDICT);
        assertThat(unreadable.replyRead()).isTrue();
        assertThat(unreadable.unparseable()).containsExactly("wb-score");
        assertThat(unreadable.judgments()).isEmpty();
        PromptRequest repair = only(unreadable.repairs());
        assertThat(repair.requestId()).isNotEqualTo(first.requestId());
        assertThat(repair.messages()).hasSize(first.messages().size() + 2);

        // When the repair is answered
        Outcome repaired = judging.onResponse(reply(repair, "{\"score\": 4}"), new ReadAt(0, 3));

        // Then the judgment carries the repaired score
        assertThat(repaired.repairs()).isEmpty();
        assertThat(repaired.unparseable()).isEmpty();
        Judgment judgment = only(repaired.judgments());
        assertThat(judgment.unparseable()).isFalse();
        assertThat(judgment.score().value()).isEqualTo(4.0);
        assertThat(judgment.judgmentId()).isEqualTo(Ids.judgmentId(List.of(answer.requestId()), judgment.judge()));

        // When the repair's reply is delivered again, Then nothing more happens
        Outcome again = judging.onResponse(reply(repair, "{\"score\": 5}"), new ReadAt(0, 4));
        assertThat(again.judgments()).isEmpty();
        assertThat(again.responses()).containsExactly(Response.SKIPPED);
        assertThat(again.replyRead()).isFalse();
    }

    @Test
    void aJudgeReplyThatStoppedForLengthIsTruncatedNeverAScore() {
        // Given a score judge asked about an answer
        register(scoreJudge("sim-judge"));
        judging.onItem(chatItem("i1", 1));
        PromptRequest first = only(judging.onResponse(chatAnswer("i1", 1, "cand", "ok", 0.5), new ReadAt(0, 1))
                .requests());

        // When its reply, a 10 cut after the 1, stopped for length
        Outcome cut = judging.onResponse(stoppedForLength(reply(first, "{\"score\": 1")), new ReadAt(0, 2));

        // Then it is no verdict: a repair is asked
        assertThat(cut.unparseable()).containsExactly("wb-score");
        assertThat(cut.judgments()).isEmpty();
        PromptRequest repair = only(cut.repairs());

        // When the repair is cut too, Then the judgment is unparseable with the reason, and has no score
        Judgment judgment = only(judging.onResponse(stoppedForLength(reply(repair, "{\"score\": 1")), new ReadAt(0, 3))
                .judgments());
        assertThat(judgment.unparseable()).isTrue();
        assertThat(judgment.score()).isNull();
        assertThat(Json.write(judgment.details())).contains("truncated");
        assertThat(EventType.JUDGMENT.violations(Json.mapper().valueToTree(judgment)))
                .isEmpty();
    }

    @Test
    void aPairJudgmentCountsInTheCategoryOfEachTagAndCarriesTheBaselineAnswersFlags() {
        // Given: WildBench-style tags mapped to task groups by the benchmark's spec, and an item without category
        specs.put(
                JUDGED,
                new BenchmarkSpec(
                        JUDGED,
                        null,
                        null,
                        null,
                        null,
                        List.of(ARENA),
                        Map.of(),
                        Map.of("Coding", "Coding & Debugging", "Reasoning", "Planning & Reasoning", "Math", "Math"),
                        List.of(),
                        null));
        ObjectNode tree = Json.mapper().valueToTree(chatItem("i1", 1));
        tree.remove("category");
        tree.putArray("tags").add("Coding").add("Reasoning").add("Coding").add("Unmapped");
        judging.onItem(Json.bind(tree, io.assay.contracts.BenchmarkItem.class));

        // When: a candidate answers, then the baseline, cut at its token limit, and the judge decides
        judging.onResponse(chatAnswer("i1", 1, "cand", "candidate", 0.9), new ReadAt(0, 1));
        PromptRequest asked = only(
                judging.onResponse(stoppedForLength(chatAnswer("i1", 1, "base", "baseline", 0.4)), new ReadAt(0, 2))
                        .requests());
        Judgment judgment = only(judging.onResponse(reply(asked, "{\"choice\": \"A+\"}"), new ReadAt(0, 3))
                .judgments());

        // Then: in each mapped task group once, in tag order; the baseline's truncation is on the pair
        assertThat(judgment.categories()).containsExactly("Coding & Debugging", "Planning & Reasoning");
        assertThat(judgment.category()).isEqualTo("Coding & Debugging");
        assertThat(judgment.pairwise().baselineTruncated()).isTrue();
        assertThat(judgment.pairwise().baselineEmpty()).isFalse();
        assertThat(judgment.truncated()).isFalse();
    }

    private static ModelResponse stoppedForLength(ModelResponse reply) {
        ObjectNode tree = Json.mapper().valueToTree(reply);
        tree.put("finishReason", "length");
        return Json.bind(tree, ModelResponse.class);
    }

    private void register(JudgeSpec judge) {
        specs.put(JUDGED, benchmarkSpec(JUDGED, judge));
    }

    private static <T> T only(List<T> values) {
        assertThat(values).hasSize(1);
        return values.get(0);
    }

    /** A plain answer to a chat item, its request id made of the item, the revision and the model. */
    private static ModelResponse chatAnswer(String itemId, int revision, String model, String output, Double quality) {
        String requestId = Ids.hash("test", itemId, Integer.toString(revision), model);
        return JudgeFixtures.chatAnswer(requestId, itemId, revision, model, PLAIN, output, FinishReason.STOP, quality);
    }
}
