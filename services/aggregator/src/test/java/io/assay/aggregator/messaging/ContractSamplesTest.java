package io.assay.aggregator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.EventType;
import io.assay.contracts.Judgment;
import io.assay.contracts.Samples;
import io.assay.contracts.Topics;
import io.assay.kit.ServiceIdentity;
import io.assay.kit.events.DeadLetterSink;
import io.assay.kit.events.EventHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract's sample judgments (contracts' test-jar) replayed through the aggregator's own topology:
 * every valid one is folded into its slot, every invalid one is dead-lettered with a reason. A schema
 * change the aggregator cannot read fails here.
 */
class ContractSamplesTest {
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> judgments;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        ServiceIdentity identity = new ServiceIdentity("aggregator", "test");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AggregatorTopology topology = new AggregatorTopology(
                new AggregatorMetrics(meters),
                new ViewChanges(),
                new SlotTallies(),
                new EventHeaders(identity),
                new DeadLetterSink(identity, meters, () -> {
                    throw new IllegalStateException("a Streams processor forwards its dead letters");
                }));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-samples");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Path.of(System.getProperty("java.io.tmpdir"), "aggregator-samples")
                        .toString());
        driver = new TopologyTestDriver(topology.topology(), config);
        judgments =
                driver.createInputTopic(Topics.JUDGMENTS.name(), new ByteArraySerializer(), new ByteArraySerializer());
        deadLetters = driver.createOutputTopic(
                Topics.DEAD_LETTERS.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void everyValidSampleJudgmentIsFoldedIntoItsSlot() {
        List<Samples.Sample> valid = Samples.valid(EventType.JUDGMENT);
        assertThat(valid).isNotEmpty();

        valid.forEach(s -> judgments.pipeInput(key(s), s.bytes()));

        KeyValueStore<String, Slot> slots = driver.getKeyValueStore(AggregatorTopology.SLOTS);
        for (Samples.Sample sample : valid) {
            Judgment judgment = sample.parse(Judgment.class);
            assertThat(slots.get(Fold.slotKey(judgment)))
                    .as(sample.name())
                    .extracting(Slot::judgmentId)
                    .isEqualTo(judgment.judgmentId());
        }
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void everyInvalidSampleJudgmentIsDeadLetteredWithItsReason() {
        List<Samples.Sample> invalid = Samples.invalid(EventType.JUDGMENT);
        assertThat(invalid).isNotEmpty();

        invalid.forEach(s -> judgments.pipeInput(key(s), s.bytes()));

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(invalid.size());
        for (int i = 0; i < dead.size(); i++) {
            TestRecord<byte[], byte[]> letter = dead.get(i);
            assertThat(letter.value()).isEqualTo(invalid.get(i).bytes());
            assertThat(new String(
                            letter.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                    .as(invalid.get(i).name())
                    .isNotBlank();
        }
    }

    private static byte[] key(Samples.Sample sample) {
        return sample.key().getBytes(StandardCharsets.UTF_8);
    }
}
