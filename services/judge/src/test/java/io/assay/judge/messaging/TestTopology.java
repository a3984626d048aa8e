package io.assay.judge.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.Json;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.Topic;
import io.assay.judge.llm.JuryWeights;
import io.assay.judge.pairing.PairingPolicy;
import io.assay.kit.ServiceIdentity;
import io.assay.kit.config.ConfigRegistry;
import io.assay.kit.events.DeadLetterSink;
import io.assay.kit.events.EventHeaders;
import io.assay.testing.TestBroker;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The judge's own topology as the tests run it: built as the kit builds it in the service, over a
 * {@link ConfigRegistry} the test fills with {@link #register} instead of the config topics.
 */
final class TestTopology {
    /** Dead letters are counted by the kit's sink under the judge's name (the dashboards read it). */
    static final String DEAD_LETTERS = "assay.judge.dead.letters";

    /** How long a response waits for its item revision in tests (the service's default is seven days). */
    static final java.time.Duration PENDING_RETENTION = java.time.Duration.ofHours(1);

    private TestTopology() {}

    /** Canaries kept per judge in tests (the service's default is 50). */
    static final int CANARIES = 4;

    /** The judge's topology over {@code registry}, counting into {@code meters}. */
    static JudgeTopology of(ConfigRegistry registry, MeterRegistry meters) {
        return of(registry, meters, benchmark -> Optional.empty());
    }

    /** The same, its adaptive judges reading a benchmark's latest {@code bt} leaderboard from {@code ratings}. */
    static JudgeTopology of(
            ConfigRegistry registry, MeterRegistry meters, Function<String, Optional<LeaderboardSnapshot>> ratings) {
        return of(registry, meters, ratings, PENDING_RETENTION);
    }

    /** The same, keeping what waits in the judge's stores for {@code retention}. */
    static JudgeTopology of(
            ConfigRegistry registry,
            MeterRegistry meters,
            Function<String, Optional<LeaderboardSnapshot>> ratings,
            java.time.Duration retention) {
        ServiceIdentity identity = new ServiceIdentity("judge", "test");
        return new JudgeTopology(
                new JudgeMetrics(meters),
                registry,
                new EventHeaders(identity),
                new DeadLetterSink(identity, meters, () -> {
                    throw new IllegalStateException("a Streams processor forwards its dead letters");
                }),
                retention,
                0.0,
                CANARIES,
                JuryWeights.DEFAULTS,
                null,
                (benchmark, view) -> view.equals(PairingPolicy.VIEW) ? ratings.apply(benchmark) : Optional.empty(),
                // A test driver has no broker and passes its own count; a real one is asked
                () -> TestBroker.get().admin());
    }

    /** A driver of the standard topology, with a state directory of its own. */
    static TopologyTestDriver driver(ConfigRegistry registry, MeterRegistry meters, String applicationId) {
        return driver(registry, meters, applicationId, Clock.systemUTC());
    }

    /** A driver of the standard topology whose judges read {@code clock}. */
    static TopologyTestDriver driver(ConfigRegistry registry, MeterRegistry meters, String applicationId, Clock clock) {
        return driver(of(registry, meters), applicationId, clock);
    }

    /** A driver of the standard topology whose adaptive judges read {@code ratings}. */
    static TopologyTestDriver driver(
            ConfigRegistry registry,
            MeterRegistry meters,
            String applicationId,
            Function<String, Optional<LeaderboardSnapshot>> ratings) {
        return driver(of(registry, meters, ratings), applicationId, Clock.systemUTC());
    }

    private static TopologyTestDriver driver(JudgeTopology topology, String applicationId, Clock clock) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            props.put(
                    StreamsConfig.STATE_DIR_CONFIG,
                    Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), applicationId)
                            .toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TopologyTestDriver(
                topology.topology(JudgeTopology.Names.STANDARD, clock, RekeyPartitions.of(1)), props);
    }

    /** The driver's input {@code topic}: string keys, values the JSON bytes a test writes. */
    static TestInputTopic<String, byte[]> input(TopologyTestDriver driver, Topic<?, ?> topic) {
        return driver.createInputTopic(topic.name(), new StringSerializer(), new ByteArraySerializer());
    }

    /** The driver's output {@code topic}: string keys, values the JSON bytes the judge wrote. */
    static TestOutputTopic<String, byte[]> output(TopologyTestDriver driver, Topic<?, ?> topic) {
        return driver.createOutputTopic(topic.name(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Registers {@code spec} under {@code key} as the config topic would deliver it; it must be accepted. */
    static <V> void register(ConfigRegistry registry, Topic<String, V> topic, String key, V spec) {
        assertThat(registry.apply(topic.name(), key, Json.writeBytes(spec))).isEmpty();
    }
}
