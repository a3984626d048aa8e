package io.assay.judge.messaging;

import static io.assay.judge.JudgeFixtures.JUDGED;
import static io.assay.judge.JudgeFixtures.PLAIN;
import static io.assay.judge.JudgeFixtures.arena;
import static io.assay.judge.JudgeFixtures.benchmarkSpec;
import static io.assay.judge.JudgeFixtures.chatItem;
import static io.assay.judge.JudgeFixtures.reply;
import static io.assay.judge.JudgeFixtures.scoreJudge;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Json;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Topics;
import io.assay.judge.judging.Judging;
import io.assay.kit.config.ConfigRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retention of the {@code answers} and {@code ballots} stores through the real topology
 * (TopologyTestDriver, its RocksDB stores, its wall clock): an answer that never gets its pair and a
 * ballot whose judge never replies are dead-lettered {@code expired}, a paired answer and a finished ballot
 * are forgotten without a letter, a baseline's answer stays. The retention is
 * {@link TestTopology#PENDING_RETENTION} (one hour); a restart on a restored store is
 * {@code PairingRestartTest}'s.
 */
class RetentionTest {
    private static final Duration RETENTION = TestTopology.PENDING_RETENTION;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConfigRegistry config = new ConfigRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> items;
    private TestInputTopic<String, byte[]> responses;
    private TestOutputTopic<String, byte[]> judgments;
    private TestOutputTopic<String, byte[]> prompts;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void setUp() {
        driver = TestTopology.driver(config, registry, "judge-retention-test");
        items = TestTopology.input(driver, Topics.ITEMS);
        responses = TestTopology.input(driver, Topics.RESPONSES);
        judgments = TestTopology.output(driver, Topics.JUDGMENTS);
        prompts = TestTopology.output(driver, Topics.PROMPTS);
        deadLetters = TestTopology.output(driver, Topics.DEAD_LETTERS);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void anAnswerThatNeverGetsItsBaselinesAnswerIsDeadLetteredExpiredAndForgotten() {
        // Given a pairwise judge against the baseline "base" and a candidate's answer, its baseline's never sent
        register(arena(null, false));
        send(chatItem("i1", 1));
        ModelResponse candidate = answer("i1", "cand", "candidate");
        send(candidate);
        assertThat(prompts.isEmpty()).isTrue();

        // When a minute less than the retention passes, Then it still waits: nothing is sent
        driver.advanceWallClockTime(RETENTION.minusMinutes(1));
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(answers()).isEqualTo(1);

        // When two more minutes pass, Then it is one dead letter naming what it waited for, and it is gone
        driver.advanceWallClockTime(Duration.ofMinutes(2));
        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).key()).isEqualTo(candidate.key());
        assertThat(header(dead.get(0), DeadLetters.REASON))
                .startsWith("waited longer than PT1H (assay.judge.pending-retention) to be paired: no answer of base"
                        + " to revision 1 (variant plain@1#0) of item judged/i1; answered at ");
        assertThat(header(dead.get(0), DeadLetters.TOPIC)).isEqualTo(Topics.RESPONSES.name());
        assertThat(Json.read(new String(dead.get(0).value(), StandardCharsets.UTF_8), ModelResponse.class))
                .isEqualTo(candidate);
        assertThat(count(TestTopology.DEAD_LETTERS, Map.of("reason", "expired")))
                .isEqualTo(1.0);
        assertThat(count(JudgeMetrics.RESPONSES, Map.of("outcome", "expired"))).isEqualTo(1.0);
        assertThat(count(JudgeMetrics.RETENTION, Map.of("store", "answers", "outcome", "expired")))
                .isEqualTo(1.0);
        assertThat(answers()).isZero();

        // And when the baseline answers at last, there is nobody left to pair it with
        send(answer("i1", "base", "baseline"));
        assertThat(prompts.isEmpty()).isTrue();
        assertThat(judgments.isEmpty()).isTrue();
    }

    @Test
    void aPairedAnswerAndItsFinishedBallotAreForgottenAndTheBaselinesAnswerStaysForLaterModels() {
        // Given a candidate paired with the baseline and its judgment emitted
        register(arena(null, false));
        send(chatItem("i1", 1));
        ModelResponse candidate = answer("i1", "cand", "candidate");
        send(candidate);
        send(answer("i1", "base", "baseline"));
        PromptRequest asked = onlyPrompt();
        send(reply(asked, "{\"choice\": \"A+\"}"));
        assertThat(judgments.readValuesToList()).hasSize(1);

        // When the retention passes, Then no letter: the candidate's answer and the finished ballot are
        // forgotten, the baseline's answer is kept
        driver.advanceWallClockTime(RETENTION.plusMinutes(1));
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(judgments.isEmpty()).isTrue();
        assertThat(count(JudgeMetrics.RETENTION, Map.of("store", "answers", "outcome", "removed")))
                .isEqualTo(1.0);
        assertThat(count(JudgeMetrics.RETENTION, Map.of("store", "ballots", "outcome", "removed")))
                .isEqualTo(1.0);
        assertThat(count(JudgeMetrics.RESPONSES, Map.of("outcome", "expired"))).isZero();
        assertThat(answers()).isEqualTo(1);
        assertThat(ballots()).isZero();

        // And a model registered later (back-fill) is paired with the baseline's kept answer
        ModelResponse late = answer("i1", "late", "late model");
        send(late);
        assertThat(onlyPrompt().subjectRequestIds()).first().isEqualTo(late.requestId());

        // And a redelivery of the candidate's answer is not deduplicated by the judge any more: the same
        // judge request is asked again, under the same id, which the invoker does not answer twice (its
        // answer store); the ballot's judgment keeps its id, which the aggregator ignores
        send(candidate);
        assertThat(onlyPrompt().requestId()).isEqualTo(asked.requestId());
    }

    @Test
    void anOpenBallotWhoseReplyNeverComesIsGivenUpAsItsJudgmentAndADeadLetteredRequest() {
        // Given a score judge whose judge model never replies
        register(scoreJudge("sim-judge"));
        send(chatItem("i1", 1));
        send(answer("i1", "cand", "candidate"));
        PromptRequest asked = onlyPrompt();
        assertThat(gauge()).isEqualTo(1.0);

        // When a minute less than the retention passes, Then it still waits
        driver.advanceWallClockTime(RETENTION.minusMinutes(1));
        assertThat(judgments.isEmpty()).isTrue();
        assertThat(deadLetters.isEmpty()).isTrue();

        // When two more minutes pass, Then its slot is given up: an unparseable judgment, the request a dead letter
        driver.advanceWallClockTime(Duration.ofMinutes(2));
        List<Judgment> out = judgments.readValuesToList().stream()
                .map(b -> Json.read(new String(b, StandardCharsets.UTF_8), Judgment.class))
                .toList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).unparseable()).isTrue();
        assertThat(out.get(0).details().get("verdicts").toString()).contains("problem=no reply within PT1H");
        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), DeadLetters.TOPIC)).isEqualTo(Topics.PROMPTS.name());
        assertThat(header(dead.get(0), DeadLetters.REASON))
                .startsWith("no reply within PT1H (assay.judge.pending-retention) from judge model sim-judge to this"
                        + " request of ballot " + out.get(0).judgmentId());
        assertThat(Json.read(new String(dead.get(0).value(), StandardCharsets.UTF_8), PromptRequest.class))
                .isEqualTo(asked);
        assertThat(count(JudgeMetrics.RETENTION, Map.of("store", "ballots", "outcome", "expired")))
                .isEqualTo(1.0);
        assertThat(gauge()).isZero();
        assertThat(ballots()).isZero();
        assertThat(driver.getKeyValueStore(StreamsJudgingStore.CALLS).approximateNumEntries())
                .isZero();

        // And a reply that comes after all changes nothing
        send(reply(asked, "{\"score\": 7}"));
        assertThat(judgments.isEmpty()).isTrue();
        assertThat(count(JudgeMetrics.RESPONSES, Map.of("outcome", "skipped"))).isEqualTo(1.0);
    }

    @Test
    void aBallotStoredBeforeBallotsKeptTheirTimeIsStampedBySweepAndForgottenARetentionLater() throws Exception {
        // Given a finished ballot without an opening time, as an older judge stored it
        register(scoreJudge("sim-judge"));
        send(chatItem("i1", 1));
        send(answer("i1", "cand", "candidate"));
        send(reply(onlyPrompt(), "{\"score\": 7}"));
        KeyValueStore<String, byte[]> ballots = driver.getKeyValueStore(StreamsJudgingStore.BALLOTS);
        String id = ballots.all().next().key;
        ObjectNode old = (ObjectNode) Json.mapper().readTree(ballots.get(id));
        old.remove("openedAt");
        ballots.put(id, Json.writeBytes(old));

        // When the first sweep runs, Then it is stamped; a retention later it is forgotten
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(Json.mapper().readTree(ballots.get(id)).has("openedAt")).isTrue();
        driver.advanceWallClockTime(RETENTION.minusMinutes(1));
        assertThat(ballots.get(id)).isNotNull();
        driver.advanceWallClockTime(Duration.ofMinutes(2));
        assertThat(ballots.get(id)).isNull();
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aSweepReadsAtMostABatchOfAStoreAndTheNextGoesOnWhereItStopped() {
        // Given the baseline's answer and 20,500 older answers of other models, paired (the baseline's is there)
        register(arena(null, false));
        send(chatItem("i1", 1));
        send(answer("i1", "base", "baseline"));
        KeyValueStore<String, byte[]> answers = driver.getKeyValueStore(StreamsJudgingStore.ANSWERS);
        int others = 2 * Judging.SWEEP_BATCH + 500;
        Instant old = Instant.now().minus(RETENTION).minusSeconds(60);
        for (int i = 0; i < others; i++) {
            ModelResponse a = answer("i1", String.format("m%05d", i), "answer " + i);
            ObjectNode node = Json.mapper().valueToTree(a);
            node.put("answeredAt", old.toString());
            answers.put(
                    String.join(StreamsJudgingStore.SEPARATOR, a.key(), "1", PLAIN.label(), a.modelId()),
                    Json.writeBytes(node));
        }

        // When three sweeps run, Then each reads one batch (the first includes the baseline's, kept) and
        // the third wraps around; every other answer is forgotten without a letter
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(removedAnswers()).isEqualTo(Judging.SWEEP_BATCH - 1.0);
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(removedAnswers()).isEqualTo(2.0 * Judging.SWEEP_BATCH - 1);
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(removedAnswers()).isEqualTo(others);
        assertThat(answers()).isEqualTo(1);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    private double removedAnswers() {
        return count(JudgeMetrics.RETENTION, Map.of("store", "answers", "outcome", "removed"));
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

    private static ModelResponse answer(String itemId, String model, String output) {
        return LlmJudgeProcessorTest.answer(itemId, model, PLAIN, output, FinishReason.STOP, 0.5);
    }

    private long answers() {
        return entries(StreamsJudgingStore.ANSWERS);
    }

    private long ballots() {
        return entries(StreamsJudgingStore.BALLOTS);
    }

    private long entries(String store) {
        KeyValueStore<String, byte[]> kv = driver.getKeyValueStore(store);
        long n = 0;
        try (var it = kv.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    private PromptRequest onlyPrompt() {
        List<PromptRequest> out = prompts.readValuesToList().stream()
                .map(b -> Json.read(new String(b, StandardCharsets.UTF_8), PromptRequest.class))
                .toList();
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private double count(String name, Map<String, String> tags) {
        var search = registry.find(name);
        for (var tag : tags.entrySet()) {
            search = search.tag(tag.getKey(), tag.getValue());
        }
        Counter counter = search.counter();
        return counter == null ? 0 : counter.count();
    }

    private double gauge() {
        return registry.get(JudgeMetrics.PENDING).gauge().value();
    }

    private static String header(TestRecord<String, byte[]> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
