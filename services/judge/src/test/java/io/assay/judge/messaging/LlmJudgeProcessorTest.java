package io.assay.judge.messaging;

import static io.assay.judge.JudgeFixtures.JUDGED;
import static io.assay.judge.JudgeFixtures.PLAIN;
import static io.assay.judge.JudgeFixtures.arena;
import static io.assay.judge.JudgeFixtures.benchmarkSpec;
import static io.assay.judge.JudgeFixtures.chatAnswer;
import static io.assay.judge.JudgeFixtures.chatItem;
import static io.assay.judge.JudgeFixtures.preferenceReply;
import static io.assay.judge.JudgeFixtures.reply;
import static io.assay.judge.JudgeFixtures.scoreJudge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Ids;
import io.assay.contracts.Json;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Protocol;
import io.assay.contracts.Provider;
import io.assay.contracts.Purpose;
import io.assay.contracts.Topics;
import io.assay.contracts.Variant;
import io.assay.kit.config.ConfigRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LLM-judge protocols through the real topology: judge requests out, judge replies in, judgments out. */
class LlmJudgeProcessorTest {
    private static final Variant TERSE = new Variant("terse", "1", 0, null);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConfigRegistry config = new ConfigRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> items;
    private TestInputTopic<String, byte[]> responses;
    private TestOutputTopic<String, byte[]> judgments;
    private TestOutputTopic<String, byte[]> prompts;

    @BeforeEach
    void setUp() {
        driver = TestTopology.driver(config, registry, "judge-llm-test");
        items = TestTopology.input(driver, Topics.ITEMS);
        responses = TestTopology.input(driver, Topics.RESPONSES);
        judgments = TestTopology.output(driver, Topics.JUDGMENTS);
        prompts = TestTopology.output(driver, Topics.PROMPTS);
        ModelSpec simJudge = new ModelSpec(
                "sim-judge",
                null,
                Provider.SIM,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new ModelSpec.SimSpec(0, 100, 0, 0.0, 1L),
                null);
        TestTopology.register(config, Topics.MODELS, simJudge.modelId(), simJudge);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void aScoreJudgeAsksTheJudgeModelAndRecordsItsSpec() {
        // Given a score judge with a sim judge model and an item with a checklist
        register(scoreJudge("sim-judge"));
        send(chatItem("i1", 1));

        // When a truncated answer arrives
        ModelResponse answer = answer("i1", "cand", PLAIN, "A long answer that was cut", FinishReason.LENGTH, 0.8);
        send(answer);

        // Then one JUDGE request goes to the judge model, with sim hints of the answer shown
        PromptRequest request = onlyPrompt();
        assertThat(request.purpose()).isEqualTo(Purpose.JUDGE);
        assertThat(request.modelId()).isEqualTo("sim-judge");
        assertThat(request.judgeId()).isEqualTo("wb-score");
        assertThat(request.subjectRequestIds()).containsExactly(answer.requestId());
        assertThat(request.simulation().qualities()).containsExactly(0.8);
        assertThat(request.simulation().answerChars()).containsExactly(26);
        String user =
                request.messages().get(request.messages().size() - 1).content().asText();
        assertThat(user).contains("- cites a source").contains("A long answer that was cut");

        // When the judge replies in fenced JSON
        send(
                reply(
                        request,
                        "Evaluation:\n```json\n{\"checklist\": [\"no\"], \"strengths\": \"s\", \"weaknesses\": \"w\", \"score\": 6}\n```"));

        // Then the judgment carries the score, the full resolved judge spec and the truncation flag
        Judgment j = onlyJudgment();
        assertThat(j.kind()).isEqualTo(JudgmentKind.SCORE);
        assertThat(j.score().value()).isEqualTo(6.0);
        assertThat(j.score().max()).isEqualTo(10.0);
        assertThat(j.judge().method()).isEqualTo("wildbench-score");
        assertThat(j.judge().promptVersion()).isEqualTo("1");
        assertThat(j.judge().judgeModel()).isEqualTo("sim-judge");
        assertThat(j.truncated()).isTrue();
        assertThat(j.empty()).isFalse();
        assertThat(j.judgmentId()).isEqualTo(Ids.judgmentId(List.of(answer.requestId()), j.judge()));
        assertThat(j.rationale()).contains("strengths: s");
        assertThat(registry.get(JudgeMetrics.JUDGMENTS)
                        .tag("judge", "wb-score")
                        .tag("protocol", "score")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void theJudgeRequestAndItsJudgmentGoOnInTheAnswersTrace() {
        // Given a score judge and an answer in a trace
        register(scoreJudge("sim-judge"));
        send(chatItem("i1", 1));
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        ModelResponse answer = answer("i1", "cand", PLAIN, "An answer", FinishReason.STOP, 0.8);
        responses.pipeInput(traced(answer.key(), Json.writeBytes(answer), trace));

        // When the judge request goes out, Then it carries the trace
        TestRecord<String, byte[]> requestRecord = prompts.readRecord();
        assertThat(traceparent(requestRecord)).matches("00-" + trace + "-[0-9a-f]{16}-01");
        PromptRequest request =
                Json.read(new String(requestRecord.value(), StandardCharsets.UTF_8), PromptRequest.class);

        // When the judge model's reply comes back in the same trace (the invoker carries it on)
        ModelResponse reply = reply(
                request,
                "```json\n{\"checklist\": [\"no\"], \"strengths\": \"s\", \"weaknesses\": \"w\", \"score\": 6}\n```");
        responses.pipeInput(traced(reply.key(), Json.writeBytes(reply), trace));

        // Then the judgment carries it too
        assertThat(traceparent(judgments.readRecord())).matches("00-" + trace + "-[0-9a-f]{16}-01");
    }

    private static TestRecord<String, byte[]> traced(String key, byte[] value, String traceId) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));
        return new TestRecord<>(key, value, headers);
    }

