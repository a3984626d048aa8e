package io.assay.aggregator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.aggregator.leaderboard.Call;
import io.assay.aggregator.leaderboard.CallTally;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Json;
import io.assay.contracts.ModelError;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Purpose;
import io.assay.contracts.Topics;
import io.assay.contracts.Variant;
import io.assay.kit.ServiceIdentity;
import io.assay.kit.events.DeadLetterSink;
import io.assay.kit.events.EventHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Evaluation responses through the aggregator's own topology: the per-model tally counts each call once
 * whatever is redelivered, and a success replacing a failure moves the call from failed to answered.
 */
class ResponseProcessorTest {
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    private final ViewChanges changes = new ViewChanges();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> responses;

    @BeforeEach
    void start() {
        ServiceIdentity identity = new ServiceIdentity("aggregator", "test");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AggregatorTopology topology = new AggregatorTopology(
                new AggregatorMetrics(meters),
                changes,
                new SlotTallies(),
                new EventHeaders(identity),
                new DeadLetterSink(identity, meters, () -> {
                    throw new IllegalStateException("a Streams processor forwards its dead letters");
                }));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-responses");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Path.of(System.getProperty("java.io.tmpdir"), "aggregator-responses-" + UUID.randomUUID())
                        .toString());
        driver = new TopologyTestDriver(topology.topology(), config);
        responses = driver.createInputTopic(Topics.RESPONSES.name(), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aRedeliveredFailureIsCountedOnceWithItsKindAndLastError() {
        // Given: two items failing with connection errors, the first delivered three times
        send(failed("r1", "i1", "connection", "ConnectException from 127.0.0.1:9: Connection refused", T0));
        send(failed("r1", "i1", "connection", "ConnectException from 127.0.0.1:9: Connection refused", T0));
        send(failed("r2", "i2", "connection", "ConnectException from 127.0.0.1:9: refused again", T0.plusSeconds(1)));
        send(failed("r1", "i1", "connection", "ConnectException from 127.0.0.1:9: Connection refused", T0));

        // Then: two failed calls, none answered: the model is failing, with the latest message
        CallTally tally = tally("dead");
        assertThat(tally.answered()).isZero();
        assertThat(tally.failed()).isEqualTo(2);
        assertThat(tally.failures()).isEqualTo(Map.of("connection", 2L));
        assertThat(tally.failing()).isTrue();
        assertThat(tally.lastError().kind()).isEqualTo("connection");
        assertThat(tally.lastError().message()).endsWith("refused again");
        assertThat(tally.lastError().at()).isEqualTo(T0.plusSeconds(1));
        // And: the call keeps its error for the item page
        Call call =
                driver.<String, Call>getKeyValueStore(AggregatorTopology.CALLS).get(Call.key("b", "dead", "r1"));
        assertThat(call.errorKind()).isEqualTo("connection");
        assertThat(call.errorMessage()).contains("Connection refused");
    }

    @Test
    void aSuccessReplacingAFailureMovesTheCallToAnswered() {
        // Given: r1 failed (auth), r2 answered
        long before = changes.version("b");
        send(failed("r1", "i1", "auth", "HTTP 401 from api:443: bad key", T0));
        send(answered("r2", "i2"));
        assertThat(tally("dead").failed()).isEqualTo(1);
        assertThat(changes.version("b")).as("a failure changes the views").isGreaterThan(before);

        // When: r1 is retried (the same requestId) and answers, and r2 is redelivered
        send(answered("r1", "i1"));
        send(answered("r2", "i2"));

        // Then: two answered, nothing failed any more
        CallTally tally = tally("dead");
        assertThat(tally.answered()).isEqualTo(2);
        assertThat(tally.failed()).isZero();
        assertThat(tally.failures()).isEmpty();
        assertThat(tally.failing()).isFalse();
    }

    @Test
    void judgeCallsAreNotTheModels() {
        ModelResponse judge = failed("j1", "i1", "auth", "no", T0);
        send(new ModelResponse(
                judge.requestId(),
                Purpose.JUDGE,
                judge.benchmark(),
                judge.itemId(),
                1,
                judge.modelId(),
                false,
                judge.variant(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                false,
                1,
                judge.error(),
                "j",
                T0));

        assertThat(driver.<String, CallTally>getKeyValueStore(AggregatorTopology.TALLIES)
                        .get("b|dead"))
                .isNull();
    }

    private CallTally tally(String model) {
        KeyValueStore<String, CallTally> store = driver.getKeyValueStore(AggregatorTopology.TALLIES);
        return store.get(ResponseProcessor.tallyKey("b", model));
    }

    private void send(ModelResponse r) {
        responses.pipeInput(r.key(), Json.writeBytes(r));
    }

    private static ModelResponse failed(String requestId, String item, String kind, String message, Instant at) {
        return response(requestId, item, null, new ModelError(kind, message, false), at);
    }

    private static ModelResponse answered(String requestId, String item) {
        return response(requestId, item, "42", null, T0.plusSeconds(5));
    }

    private static ModelResponse response(String requestId, String item, String output, ModelError error, Instant at) {
        return new ModelResponse(
                requestId,
                Purpose.EVALUATE,
                "b",
                item,
                1,
                "dead",
                false,
                new Variant("plain", "1", 0, null),
                "arith",
                null,
                output,
                output == null ? FinishReason.ERROR : FinishReason.STOP,
                null,
                output == null ? null : 10L,
                null,
                false,
                1,
                error,
                null,
                at);
    }
}
