package io.assay.judge.messaging;

import static io.assay.judge.JudgeFixtures.JUDGED;
import static io.assay.judge.JudgeFixtures.PLAIN;
import static io.assay.judge.JudgeFixtures.benchmarkSpec;
import static io.assay.judge.JudgeFixtures.chatItem;
import static io.assay.judge.JudgeFixtures.reply;
import static io.assay.judge.JudgeFixtures.scoreJudge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Json;
import io.assay.contracts.Judgment;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Topics;
import io.assay.kit.config.ConfigRegistry;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Judge drift on a real broker and a real Kafka Streams runtime (exactly-once v2): a score judge asking
 * judge-a judges answers, its model becomes judge-b in the benchmark spec, the canaries are judged again by
 * judge-b, and the agreement of the two versions shows as a meter; an instance started on an empty disk
 * after it shows the same drift, restored from the changelog. The test plays the judge models: it reads the
 * judge requests and answers them with known grades, so the agreement is known (3 of 4).
 */
@RequiresBroker
class JudgeDriftTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** Grades judge-a gives the answers to the canary partition's items, in order (the last two are no canaries). */
    private static final int[] GRADES_A = {8, 8, 3, 3, 5, 5};
    /** Grades judge-b gives the canaries: it agrees on the first, third and fourth. */
    private static final int[] GRADES_B = {8, 3, 3, 3};

    @Test
    void aJudgeWhoseModelChangesIsMeasuredOnItsCanariesAndTheDriftSurvivesARestart() throws Exception {
        String run = "drift-" + UUID.randomUUID().toString().substring(0, 8);
        JudgeTopology.Names names = JudgeTopology.Names.prefixed(run + ".");
        PairingRestartTest.createTopics(names);
        String appId = "judge-" + run;
        ConfigRegistry registry = new ConfigRegistry();
        // Items whose key the judge input's partitioner (murmur2) puts on the canary partition, and two others
        List<String> canaryPartition = itemIds(0, GRADES_A.length);
        List<String> elsewhere = itemIds(1, 2);

        try (TestClient client = TestBroker.get().client()) {
            // Given a score judge asking judge-a, and answers to 8 items judged by it
            TestTopology.register(registry, Topics.BENCHMARKS, JUDGED, benchmarkSpec(JUDGED, scoreJudge("judge-a")));
            List<String> all = new ArrayList<>(canaryPartition);
            all.addAll(elsewhere);
            for (String itemId : all) {
                BenchmarkItem item = chatItem(itemId, 1);
                client.sendRaw(names.items(), item.key(), Json.writeBytes(item));
                ModelResponse answer = LlmJudgeProcessorTest.answer(
                        itemId, "cand", PLAIN, "answer to " + itemId, FinishReason.STOP, 0.5);
                client.sendRaw(names.responses(), answer.key(), Json.writeBytes(answer));
            }
            Path firstDisk = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "drift-first");
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            KafkaStreams first = PairingRestartTest.start(names, registry, appId, firstDisk, meters);
            try {
                Set<String> answered = new HashSet<>();
                answerJudgeRequests(client, names, "judge-a", all.size(), answered, itemId -> {
                    int i = canaryPartition.indexOf(itemId);
                    return i < 0 ? 7 : GRADES_A[i];
                });
                awaitJudgments(client, names, all.size());

                // When the judge's model becomes judge-b
                TestTopology.register(
                        registry, Topics.BENCHMARKS, JUDGED, benchmarkSpec(JUDGED, scoreJudge("judge-b")));

                // Then judge-b is asked about the canaries only: the first four answers of the canary partition
                List<PromptRequest> asked =
                        answerJudgeRequests(client, names, "judge-b", TestTopology.CANARIES, answered, itemId -> {
                            int i = canaryPartition.indexOf(itemId);
                            return GRADES_B[i];
                        });
                assertThat(asked.stream().map(PromptRequest::itemId))
                        .containsExactlyInAnyOrderElementsOf(canaryPartition.subList(0, TestTopology.CANARIES));

                // And the drift shows: agreement 3/4 (grades 8/8, 8/3, 3/3, 3/3), kappa 0.5 (table
                // [[2, 0], [1, 1]]: p_o = 0.75, p_e = 0.5·0.75 + 0.5·0.25 = 0.5, (0.75 − 0.5)/(1 − 0.5))
                awaitDrift(meters, 0.75, 0.5);
                // And judge-b's verdicts on the canaries are ordinary judgments of the new version
                awaitJudgments(client, names, all.size() + TestTopology.CANARIES);
            } finally {
                PairingRestartTest.stop(first);
                PairingRestartTest.deleteRecursively(firstDisk);
            }

            // When a new instance starts on an empty disk
            Path secondDisk = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "drift-second");
            SimpleMeterRegistry second = new SimpleMeterRegistry();
            KafkaStreams restarted = PairingRestartTest.start(names, registry, appId, secondDisk, second);
            try {
                // Then it shows the same drift, from the canaries store restored from its changelog
                awaitDrift(second, 0.75, 0.5);
            } finally {
                PairingRestartTest.stop(restarted);
                PairingRestartTest.deleteRecursively(secondDisk);
            }
        }
    }

    /** The first {@code n} item ids {@code i<k>} whose keys the judge input's partitioner puts on {@code partition}. */
    private static List<String> itemIds(int partition, int n) {
        List<String> ids = new ArrayList<>();
        for (int k = 0; ids.size() < n; k++) {
            String key = JUDGED + "/i" + k;
            int p = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % Topics.PARTITIONS;
            if (p == partition) {
                ids.add("i" + k);
            }
        }
        return ids;
    }

    /**
     * Plays {@code judgeModel}: waits for {@code n} judge requests to it not answered yet, and answers each
     * with the grade {@code grades} gives its item.
     */
    private static List<PromptRequest> answerJudgeRequests(
            TestClient client,
            JudgeTopology.Names names,
            String judgeModel,
            int n,
            Set<String> answered,
            java.util.function.ToIntFunction<String> grades) {
        List<PromptRequest> asked = new ArrayList<>();
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(300)).until(() -> {
            asked.clear();
            client.readAllRaw(names.prompts()).stream()
                    .map(r -> Json.read(new String(r.value(), StandardCharsets.UTF_8), PromptRequest.class))
                    .filter(r -> r.modelId().equals(judgeModel) && !answered.contains(r.requestId()))
                    .forEach(asked::add);
            return asked.size() >= n;
        });
        assertThat(asked).hasSize(n);
        for (PromptRequest request : asked) {
            ModelResponse verdict = reply(request, "{\"score\": " + grades.applyAsInt(request.itemId()) + "}");
            client.sendRaw(names.responses(), verdict.key(), Json.writeBytes(verdict));
            answered.add(request.requestId());
        }
        return asked;
    }

    private static void awaitJudgments(TestClient client, JudgeTopology.Names names, int n) {
        Awaitility.await()
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(300))
                .until(() -> client.readAllRaw(names.judgments()).stream()
                                .map(r -> Json.read(new String(r.value(), StandardCharsets.UTF_8), Judgment.class))
                                .count()
                        >= n);
        assertThat(client.readAllRaw(names.judgments())).hasSize(n);
    }

    private static void awaitDrift(SimpleMeterRegistry meters, double agreement, double kappa) {
        Map<String, String> tags = Map.of(
                "benchmark", JUDGED, "judge", "wb-score", "from", "1/1/1..10@judge-a", "to", "1/1/1..10@judge-b");
        Awaitility.await()
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> gauge(meters, JudgeMetrics.DRIFT_CANARIES, tags) != null);
        assertThat(gauge(meters, JudgeMetrics.DRIFT_CANARIES, tags).value()).isEqualTo(4.0);
        assertThat(gauge(meters, JudgeMetrics.DRIFT_AGREEMENT, tags).value()).isCloseTo(agreement, within(1e-12));
        assertThat(gauge(meters, JudgeMetrics.DRIFT_KAPPA, tags).value()).isCloseTo(kappa, within(1e-12));
    }

    private static Gauge gauge(SimpleMeterRegistry meters, String name, Map<String, String> tags) {
        var search = meters.find(name);
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            search = search.tag(tag.getKey(), tag.getValue());
        }
        return search.gauge();
    }
}