    private static String traceparent(TestRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
    }

    @Test
    void anUnparseableVerdictGetsOneRepairThenAFlaggedJudgment() {
        register(scoreJudge("real-judge"));
        send(chatItem("i1", 1));
        send(answer("i1", "cand", PLAIN, "", FinishReason.STOP, null));
        PromptRequest first = onlyPrompt();
        // A real judge model gets no simulation hints.
        assertThat(first.simulation()).isNull();

        // When the judge's reply cannot be read
        send(reply(first, "I would rather not say."));
        // Then a repair request continues the conversation, and nothing is judged yet
        PromptRequest repair = onlyPrompt();
        assertThat(repair.requestId()).isNotEqualTo(first.requestId());
        assertThat(repair.messages()).hasSize(first.messages().size() + 2);
        assertThat(repair.messages().get(first.messages().size()).role()).isEqualTo("assistant");
        assertThat(repair.messages().get(first.messages().size() + 1).content().asText())
                .contains("no score found");
        assertThat(judgments.isEmpty()).isTrue();

        // When the repair is unreadable too, Then the judgment is flagged unparseable and both replies are kept
        send(reply(repair, "{\"score\": 42}"));
        Judgment j = onlyJudgment();
        assertThat(j.unparseable()).isTrue();
        assertThat(j.score()).isNull();
        assertThat(j.empty()).isTrue();
        assertThat(j.details().toString()).contains("I would rather not say.").contains("{\"score\": 42}");
        assertThat(registry.get(JudgeMetrics.UNPARSEABLE)
                        .tag("judge", "wb-score")
                        .counter()
                        .count())
                .isEqualTo(2.0);
        assertThat(prompts.isEmpty()).isTrue();

        // When the repair reply is redelivered, Then nothing more happens
        send(reply(repair, "{\"score\": 5}"));
        assertThat(judgments.isEmpty()).isTrue();
    }

    @Test
    void aRepairedVerdictCounts() {
        register(scoreJudge("sim-judge"));
        send(chatItem("i1", 1));
        send(answer("i1", "cand", PLAIN, "ok", FinishReason.STOP, 0.5));
        PromptRequest first = onlyPrompt();
        send(reply(first, "score: eleven"));
        send(reply(onlyPrompt(), "{\"score\": 4}"));
        Judgment j = onlyJudgment();
        assertThat(j.unparseable()).isFalse();
        assertThat(j.score().value()).isEqualTo(4.0);
    }

    @Test
    void pairingWorksInEitherArrivalOrderAndIgnoresDuplicates() {
        register(arena(null, false));
        send(chatItem("i1", 1));
        send(chatItem("i2", 1));

        // Candidate before baseline
        ModelResponse cand1 = answer("i1", "cand", PLAIN, "candidate one", FinishReason.STOP, 0.9);
        ModelResponse base1 = answer("i1", "base", PLAIN, "baseline one", FinishReason.STOP, 0.4);
        send(cand1);
        assertThat(prompts.isEmpty()).isTrue();
        send(base1);
        PromptRequest p1 = onlyPrompt();
        assertThat(p1.subjectRequestIds()).containsExactly(cand1.requestId(), base1.requestId());
        assertThat(p1.simulation().qualities()).containsExactly(0.9, 0.4);

        // Baseline before candidate
        ModelResponse base2 = answer("i2", "base", PLAIN, "baseline two", FinishReason.STOP, 0.4);
        ModelResponse cand2 = answer("i2", "cand", PLAIN, "candidate two", FinishReason.STOP, 0.9);
        send(base2);
        assertThat(prompts.isEmpty()).isTrue();
        send(cand2);
        assertThat(onlyPrompt().subjectRequestIds()).containsExactly(cand2.requestId(), base2.requestId());

        // Duplicates ask nothing again; another variant does not pair with this one
        send(cand1);
        send(base1);
        send(base2);
        send(answer("i1", "other", TERSE, "other format", FinishReason.STOP, 0.5));
        assertThat(prompts.isEmpty()).isTrue();

        // A second candidate pairs with the stored baseline
        ModelResponse cand3 = answer("i1", "cand-3", PLAIN, "third", FinishReason.STOP, 0.6);
        send(cand3);
        assertThat(onlyPrompt().subjectRequestIds()).containsExactly(cand3.requestId(), base1.requestId());
    }

