package io.assay.promptgenerator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.CloudEvents;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.EventType;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Samples;
import io.assay.contracts.Topics;
import io.assay.kit.ServiceIdentity;
import io.assay.kit.config.ConfigRegistry;
import io.assay.kit.events.DeadLetterSink;
import io.assay.kit.events.EventHeaders;
import io.assay.kit.leaderboards.LeaderboardFeed;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract's sample items and model specs (contracts' test-jar) replayed through the prompt
 * generator's own topology: every valid item is prompted for every sample model that evaluates its
 * benchmark, every invalid item (and one without a key or of an unknown major version) is
 * dead-lettered with a reason. A schema change the prompt generator cannot read fails here.
 */
class ContractSamplesTest {
    private final ConfigRegistry registry = new ConfigRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> items;
    private TestOutputTopic<byte[], byte[]> prompts;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        for (Samples.Sample model : Samples.valid(EventType.MODEL_SPEC)) {
            assertThat(registry.apply(Topics.MODELS.name(), model.key(), model.bytes()))
                    .isEmpty();
        }
        ServiceIdentity identity = new ServiceIdentity("prompt-generator", "test");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        PromptGeneratorTopology topology = new PromptGeneratorTopology(
                () -> Duration.ofMillis(100),
                meters,
                registry,
                new EventHeaders(identity),
                new DeadLetterSink(identity, meters, () -> {
                    throw new IllegalStateException("a Streams processor forwards its dead letters");
                }),
                // not started: no snapshot is known, and no sample spec chooses its anchors
                new LeaderboardFeed(null, identity, null));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "prompt-generator-samples");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Path.of(System.getProperty("java.io.tmpdir"), "prompt-generator-samples")
                        .toString());
        driver = new TopologyTestDriver(topology.topology(), config);
        items = driver.createInputTopic(Topics.ITEMS.name(), new ByteArraySerializer(), new ByteArraySerializer());
        prompts = driver.createOutputTopic(
                Topics.PROMPTS.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(
                Topics.DEAD_LETTERS.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        // The first reconciliation acknowledges the registered models.
        driver.advanceWallClockTime(Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void everyValidSampleItemIsPromptedForEveryModelThatEvaluatesItsBenchmark() {
        List<Samples.Sample> valid = Samples.valid(EventType.BENCHMARK_ITEM);
        assertThat(valid).isNotEmpty();

        valid.forEach(s -> items.pipeInput(key(s), s.bytes()));

        List<PromptRequest> sent = prompts.readValuesToList().stream()
                .map(v -> EventType.PROMPT_REQUEST.parse(v, PromptRequest.class))
                .toList();
        for (Samples.Sample sample : valid) {
            BenchmarkItem item = sample.parse(BenchmarkItem.class);
            assertThat(sent.stream()
                            .filter(p -> p.itemId().equals(item.itemId()))
                            .map(PromptRequest::modelId))
                    .as(sample.name())
                    .containsExactlyInAnyOrderElementsOf(registry.models().values().stream()
                            .filter(m -> m.evaluates(item.benchmark()))
                            .map(ModelSpec::modelId)
                            .toList())
                    .isNotEmpty();
        }
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void everyInvalidSampleItemIsDeadLetteredWithItsReason() {
        List<Samples.Sample> invalid = Samples.invalid(EventType.BENCHMARK_ITEM);
        assertThat(invalid).isNotEmpty();

        invalid.forEach(s -> items.pipeInput(key(s), s.bytes()));

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(invalid.size());
        for (int i = 0; i < dead.size(); i++) {
            assertThat(dead.get(i).value()).isEqualTo(invalid.get(i).bytes());
            assertThat(new String(
                            dead.get(i).headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                    .as(invalid.get(i).name())
                    .isNotBlank();
        }
        assertThat(prompts.isEmpty()).isTrue();
    }

    @Test
    void anItemWithoutAKeyOrOfAnUnknownMajorVersionIsDeadLetteredAndTheNextItemPrompted() {
        Samples.Sample sample = Samples.valid(EventType.BENCHMARK_ITEM).get(0);
        Headers v2 = new RecordHeaders()
                .add(CloudEvents.TYPE, "io.assay.benchmark-item.v2".getBytes(StandardCharsets.UTF_8));

        // When an item without a key, a tombstone without a key and a v2 item arrive
        items.pipeInput(new TestRecord<>(null, sample.bytes()));
        items.pipeInput(new TestRecord<>(null, (byte[]) null));
        items.pipeInput(new TestRecord<>(key(sample), sample.bytes(), v2));

        // Then each is dead-lettered with its reason and none is prompted
        assertThat(deadLetters.readRecordsToList())
                .extracting(r ->
                        new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                .satisfiesExactly(
                        r -> assertThat(r).startsWith("the record has no key"),
                        r -> assertThat(r).startsWith("the record has no key"),
                        r -> assertThat(r).startsWith("unsupported event version: ce_type io.assay.benchmark-item.v2"));
        assertThat(prompts.isEmpty()).isTrue();

        // When the same item arrives as v1, Then it is prompted
        Headers v1 = new RecordHeaders()
                .add(CloudEvents.TYPE, EventType.BENCHMARK_ITEM.cloudEventType().getBytes(StandardCharsets.UTF_8));
        items.pipeInput(new TestRecord<>(key(sample), sample.bytes(), v1));
        assertThat(prompts.readRecordsToList()).isNotEmpty();
    }

    private static byte[] key(Samples.Sample sample) {
        return sample.key().getBytes(StandardCharsets.UTF_8);
    }
}
