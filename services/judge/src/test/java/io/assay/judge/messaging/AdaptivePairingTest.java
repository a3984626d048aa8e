package io.assay.judge.messaging;

import static io.assay.judge.JudgeFixtures.JUDGED;
import static io.assay.judge.JudgeFixtures.PLAIN;
import static io.assay.judge.JudgeFixtures.benchmarkSpec;
import static io.assay.judge.JudgeFixtures.chatItem;
import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Json;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Keys;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Protocol;
import io.assay.contracts.Provider;
import io.assay.contracts.Topics;
import io.assay.judge.pairing.PairingPolicy;
import io.assay.kit.ServiceIdentity;
import io.assay.kit.config.ConfigRegistry;
import io.assay.kit.kafka.KafkaClients;
import io.assay.kit.leaderboards.LeaderboardFeed;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * An adaptive pairwise judge through the judge's topology, reading the {@code bt} leaderboard the way the
 * service does: a {@link LeaderboardFeed} following {@code assay.leaderboards} on the in-JVM broker. Without
 * a snapshot the answers meet the baseline; a published snapshot changes the pairs asked to those whose
 * intervals overlap, and a redelivered answer asks nothing again.
 */
@RequiresBroker
class AdaptivePairingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JudgeSpec ADAPTIVE = new JudgeSpec(
            "arena",
            Protocol.PAIRWISE,
            null,
            null,
            "sim-judge",
            null,
            List.of("base"),
            null,
            false,
            null,
            null,
            null,
            new JudgeSpec.Pairing(JudgeSpec.Pairing.ADAPTIVE, 2));

    @Test
    void aPublishedBtSnapshotChangesThePairsAsked() throws Exception {
        ServiceIdentity identity = new ServiceIdentity("judge", "test");
        LeaderboardFeed feed = new LeaderboardFeed(
                new KafkaClients(Map.of("bootstrap.servers", TestBroker.get().bootstrapServers()), identity, null),
                identity,
                null);
        ConfigRegistry config = new ConfigRegistry();
        feed.start();
        try (TestClient client = TestBroker.get().client();
                TopologyTestDriver driver = TestTopology.driver(
                        config,
                        new SimpleMeterRegistry(),
                        "judge-adaptive-test",
                        benchmark -> feed.latest(benchmark, PairingPolicy.VIEW))) {
            assertThat(feed.awaitCaughtUp(WAIT)).isTrue();
            TestInputTopic<String, byte[]> items = TestTopology.input(driver, Topics.ITEMS);
            TestInputTopic<String, byte[]> responses = TestTopology.input(driver, Topics.RESPONSES);
            TestOutputTopic<String, byte[]> prompts = TestTopology.output(driver, Topics.PROMPTS);
            TestTopology.register(config, Topics.MODELS, "sim-judge", simJudge());
            TestTopology.register(config, Topics.BENCHMARKS, JUDGED, benchmarkSpec(JUDGED, ADAPTIVE));
            List<String> arrivals = List.of("a", "b", "c", "base");

            // Given no bt snapshot: every answer meets the baseline, as under the baselines policy
            assertThat(feed.latest(JUDGED, PairingPolicy.VIEW)).isEmpty();
            Map<String, String> models = answer(items, responses, "i1", arrivals);
            assertThat(pairs(prompts, models)).containsExactlyInAnyOrder("a~base", "b~base", "c~base");

            // When the aggregator publishes a bt snapshot: base 990–1010 and a 1000–1040 overlap, b 1100–1150
            // and c 1090–1120 overlap, the two groups do not
            client.send(
                    Topics.LEADERBOARDS,
                    Keys.leaderboard(JUDGED, PairingPolicy.VIEW),
                    new LeaderboardSnapshot(
                            JUDGED,
                            PairingPolicy.VIEW,
                            Instant.EPOCH,
                            40,
                            List.of(
                                    row(1, "b", 1125, 1100, 1150),
                                    row(2, "c", 1105, 1090, 1120),
                                    row(3, "a", 1020, 1000, 1040),
                                    row(4, "base", 1000, 990, 1010))));
            Awaitility.await()
                    .atMost(WAIT)
                    .until(() -> feed.latest(JUDGED, PairingPolicy.VIEW).isPresent());

            // Then on the next item only the overlapping pairs are asked: c meets b, the baseline meets a
            Map<String, String> next = answer(items, responses, "i2", arrivals);
            assertThat(pairs(prompts, next)).containsExactlyInAnyOrder("b~c", "a~base");

            // And a redelivered answer finds its ballot and asks nothing again
            responses.pipeInput(
                    JUDGED + "/i2",
                    Json.writeBytes(LlmJudgeProcessorTest.answer("i2", "base", PLAIN, "base", FinishReason.STOP, 0.5)));
            assertThat(prompts.readValuesToList()).isEmpty();
        } finally {
            feed.close();
        }
    }

    /** The item and every model's answer in {@code arrivals} order; the models by answer request id. */
    private static Map<String, String> answer(
            TestInputTopic<String, byte[]> items,
            TestInputTopic<String, byte[]> responses,
            String itemId,
            List<String> arrivals) {
        BenchmarkItem item = chatItem(itemId, 1);
        items.pipeInput(item.key(), Json.writeBytes(item));
        Map<String, String> models = new HashMap<>();
        for (String model : arrivals) {
            ModelResponse answer = LlmJudgeProcessorTest.answer(itemId, model, PLAIN, model, FinishReason.STOP, 0.5);
            models.put(answer.requestId(), model);
            responses.pipeInput(answer.key(), Json.writeBytes(answer));
        }
        return models;
    }

    /** The pairs the judge asked about, as {@code subject~baseline}. */
    private static Set<String> pairs(TestOutputTopic<String, byte[]> prompts, Map<String, String> models) {
        List<String> out = new ArrayList<>();
        for (byte[] value : prompts.readValuesToList()) {
            PromptRequest request = Json.read(new String(value, StandardCharsets.UTF_8), PromptRequest.class);
            out.add(request.subjectRequestIds().stream().map(models::get).collect(Collectors.joining("~")));
        }
        assertThat(out).doesNotHaveDuplicates();
        return Set.copyOf(out);
    }

    private static Row row(int rank, String model, double value, double lower, double upper) {
        return new Row(rank, model, true, value, lower, upper, 10, Map.of(), Map.of());
    }

    private static ModelSpec simJudge() {
        return new ModelSpec(
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
    }
}