    @Test
    void aNewRevisionPairsOnlyItsOwnAnswers() {
        register(arena(null, false));
        send(chatItem("i1", 1));
        send(answer("i1", "cand", PLAIN, "old candidate", FinishReason.STOP, 0.9));
        // When revision 2 arrives and the baseline answers it
        BenchmarkItem revised = chatItem("i1", 2, Instant.parse("2026-01-02T00:00:00Z"), "Explain tides, briefly.");
        send(revised);
        ModelResponse base2 = chatAnswer(
                Ids.hash("test", "i1", "base", "r2"), "i1", 2, "base", PLAIN, "new baseline", FinishReason.STOP, 0.5);
        send(base2);
        // Then the baseline's answer is judged against revision 2 but does not pair with the candidate's
        // answer to revision 1
        assertThat(registry.get(JudgeMetrics.RESPONSES)
                        .tag("outcome", "judged")
                        .counter()
                        .count())
                .isEqualTo(2.0);
        assertThat(prompts.isEmpty()).isTrue();
    }

    @Test
    void positionSwapJudgesBothOrdersAndCombinesThem() {
        register(arena(500, true));
        send(chatItem("i1", 1));
        ModelResponse cand = answer("i1", "cand", PLAIN, "candidate", FinishReason.STOP, 0.9);
        ModelResponse base = answer("i1", "base", PLAIN, "base", FinishReason.STOP, 0.4);
        send(cand);
        send(base);
        List<PromptRequest> asked = readPrompts();
        assertThat(asked)
                .extracting(PromptRequest::subjectRequestIds)
                .containsExactly(
                        List.of(cand.requestId(), base.requestId()), List.of(base.requestId(), cand.requestId()));
        assertThat(asked.get(1).simulation().qualities()).containsExactly(0.4, 0.9);

        // When the candidate shown first is much better (A++) and, shown second, better (B+)
        send(reply(asked.get(1), "{\"choice\": \"B+\"}"));
        assertThat(judgments.isEmpty()).isTrue();
        send(reply(asked.get(0), "{\"reason\": \"fuller\", \"choice\": \"A++\"}"));

        // Then both raw verdicts are kept and the mean 1.5 rounds toward zero: better
        Judgment j = onlyJudgment();
        assertThat(j.kind()).isEqualTo(JudgmentKind.PAIRWISE);
        assertThat(j.pairwise().outcome()).isEqualTo(PairwiseOutcome.BETTER);
        assertThat(j.pairwise().order()).isEqualTo("both");
        assertThat(j.pairwise().verdicts()).containsExactly("A++", "B+");
        assertThat(j.pairwise().baselineModel()).isEqualTo("base");
        assertThat(j.pairwise().baselineChars()).isEqualTo(4);
        assertThat(j.subject().modelId()).isEqualTo("cand");
        assertThat(j.judgmentId()).isEqualTo(Ids.judgmentId(List.of(cand.requestId(), base.requestId()), j.judge()));
        assertThat(registry.get(JudgeMetrics.SWAPPED_PAIRS)
                        .tag("consistent", "true")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void inconsistentOrdersTie() {
        register(arena(null, true));
        send(chatItem("i1", 1));
        send(answer("i1", "cand", PLAIN, "c", FinishReason.STOP, 0.5));
        send(answer("i1", "base", PLAIN, "b", FinishReason.STOP, 0.5));
        List<PromptRequest> asked = readPrompts();
        // The judge prefers whatever is shown first: A+ both times.
        send(reply(asked.get(0), "{\"choice\": \"A+\"}"));
        send(reply(asked.get(1), "{\"choice\": \"A+\"}"));
        assertThat(onlyJudgment().pairwise().outcome()).isEqualTo(PairwiseOutcome.TIE);
        assertThat(registry.get(JudgeMetrics.SWAPPED_PAIRS)
                        .tag("consistent", "false")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void aJuryKeepsEveryVerdictAndCombinesByMajority() {
        register(new JudgeSpec(
                "jury",
                Protocol.SCORE,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of("j1", "j2", "j3"),
                "majority"));
        send(chatItem("i1", 1));
        send(answer("i1", "cand", PLAIN, "answer", FinishReason.STOP, 0.5));
        List<PromptRequest> asked = readPrompts();
        assertThat(asked).extracting(PromptRequest::modelId).containsExactly("j1", "j2", "j3");
        send(reply(asked.get(0), "{\"score\": 3}"));
        send(reply(asked.get(1), "{\"score\": 8}"));
        assertThat(judgments.isEmpty()).isTrue();
        send(reply(asked.get(2), "{\"score\": 9}"));
        Judgment j = onlyJudgment();
        // Majority of scores is the median: 8 (the mean would be 6.67).
        assertThat(j.score().value()).isEqualTo(8.0);
        assertThat((List<?>) j.details().get("verdicts")).hasSize(3);
        assertThat(j.judge().jury()).containsExactly("j1", "j2", "j3");
    }

    @Test
    void preferenceComesFromTheLabelLogprobs() {
        register(new JudgeSpec(
                "alpaca", Protocol.PREFERENCE, null, null, "sim-judge", null, List.of("base"), null, true));
        send(chatItem("i1", 1));
        send(answer("i1", "base", PLAIN, "b", FinishReason.STOP, 0.5));
        send(answer("i1", "cand", PLAIN, "c", FinishReason.STOP, 0.5));
        List<PromptRequest> asked = readPrompts();
        assertThat(asked.get(0).params().logprobs()).isTrue();
        // Subject first: P(A) = 0.8; baseline first: P(A) = 0.4, so P(subject) = 0.6. Mean 0.7 -> 1.7.
        send(preferenceReply(asked.get(0), 0.8));
        send(preferenceReply(asked.get(1), 0.4));
        Judgment j = onlyJudgment();
        assertThat(j.kind()).isEqualTo(JudgmentKind.PREFERENCE);
        assertThat(j.preference()).isCloseTo(1.7, within(1e-9));
        assertThat(j.details()).containsEntry("baselineModel", "base");
    }

    @Test
    void preferenceCarriesTheItemsInstructionDifficultyAndTheBaselineLength() {
        register(new JudgeSpec(
                "alpaca", Protocol.PREFERENCE, null, null, "sim-judge", null, List.of("base"), null, true));
        BenchmarkItem plain = chatItem("i1", 1);
        send(new BenchmarkItem(
                plain.benchmark(),
                plain.itemId(),
                plain.revision(),
                plain.publishedAt(),
                plain.source(),
                plain.category(),
                plain.tags(),
                plain.prompt(),
                plain.messages(),
                plain.choices(),
                plain.reference(),
                plain.difficulty(),
                Map.of("instruction_difficulty", -0.4)));
        send(answer("i1", "base", PLAIN, "base answer", FinishReason.STOP, 0.5));
        send(answer("i1", "cand", PLAIN, "c", FinishReason.STOP, 0.5));
        List<PromptRequest> asked = readPrompts();
        send(preferenceReply(asked.get(0), 0.8));
        send(preferenceReply(asked.get(1), 0.4));
        Judgment j = onlyJudgment();
        // AlpacaEval's γ from the item's metadata, for the aggregator's lc-winrate
        assertThat(j.details()).containsEntry("instructionDifficulty", -0.4).containsEntry("baselineChars", 11);
        assertThat(j.subject().answerChars()).isEqualTo(1);
    }

    private void register(JudgeSpec judge) {
        TestTopology.register(config, Topics.BENCHMARKS, JUDGED, benchmarkSpec(JUDGED, judge));
    }

    private void send(BenchmarkItem item) {
        items.pipeInput(item.key(), Json.writeBytes(item));
    }

    private void send(ModelResponse response) {
        responses.pipeInput(response.key(), Json.writeBytes(response));
    }

    /** An answer to revision 1 of a chat item, its request id made of the item, the model and the variant. */
    static ModelResponse answer(
            String itemId, String model, Variant variant, String output, FinishReason finish, Double quality) {
        String requestId = Ids.hash("test", itemId, model, variant.label());
        return chatAnswer(requestId, itemId, 1, model, variant, output, finish, quality);
    }

    private List<PromptRequest> readPrompts() {
        return prompts.readValuesToList().stream()
                .map(b -> Json.read(new String(b, StandardCharsets.UTF_8), PromptRequest.class))
                .toList();
    }

    private PromptRequest onlyPrompt() {
        List<PromptRequest> out = readPrompts();
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private Judgment onlyJudgment() {
        List<Judgment> out = judgments.readValuesToList().stream()
                .map(b -> Json.read(new String(b, StandardCharsets.UTF_8), Judgment.class))
                .toList();
        assertThat(out).hasSize(1);
        return out.get(0);
    }
}
