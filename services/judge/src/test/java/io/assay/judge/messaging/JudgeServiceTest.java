package io.assay.judge.messaging;

import static io.assay.judge.JudgeFixtures.PLAIN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Ids;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.Keys;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelError;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Protocol;
import io.assay.contracts.Purpose;
import io.assay.contracts.Reference;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.Topics;
import io.assay.judge.JudgeFixtures;
import io.assay.judge.llm.JuryWeights;
import io.assay.judge.llm.LlmJudging;
import io.assay.judge.prompts.JudgePrompts;
import io.assay.kit.leaderboards.LeaderboardFeed;
import io.assay.testing.KafkaResource;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RequiresBroker
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class JudgeServiceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    LeaderboardFeed leaderboards;

    private TestClient client;
    private String benchmark;

    @BeforeEach
    void setUp() {
        client = TestBroker.get().client();
        benchmark = "judge-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void itemThenResponseIsJudged() {
        // Given a numeric item
        BenchmarkItem item = numericItem("i1", 9.0);
        client.send(Topics.ITEMS, item.key(), item);

        // When a model answers it correctly
        ModelResponse response = response(item, "sim-a", "3 + 4 = 7, times 2 is 14, minus 5 is 9.\nAnswer: 9");
        client.send(Topics.RESPONSES, response.key(), response);

        // Then one correct judgment appears, keyed by the item, with the deterministic id
        Judgment judgment = awaitJudgments(response.requestId(), 1).get(0);
        assertThat(judgment.judgmentId())
                .isEqualTo(Ids.judgmentId(List.of(response.requestId()), JudgeSpec.REFERENCE_AUTO));
        assertThat(judgment.correct()).isTrue();
        assertThat(judgment.extracted()).isEqualTo("9");
        assertThat(judgment.key()).isEqualTo(item.key());
        assertThat(judgment.judge()).isEqualTo(JudgeSpec.REFERENCE_AUTO);
        assertThat(judgment.subject().modelId()).isEqualTo("sim-a");
        ConsumerRecord<String, byte[]> record = client.readAllRaw(Topics.JUDGMENTS.name()).stream()
                .filter(r -> item.key().equals(r.key()))
                .findFirst()
                .orElseThrow();
        assertThat(TestClient.header(record, "ce_id")).isEqualTo(judgment.judgmentId());
        assertThat(TestClient.header(record, "ce_type")).isEqualTo("io.assay.judgment.v1");
        assertThat(TestClient.header(record, "ce_source")).isEqualTo("/assay/judge");
    }

    @Test
    void responseBeforeItemIsJudgedWhenTheItemArrives() throws InterruptedException {
        // Given a response to an item the judge has not seen yet
        BenchmarkItem item = numericItem("i2", 1000.0);
        ModelResponse response = response(item, "sim-b", "Answer: 1,001");
        client.send(Topics.RESPONSES, response.key(), response);
        Thread.sleep(1000);
        assertThat(judgmentsOf(response.requestId())).isEmpty();

        // When the item arrives
        client.send(Topics.ITEMS, item.key(), item);

        // Then the waiting response is judged (incorrect: 1001 is not 1000 ± 1e-6)
        Judgment judgment = awaitJudgments(response.requestId(), 1).get(0);
        assertThat(judgment.correct()).isFalse();
        assertThat(judgment.extracted()).isEqualTo("1,001");
        assertThat(judgment.rationale()).contains("expected 1000");
    }

    @Test
    void aRedeliveredResponseGetsTheSameJudgmentId() {
        // Given an item and a response delivered twice
        BenchmarkItem item = JudgeFixtures.item(
                benchmark,
                "i3",
                null,
                "Which curve is highest?",
                List.of("blue", "red", "green"),
                Reference.answer("red"));
        client.send(Topics.ITEMS, item.key(), item);
        ModelResponse response = response(item, "sim-c", "The red one.\nAnswer: (B)");
        client.send(Topics.RESPONSES, response.key(), response);
        client.send(Topics.RESPONSES, response.key(), response);

        // Then both judgments carry the same id (the aggregator deduplicates)
        List<Judgment> judgments = awaitJudgments(response.requestId(), 2);
        assertThat(judgments)
                .extracting(Judgment::judgmentId)
                .containsOnly(judgments.get(0).judgmentId());
        assertThat(judgments).extracting(Judgment::correct).containsOnly(true);
    }

    @Test
    void aFailedResponseIsNotJudged() {
        // Given an item, a failed response and then a good one on the same partition
        BenchmarkItem item = numericItem("i4", 5.0);
        client.send(Topics.ITEMS, item.key(), item);
        ModelResponse ok = response(item, "sim-d", "Answer: 5");
        ModelResponse failed = new ModelResponse(
                Ids.hash("req", benchmark, "failed"),
                Purpose.EVALUATE,
                benchmark,
                item.itemId(),
                1,
                "sim-e",
                true,
                PLAIN,
                null,
                null,
                null,
                FinishReason.ERROR,
                null,
                null,
                null,
                false,
                3,
                new ModelError("timeout", "no answer in 30 s", true),
                null,
                Instant.now());
        client.send(Topics.RESPONSES, failed.key(), failed);
        client.send(Topics.RESPONSES, ok.key(), ok);

        // When the good one has been judged (so the failed one, earlier on the partition, was processed)
        awaitJudgments(ok.requestId(), 1);

        // Then there is no judgment of the failed one, and it was counted
        assertThat(judgmentsOf(failed.requestId())).isEmpty();
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("assay_judge_responses_total{outcome=\"failed\"}"));
    }

    @Test
    void malformedResponsesBecomeDeadLettersMalformedItemsAreSkippedAndTheStreamGoesOn() {
        // Given a response that is not JSON and an item that misses its reference
        String badResponseKey = Keys.item(benchmark, "broken-response");
        String badItemKey = Keys.item(benchmark, "broken-item");
        client.sendRaw(Topics.RESPONSES.name(), badResponseKey, "{not json");
        client.sendRaw(
                Topics.ITEMS.name(),
                badItemKey,
                "{\"benchmark\":\"" + benchmark
                        + "\",\"itemId\":\"broken-item\",\"publishedAt\":\"2026-01-01T00:00:00Z\","
                        + "\"prompt\":\"q\"}");

        // Then the response becomes a dead letter with the original key and where it came from
        ConsumerRecord<String, byte[]> badResponse = awaitDeadLetter(badResponseKey);
        assertThat(new String(badResponse.value())).isEqualTo("{not json");
        assertThat(TestClient.header(badResponse, DeadLetters.STAGE)).isEqualTo("judge");
        assertThat(TestClient.header(badResponse, DeadLetters.REASON)).startsWith("not JSON");
        assertThat(TestClient.header(badResponse, DeadLetters.TOPIC)).isEqualTo(Topics.RESPONSES.name());
        assertThat(TestClient.header(badResponse, DeadLetters.PARTITION)).matches("[0-2]");
        assertThat(TestClient.header(badResponse, DeadLetters.OFFSET)).matches("\\d+");

        // And a later valid pair is still judged
        BenchmarkItem item = JudgeFixtures.item(benchmark, "i5", "capital of France?", Reference.answer("Paris"));
        client.send(Topics.ITEMS, item.key(), item);
        ModelResponse response = response(item, "sim-f", "Answer: **paris**.");
        client.send(Topics.RESPONSES, response.key(), response);
        assertThat(awaitJudgments(response.requestId(), 1).get(0).correct()).isTrue();

        // And the item is not the judge's dead letter: the prompt generator, which reads items first,
        // owns their dead letters; the judge skips it (assay.judge.items.refused)
        assertThat(client.readAllRaw(Topics.DEAD_LETTERS.name())).noneMatch(r -> badItemKey.equals(r.key()));
    }

    @Test
    void aRegisteredBenchmarkIsJudgedByItsReferenceAndLlmJudges() {
        // Given a benchmark with a forced exact judge and an LLM score judge
        JudgeSpec strict = new JudgeSpec("strict", Protocol.REFERENCE, "exact", "1", null, null, null, null, null);
        JudgeSpec llm = new JudgeSpec("wb-score", Protocol.SCORE, null, "1", "sim-judge", null, null, null, null);
        BenchmarkSpec spec = new BenchmarkSpec(
                benchmark, null, null, 1, false, List.of(strict, llm), Map.of(), List.of(), Instant.now());
        client.send(Topics.BENCHMARKS, benchmark, spec);
        BenchmarkItem item =
                JudgeFixtures.item(benchmark, "i6", "2+2?", new Reference(List.of("4"), 4.0, 0.0, null, null));
        client.send(Topics.ITEMS, item.key(), item);

        // When answers arrive (the config registry may lag the item by a moment, so keep answering until
        // the registered judge is the one judging)
        Judgment judgment = null;
        for (int attempt = 0; attempt < 30 && judgment == null; attempt++) {
            ModelResponse response = response(item, "sim-g" + attempt, "Answer: 4.0");
            client.send(Topics.RESPONSES, response.key(), response);
            Judgment latest = awaitJudgments(response.requestId(), 1).get(0);
            if ("strict".equals(latest.judge().id())) {
                judgment = latest;
            }
        }

        // Then the exact judge decided ("4.0" is not "4" as text) and the LLM judge asked its judge model
        assertThat(judgment).isNotNull();
        assertThat(judgment.judge()).isEqualTo(strict);
        assertThat(judgment.correct()).isFalse();
        String answered = judgment.subject().requestId();
        PromptRequest asked = client.await(
                        Topics.PROMPTS,
                        p -> p.purpose() == Purpose.JUDGE
                                && p.subjectRequestIds().contains(answered),
                        1,
                        TIMEOUT)
                .get(0);
        assertThat(asked.modelId()).isEqualTo("sim-judge");
        assertThat(asked.judgeId()).isEqualTo("wb-score");

        // When the judge model replies, Then a score judgment follows
        ModelResponse verdict = JudgeFixtures.judgeReply(
                asked.requestId(),
                benchmark,
                "i6",
                1,
                "sim-judge",
                asked.variant(),
                "wb-score",
                "{\"strengths\": \"right\", \"score\": 9}");
        client.send(Topics.RESPONSES, verdict.key(), verdict);
        Judgment scored = client.await(
                        Topics.JUDGMENTS,
                        j -> "wb-score".equals(j.judge().id())
                                && answered.equals(j.subject().requestId()),
                        1,
                        TIMEOUT)
                .get(0);
        assertThat(scored.score().value()).isEqualTo(9.0);
        assertThat(scored.judge().promptVersion()).isEqualTo("1");
    }

    @Test
    void aWeightedJuryReadsItsWeightsFromTheLatestJudgeAgreementSnapshot() {
        // Given a benchmark whose weighted score jury's members agreed with human labels 0.9 and 0.6 of the time,
        // published by the aggregator on assay.leaderboards and read by the judge's feed
        JudgeSpec panel = new JudgeSpec(
                "panel", Protocol.SCORE, null, "1", null, null, null, null, null, List.of("j1", "j2"), "weighted");
        String version = new LlmJudging(JudgePrompts.shipped(), java.time.Clock.systemUTC())
                .resolve(panel)
                .orElseThrow()
                .versionKey();
        LeaderboardSnapshot agreement = new LeaderboardSnapshot(
                benchmark,
                JuryWeights.VIEW,
                Instant.parse("2026-12-01T12:00:00Z"),
                80,
                List.of(member("j1", 0.9, version), member("j2", 0.6, version)));
        client.send(Topics.LEADERBOARDS, Keys.leaderboard(benchmark, JuryWeights.VIEW), agreement);
        Awaitility.await()
                .atMost(TIMEOUT)
                .until(() -> leaderboards.latest(benchmark, JuryWeights.VIEW).isPresent());
        client.send(
                Topics.BENCHMARKS,
                benchmark,
                new BenchmarkSpec(benchmark, null, null, 1, false, List.of(panel), Map.of(), List.of(), Instant.now()));
        BenchmarkItem item = JudgeFixtures.item(
                benchmark,
                "i7",
                "chat",
                "Write a haiku",
                null,
                new Reference(null, null, null, null, List.of("5-7-5")));
        client.send(Topics.ITEMS, item.key(), item);

        // When an answer is judged (answering until the registered jury asks) and the members reply 9 and 4
        List<PromptRequest> asked = List.of();
        for (int attempt = 0; attempt < 30 && asked.isEmpty(); attempt++) {
            ModelResponse response = response(item, "sim-w" + attempt, "an old pond");
            client.send(Topics.RESPONSES, response.key(), response);
            try {
                asked = client.await(
                        Topics.PROMPTS,
                        p -> p.purpose() == Purpose.JUDGE
                                && p.subjectRequestIds().contains(response.requestId()),
                        2,
                        Duration.ofSeconds(5));
            } catch (AssertionError registryNotYetUpdated) {
                // judged by the defaults (a reference judge with nothing to score): answer again
            }
        }
        assertThat(asked).extracting(PromptRequest::modelId).containsExactlyInAnyOrder("j1", "j2");
        for (PromptRequest request : asked) {
            String score = "j1".equals(request.modelId()) ? "9" : "4";
            ModelResponse reply = JudgeFixtures.reply(request, "{\"score\": " + score + "}");
            client.send(Topics.RESPONSES, reply.key(), reply);
        }

        // Then the judgment is (0.9·9 + 0.6·4) / 1.5 = 7, not the mean 6.5, and records the weights it used
        String answered = asked.get(0).subjectRequestIds().get(0);
        Judgment judged = client.await(
                        Topics.JUDGMENTS,
                        j -> "panel".equals(j.judge().id())
                                && answered.equals(j.subject().requestId()),
                        1,
                        TIMEOUT)
                .get(0);
        assertThat(judged.score().value()).isCloseTo(7.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(judged.details())
                .containsEntry("weighting", JuryWeights.AGREEMENT)
                .containsEntry("weights", Map.of("j1", 0.9, "j2", 0.6))
                .containsEntry("weightsAsOf", "2026-12-01T12:00:00Z");
    }

    private static LeaderboardSnapshot.Row member(String member, double rate, String version) {
        return new LeaderboardSnapshot.Row(
                1,
                "panel[" + member + "]",
                false,
                rate,
                null,
                null,
                40,
                Map.of(),
                Map.of("jury", "panel", "member", member, "judgeVersion", version));
    }

    @Test
    void healthIsUpOnceTheStreamRuns() {
        Awaitility.await()
                .atMost(TIMEOUT)
                .untilAsserted(() ->
                        given().get("/q/health/ready").then().statusCode(200).body(containsString("\"UP\"")));
    }

    private BenchmarkItem numericItem(String itemId, double value) {
        return JudgeFixtures.item(benchmark, itemId, "arithmetic", "compute", null, Reference.numeric(value, 0.000001));
    }

    private ModelResponse response(BenchmarkItem item, String modelId, String output) {
        String requestId = Ids.requestId(
                item.benchmark(), item.itemId(), item.revisionOrDefault(), modelId, PLAIN, (SamplingParams) null);
        return new ModelResponse(
                requestId,
                Purpose.EVALUATE,
                item.benchmark(),
                item.itemId(),
                item.revisionOrDefault(),
                modelId,
                true,
                PLAIN,
                item.category(),
                item.publishedAt(),
                output,
                FinishReason.STOP,
                null,
                12L,
                0.0,
                false,
                1,
                null,
                null,
                Instant.now());
    }

    private List<Judgment> awaitJudgments(String requestId, int count) {
        return client.await(Topics.JUDGMENTS, j -> requestId.equals(j.subject().requestId()), count, TIMEOUT);
    }

    private List<Judgment> judgmentsOf(String requestId) {
        return client.readAll(Topics.JUDGMENTS).stream()
                .filter(j -> requestId.equals(j.subject().requestId()))
                .toList();
    }

    private ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
        return client.awaitRaw(Topics.DEAD_LETTERS.name(), r -> key.equals(r.key()), 1, TIMEOUT)
                .get(0);
    }
}
