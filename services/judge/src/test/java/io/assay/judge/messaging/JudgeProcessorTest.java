package io.assay.judge.messaging;

import static io.assay.judge.JudgeFixtures.PLAIN;
import static io.assay.judge.JudgeFixtures.benchmarkSpec;
import static io.assay.judge.JudgeFixtures.judgeReply;
import static io.assay.judge.JudgeFixtures.numericAnswer;
import static io.assay.judge.JudgeFixtures.numericItem;
import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.CloudEvents;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.EventType;
import io.assay.contracts.Json;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Protocol;
import io.assay.contracts.Reference;
import io.assay.contracts.Topics;
import io.assay.judge.JudgeFixtures;
import io.assay.kit.config.ConfigRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The join's ordering rules, driven record by record without a broker (TopologyTestDriver). */
class JudgeProcessorTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConfigRegistry config = new ConfigRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> items;
    private TestInputTopic<String, byte[]> responses;
    private TestOutputTopic<String, byte[]> judgments;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void setUp() {
        driver = TestTopology.driver(config, registry, "judge-test");
        items = TestTopology.input(driver, Topics.ITEMS);
        responses = TestTopology.input(driver, Topics.RESPONSES);
        judgments = TestTopology.output(driver, Topics.JUDGMENTS);
        deadLetters = TestTopology.output(driver, Topics.DEAD_LETTERS);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void aResponseTooLargeToBeAnEventIsOneDeadLetterKeepingItsHeadAndLength() {
        // Given a topic whose limit an operator raised: a 600 KiB response, over EventType.MAX_EVENT_BYTES
        byte[] huge = new byte[600 * 1024];

        // When it arrives (it passes the judge's repartition topic cut to its head)
        responses.pipeInput("bench/item-1", huge);

        // Then it is refused as every stage refuses it, with its real length, and the letter keeps the head
        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), DeadLetters.REASON)).startsWith("too large: 614400 bytes");
        assertThat(header(dead.get(0), DeadLetters.VALUE_BYTES)).isEqualTo("614400");
        assertThat(header(dead.get(0), DeadLetters.TOPIC)).isEqualTo(Topics.RESPONSES.name());
        assertThat(dead.get(0).value()).hasSize(EventType.MAX_EVENT_BYTES);
    }

    @Test
    void aJudgmentCarriesTheTraceOfTheResponseItJudgesUnderTheJudgesSpan() {
        // Given an item and a response to it in one trace, and a response published without a traceparent
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        items.pipeInput(
                traced(numericItem(1, 7.0).key(), Json.writeBytes(numericItem(1, 7.0)), trace, "1111111111111111"));
        ModelResponse tracedAnswer = numericAnswer("r1", 1, "Answer: 7");

        // When they are judged
        responses.pipeInput(traced(tracedAnswer.key(), Json.writeBytes(tracedAnswer), trace, "2222222222222222"));
        send(numericAnswer("r2", 1, "Answer: 7"));

        // Then the first judgment goes on in the trace under a span of the judge's; the second starts one
        List<TestRecord<String, byte[]>> out = judgments.readRecordsToList();
        assertThat(out).hasSize(2);
        assertThat(header(out.get(0), "traceparent"))
                .matches("00-" + trace + "-[0-9a-f]{16}-01")
                .doesNotContain("1111111111111111")
                .doesNotContain("2222222222222222");
        assertThat(header(out.get(1), "traceparent"))
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
                .doesNotContain(trace);
    }

    @Test
    void aDeadLetterKeepsTheTraceparentItsProducerWrote() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-2222222222222222-01";
        ModelResponse response = numericAnswer("r1", 1, "Answer: 1");
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        responses.pipeInput(new TestRecord<>("bench/other-item", Json.writeBytes(response), headers));
        assertThat(header(deadLetters.readRecord(), "traceparent")).isEqualTo(traceparent);
    }

    private static TestRecord<String, byte[]> traced(String key, byte[] value, String traceId, String spanId) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", ("00-" + traceId + "-" + spanId + "-01").getBytes(StandardCharsets.UTF_8));
        return new TestRecord<>(key, value, headers);
    }

    @Test
    void aResponseToAnOlderRevisionIsStale() {
        // Given revision 2 of an item
        send(numericItem(2, 7.0));
        // When a response to revision 1 arrives
        send(numericAnswer("r1", 1, "Answer: 7"));
        // Then it is dropped and counted
        assertThat(judgments.isEmpty()).isTrue();
        assertThat(count(JudgeMetrics.RESPONSES, "stale")).isEqualTo(1.0);
    }

    @Test
    void aResponseWhoseItemNeverComesExpiresAfterTheRetentionAsADeadLetter() {
        // Given a response answered now, waiting for an item revision that is never published
        send(numericAnswer("r1", 1, "Answer: 1"));
        assertThat(count(JudgeMetrics.RESPONSES, "pending")).isEqualTo(1.0);

        // When a minute less than the retention (TestTopology.PENDING_RETENTION, one hour) passes on the
        // wall clock, Then it still waits
        driver.advanceWallClockTime(TestTopology.PENDING_RETENTION.minusMinutes(1));
        assertThat(deadLetters.isEmpty()).isTrue();

        // When two more minutes pass, Then it is one dead letter naming the retention, the item and the topic
        driver.advanceWallClockTime(java.time.Duration.ofMinutes(2));
        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).key()).isEqualTo("bench/item-1");
        assertThat(registry.find(TestTopology.DEAD_LETTERS)
                        .tag("reason", "expired")
                        .counter())
                .isNotNull()
                .extracting(c -> c.count())
                .isEqualTo(1.0);
        assertThat(header(dead.get(0), DeadLetters.REASON))
                .startsWith(
                        "waited longer than PT1H (assay.judge.pending-retention) for revision 1 of item bench/item-1")
                .endsWith("the item is absent");
        assertThat(header(dead.get(0), DeadLetters.TOPIC)).isEqualTo(Topics.RESPONSES.name());
        assertThat(Json.read(new String(dead.get(0).value(), StandardCharsets.UTF_8), ModelResponse.class)
                        .requestId())
                .isEqualTo("r1");
        assertThat(count(JudgeMetrics.RESPONSES, "expired")).isEqualTo(1.0);

        // And when the item arrives after all, nothing is judged: the response is gone from the store
        send(numericItem(1, 1.0));
        assertThat(judgments.isEmpty()).isTrue();
        driver.advanceWallClockTime(java.time.Duration.ofHours(2));
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void expirySweepsATenthOfTheRetentionWithinASecondAndAMinute() {
        assertThat(JudgeProcessor.sweepEvery(java.time.Duration.ofDays(7))).hasMinutes(1);
        assertThat(JudgeProcessor.sweepEvery(java.time.Duration.ofSeconds(30))).hasSeconds(3);
        assertThat(JudgeProcessor.sweepEvery(java.time.Duration.ofSeconds(5))).hasSeconds(1);
    }

    @Test
    void aResponseWaitsForItsRevisionAndStaleWaitersAreDropped() {
        // Given waiting responses to revisions 1 and 2 and an older item revision that arrives late
        send(numericAnswer("r1", 1, "Answer: 1"));
        send(numericAnswer("r2", 2, "Answer: 2"));
        assertThat(count(JudgeMetrics.RESPONSES, "pending")).isEqualTo(2.0);

        // When revision 1 arrives, Then only the response to revision 1 is judged
        send(numericItem(1, 1.0));
        List<Judgment> first = readJudgments();
        assertThat(first).extracting(j -> j.subject().requestId()).containsExactly("r1");
        assertThat(first.get(0).revision()).isEqualTo(1);

        // When revision 2 arrives, Then the response to revision 2 is judged against it
        send(numericItem(2, 2.0));
        List<Judgment> second = readJudgments();
        assertThat(second).extracting(j -> j.subject().requestId()).containsExactly("r2");
        assertThat(second.get(0).correct()).isTrue();

        // When revision 1 is redelivered, Then it does not replace revision 2
        send(numericItem(1, 1.0));
        send(numericAnswer("r3", 2, "Answer: 2"));
        assertThat(readJudgments()).extracting(Judgment::correct).containsExactly(true);
    }

    @Test
    void aRevisionKeepsTheContentItWasFirstPublishedWith() {
        // Given revision 1 whose answer is 1
        send(numericItem(1, 1.0));
        // When revision 1 is published again with another answer (the prompt generator refuses it)
        send(numericItem(1, 5.0));
        // Then answers to revision 1 are still judged against the first content
        send(numericAnswer("r1", 1, "Answer: 1"));
        assertThat(readJudgments()).extracting(Judgment::correct).containsExactly(true);
    }

    @Test
    void aNewerItemDropsWaitersOfOlderRevisions() {
        send(numericAnswer("r1", 1, "Answer: 1"));
        send(numericItem(2, 2.0));
        assertThat(judgments.isEmpty()).isTrue();
        assertThat(count(JudgeMetrics.RESPONSES, "stale")).isEqualTo(1.0);
        // The waiter is gone: a redelivered revision 1 item does not judge it either.
        send(numericItem(1, 1.0));
        assertThat(judgments.isEmpty()).isTrue();
    }

    @Test
    void aKeyThatIsNotTheEventsKeyIsADeadLetter() {
        ModelResponse response = numericAnswer("r1", 1, "Answer: 1");
        responses.pipeInput("bench/other-item", Json.writeBytes(response));
        TestRecord<String, byte[]> dead = deadLetters.readRecord();
        assertThat(dead.key()).isEqualTo("bench/other-item");
        assertThat(header(dead, DeadLetters.REASON)).contains("is not the response's key");
        assertThat(header(dead, DeadLetters.STAGE)).isEqualTo("judge");
        assertThat(count(TestTopology.DEAD_LETTERS, null)).isEqualTo(1.0);
    }

    @Test
    void anItemTheContractRefusesIsSkippedAndCountedNotDeadLettered() {
        // Given an item under another key and the same item as an unknown major version
        BenchmarkItem item = numericItem(1, 1.0);
        items.pipeInput("bench/other-item", Json.writeBytes(item));
        items.pipeInput(new TestRecord<>(
                item.key(),
                Json.writeBytes(item),
                new RecordHeaders()
                        .add(CloudEvents.TYPE, "io.assay.benchmark-item.v2".getBytes(StandardCharsets.UTF_8))));

        // Then neither is a dead letter here (the prompt generator owns item dead letters), both are counted
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(registry.find(JudgeMetrics.ITEMS_REFUSED).counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum())
                .isEqualTo(2.0);

        // And a response to it waits, then is judged once the v1 item arrives
        send(numericAnswer("r1", 1, "Answer: 1"));
        assertThat(judgments.isEmpty()).isTrue();
        send(item);
        assertThat(readJudgments()).hasSize(1);
    }

    @Test
    void aResponseOfAnUnknownMajorVersionIsADeadLetter() {
        ModelResponse response = numericAnswer("r1", 1, "Answer: 1");
        responses.pipeInput(new TestRecord<>(
                response.key(),
                Json.writeBytes(response),
                new RecordHeaders()
                        .add(CloudEvents.TYPE, "io.assay.model-response.v2".getBytes(StandardCharsets.UTF_8))));

        TestRecord<String, byte[]> dead = deadLetters.readRecord();
        assertThat(header(dead, DeadLetters.REASON)).startsWith("unsupported event version");
        assertThat(header(dead, DeadLetters.TOPIC)).isEqualTo(Topics.RESPONSES.name());
    }

    @Test
    void aResponseAJudgeFailsOnIsADeadLetterNamingWhereItWasRead() {
        // Given a judge whose clock fails (a bug in judging must not stop the stream)
        driver.close();
        driver = TestTopology.driver(config, registry, "judge-failing", new FailingClock());
        items = TestTopology.input(driver, Topics.ITEMS);
        responses = TestTopology.input(driver, Topics.RESPONSES);
        deadLetters = TestTopology.output(driver, Topics.DEAD_LETTERS);
        ModelResponse waiting = numericAnswer("r1", 1, "Answer: 1");
        ModelResponse late = numericAnswer("r2", 1, "Answer: 1");

        // When a response waits for its item, the item arrives, and then another response
        send(waiting);
        send(numericItem(1, 1.0));
        send(late);

        // Then both are dead letters of the responses topic at their own offsets, with the reason
        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(dead).allSatisfy(letter -> {
            assertThat(letter.key()).isEqualTo("bench/item-1");
            assertThat(header(letter, DeadLetters.TOPIC)).isEqualTo(Topics.RESPONSES.name());
            assertThat(header(letter, DeadLetters.REASON)).contains("judge reference failed");
        });
        assertThat(dead)
                .extracting(letter -> header(letter, DeadLetters.OFFSET))
                .containsExactly("0", "1");
        assertThat(dead)
                .extracting(letter -> Json.read(new String(letter.value(), StandardCharsets.UTF_8), ModelResponse.class)
                        .requestId())
                .containsExactly("r1", "r2");
        assertThat(registry.get(TestTopology.DEAD_LETTERS)
                        .tag("topic", Topics.RESPONSES.name())
                        .tag("reason", "error")
                        .counter()
                        .count())
                .isEqualTo(2.0);
    }

    @Test
    void judgeRepliesToUnknownRequestsAreSkipped() {
        send(numericItem(1, 1.0));
        ModelResponse judgeVerdict = judgeReply("j1", "bench", "item-1", 1, "sim-judge", PLAIN, "wb", "Score: 7");
        send(judgeVerdict);
        assertThat(judgments.isEmpty()).isTrue();
        assertThat(count(JudgeMetrics.RESPONSES, "skipped")).isEqualTo(1.0);
    }

    @Test
    void everyReferenceJudgeOfARegisteredBenchmarkJudges() {
        // Given a benchmark with two reference judges and an LLM judge
        JudgeSpec numeric = new JudgeSpec("numeric", Protocol.REFERENCE, "numeric", "1", null, null, null, null, null);
        JudgeSpec exact = new JudgeSpec("exact", Protocol.REFERENCE, "exact", "1", null, null, null, null, null);
        JudgeSpec pairwise =
                new JudgeSpec("arena", Protocol.PAIRWISE, null, "1", "sim-judge", "1", List.of("base"), null, true);
        TestTopology.register(config, Topics.BENCHMARKS, "bench", benchmarkSpec("bench", numeric, exact, pairwise));
        BenchmarkItem item =
                JudgeFixtures.item("bench", "item-1", "q", new Reference(List.of("7"), 7.0, 0.0, null, null));
        send(item);

        // When "7.0" is answered
        send(numericAnswer("r1", 1, "Answer: 7.0"));

        // Then the numeric judge says correct, the exact one incorrect, with distinct ids; the pairwise judge
        // waits for the baseline's answer
        List<Judgment> out = readJudgments();
        assertThat(out)
                .extracting(j -> j.judge().id() + "=" + j.correct())
                .containsExactly("numeric=true", "exact=false");
        assertThat(out.get(0).judgmentId()).isNotEqualTo(out.get(1).judgmentId());
        assertThat(registry.get(JudgeMetrics.VERDICTS)
                        .tag("judge", "numeric")
                        .tag("outcome", "correct")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.find(JudgeMetrics.JUDGMENTS).tag("judge", "arena").counters())
                .isEmpty();
    }

    private void send(BenchmarkItem item) {
        items.pipeInput(item.key(), Json.writeBytes(item));
    }

    private void send(ModelResponse response) {
        responses.pipeInput(response.key(), Json.writeBytes(response));
    }

    private List<Judgment> readJudgments() {
        return judgments.readValuesToList().stream()
                .map(b -> Json.read(new String(b, StandardCharsets.UTF_8), Judgment.class))
                .toList();
    }

    private double count(String meter, String outcome) {
        var search = registry.find(meter);
        if (outcome != null) {
            search = search.tag("outcome", outcome);
        }
        return search.counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** A clock that fails when read, as a bug in a scorer would. */
    private static final class FailingClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            throw new IllegalStateException("no time");
        }
    }
}
