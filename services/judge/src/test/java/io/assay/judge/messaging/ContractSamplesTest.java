package io.assay.judge.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.EventType;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Protocol;
import io.assay.contracts.Samples;
import io.assay.contracts.Topics;
import io.assay.kit.config.ConfigRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract's sample items and responses (contracts' test-jar) replayed through the judge's own
 * topology, with the sample benchmark specs and models registered: a valid answer is judged by every
 * reference judge of its benchmark once its item revision is there and waits for it until then, a
 * failed one is never judged, and nothing valid is dead-lettered; every invalid sample response is
 * dead-lettered once with a reason, every invalid sample item skipped and counted (the prompt generator
 * dead-letters items). A schema change the judge cannot read fails here.
 */
class ContractSamplesTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ConfigRegistry registry = new ConfigRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> items;
    private TestInputTopic<byte[], byte[]> responses;
    private TestOutputTopic<byte[], byte[]> judgments;
    private TestOutputTopic<byte[], byte[]> prompts;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        for (Samples.Sample spec : Samples.valid(EventType.BENCHMARK_SPEC)) {
            assertThat(registry.apply(Topics.BENCHMARKS.name(), spec.key(), spec.bytes()))
                    .as(spec.name())
                    .isEmpty();
        }
        for (Samples.Sample model : Samples.valid(EventType.MODEL_SPEC)) {
            assertThat(registry.apply(Topics.MODELS.name(), model.key(), model.bytes()))
                    .as(model.name())
                    .isEmpty();
        }
        driver = TestTopology.driver(registry, meters, "judge-samples");
        items = driver.createInputTopic(Topics.ITEMS.name(), new ByteArraySerializer(), new ByteArraySerializer());
        responses =
                driver.createInputTopic(Topics.RESPONSES.name(), new ByteArraySerializer(), new ByteArraySerializer());
        judgments = driver.createOutputTopic(
                Topics.JUDGMENTS.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        prompts = driver.createOutputTopic(
                Topics.PROMPTS.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(
                Topics.DEAD_LETTERS.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void everyValidSampleResponseToAStoredItemIsJudgedByTheReferenceJudgesOfItsBenchmark() {
        // Given every valid sample item
        List<Samples.Sample> valid = Samples.valid(EventType.MODEL_RESPONSE);
        assertThat(valid).isNotEmpty();
        Samples.valid(EventType.BENCHMARK_ITEM).forEach(s -> items.pipeInput(key(s), s.bytes()));
        assertThat(judgments.isEmpty()).isTrue();

        int judgedSamples = 0;
        for (Samples.Sample sample : valid) {
            // When a sample response arrives
            responses.pipeInput(key(sample), sample.bytes());

            // Then it is judged, each judgment valid under the contract, by what its benchmark asks for
            ModelResponse response = sample.parse(ModelResponse.class);
            List<Judgment> judged = readJudgments();
            assertThat(judged).as(sample.name()).allSatisfy(j -> {
                assertThat(j.key()).isEqualTo(response.key());
                assertThat(j.subject().requestId()).isEqualTo(response.requestId());
            });
            assertThat(judged)
                    .as(sample.name())
                    .extracting(j -> j.judge().id())
                    .containsExactlyElementsOf(expectedJudges(response));
            judgedSamples += judged.isEmpty() ? 0 : 1;
        }
        assertThat(judgedSamples).as("samples judged").isPositive();
        assertThat(count("failed"))
                .isEqualTo(valid.stream()
                        .filter(s -> s.parse(ModelResponse.class).failed())
                        .count());
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void everyValidSampleResponseWaitsForItsItemAndIsJudgedWhenItArrives() {
        // Given every valid sample response before any item
        List<Samples.Sample> valid = Samples.valid(EventType.MODEL_RESPONSE);
        valid.forEach(s -> responses.pipeInput(key(s), s.bytes()));
        List<String> expected = new ArrayList<>();
        for (Samples.Sample sample : valid) {
            ModelResponse response = sample.parse(ModelResponse.class);
            expectedJudges(response).forEach(judge -> expected.add(response.requestId() + " " + judge));
        }
        assertThat(expected)
                .as("samples that are judged once their item is there")
                .isNotEmpty();

        // Then the answers wait, the failed ones are counted and dropped
        assertThat(judgments.isEmpty()).isTrue();
        long failed = valid.stream()
                .filter(s -> s.parse(ModelResponse.class).failed())
                .count();
        assertThat(count("pending")).isEqualTo(valid.size() - failed);
        assertThat(count("failed")).isEqualTo(failed);

        // When the sample items arrive, Then the waiting answers are judged
        Samples.valid(EventType.BENCHMARK_ITEM).forEach(s -> items.pipeInput(key(s), s.bytes()));
        assertThat(readJudgments())
                .extracting(j -> j.subject().requestId() + " " + j.judge().id())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void everyInvalidSampleResponseIsDeadLetteredOnceWithItsReasonAndEveryInvalidItemSkipped() {
        // Given every invalid sample item and response
        List<Samples.Sample> invalidItems = Samples.invalid(EventType.BENCHMARK_ITEM);
        List<Samples.Sample> invalid = Samples.invalid(EventType.MODEL_RESPONSE);
        assertThat(invalidItems).isNotEmpty();
        assertThat(invalid).isNotEmpty();

        // When they arrive
        invalidItems.forEach(s -> items.pipeInput(key(s), s.bytes()));
        invalid.forEach(s -> responses.pipeInput(key(s), s.bytes()));

        // Then each response is a dead letter with its original bytes, its topic and a reason
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(invalid.size());
        for (int i = 0; i < dead.size(); i++) {
            Samples.Sample sample = invalid.get(i);
            TestRecord<byte[], byte[]> letter = dead.get(i);
            assertThat(letter.key()).as(sample.name()).isEqualTo(key(sample));
            assertThat(letter.value()).as(sample.name()).isEqualTo(sample.bytes());
            assertThat(header(letter, DeadLetters.STAGE)).isEqualTo("judge");
            assertThat(header(letter, DeadLetters.TOPIC)).isEqualTo(Topics.RESPONSES.name());
            assertThat(header(letter, DeadLetters.REASON)).as(sample.name()).isNotBlank();
        }
        assertThat(meters.find(TestTopology.DEAD_LETTERS).tag("reason", "invalid").counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum())
                .isEqualTo(invalid.size());
        // And each item is skipped and counted, not dead-lettered: the prompt generator owns item dead letters
        assertThat(meters.find(JudgeMetrics.ITEMS_REFUSED).tag("reason", "invalid").counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum())
                .isEqualTo(invalidItems.size());
        assertThat(judgments.isEmpty()).isTrue();
        assertThat(prompts.isEmpty()).isTrue();
    }

    /**
     * The reference judges of the response's benchmark, in spec order, if a valid sample item answers
     * it at its revision and the model call did not fail; none otherwise.
     */
    private List<String> expectedJudges(ModelResponse response) {
        boolean itemThere = Samples.valid(EventType.BENCHMARK_ITEM).stream()
                .map(s -> s.parse(BenchmarkItem.class))
                .anyMatch(i -> i.key().equals(response.key()) && i.revisionOrDefault() == response.revision());
        if (response.failed() || !itemThere) {
            return List.of();
        }
        return registry.benchmark(response.benchmark()).judgesOrDefault().stream()
                .filter(j -> j.protocol() == Protocol.REFERENCE)
                .map(JudgeSpec::id)
                .toList();
    }

    /** The judgments emitted since the last read, each validated against the contract's schema. */
    private List<Judgment> readJudgments() {
        return judgments.readValuesToList().stream()
                .map(v -> EventType.JUDGMENT.parse(v, Judgment.class))
                .toList();
    }

    private double count(String outcome) {
        return meters.find(JudgeMetrics.RESPONSES).tag("outcome", outcome).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private static byte[] key(Samples.Sample sample) {
        return sample.key().getBytes(StandardCharsets.UTF_8);
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
