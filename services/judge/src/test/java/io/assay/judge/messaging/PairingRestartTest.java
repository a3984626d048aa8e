package io.assay.judge.messaging;

import static io.assay.judge.JudgeFixtures.JUDGED;
import static io.assay.judge.JudgeFixtures.PLAIN;
import static io.assay.judge.JudgeFixtures.arena;
import static io.assay.judge.JudgeFixtures.benchmarkSpec;
import static io.assay.judge.JudgeFixtures.chatItem;
import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Json;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Topics;
import io.assay.kit.config.ConfigRegistry;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Pairing survives a restart: the candidate's answer is read by one judge instance, which stops and
 * loses its disk; a new instance restores the {@code answers} store from its changelog and pairs the
 * baseline's answer with it. A real broker and a real Kafka Streams runtime (exactly-once v2), on
 * topics of its own so no other judge in the JVM sees these events.
 */
@RequiresBroker
class PairingRestartTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void aCandidateReadBeforeARestartPairsWithABaselineReadAfterIt() throws Exception {
        String run = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        JudgeTopology.Names names = JudgeTopology.Names.prefixed(run + ".");
        createTopics(names);
        String appId = "judge-" + run;
        // The specs every instance reads from the config topics, which the kit follows in the service
        ConfigRegistry registry = new ConfigRegistry();
        BenchmarkItem item = chatItem("i1", 1);
        ModelResponse candidate =
                LlmJudgeProcessorTest.answer("i1", "cand", PLAIN, "candidate", FinishReason.STOP, 0.7);
        ModelResponse baseline = LlmJudgeProcessorTest.answer("i1", "base", PLAIN, "baseline", FinishReason.STOP, 0.4);

        try (TestClient client = TestBroker.get().client()) {
            // Given a pairwise judge, an item and the candidate's answer, read by a first instance
            TestTopology.register(registry, Topics.BENCHMARKS, JUDGED, benchmarkSpec(JUDGED, arena(null, false)));
            client.sendRaw(names.items(), item.key(), Json.writeBytes(item));
            client.sendRaw(names.responses(), candidate.key(), Json.writeBytes(candidate));
            Path firstDisk = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "judge-first");
            KafkaStreams first = start(names, registry, appId, firstDisk);
            try {
                awaitConsumed(appId, names.responses(), names.items(), JudgeTopology.rekeyTopic(appId));
            } finally {
                stop(first);
            }
            assertThat(client.readAllRaw(names.prompts())).isEmpty();

            // When the instance is gone with its disk, and a new one reads the baseline's answer and a duplicate
            deleteRecursively(firstDisk);
            Path secondDisk = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "judge-second");
            client.sendRaw(names.responses(), baseline.key(), Json.writeBytes(baseline));
            client.sendRaw(names.responses(), candidate.key(), Json.writeBytes(candidate));
            KafkaStreams second = start(names, registry, appId, secondDisk);
            try {
                awaitConsumed(appId, names.responses(), JudgeTopology.rekeyTopic(appId));

                // Then exactly one judge request asks about the pair, candidate shown first
                List<PromptRequest> asked = client.readAllRaw(names.prompts()).stream()
                        .map(r -> Json.read(new String(r.value(), StandardCharsets.UTF_8), PromptRequest.class))
                        .toList();
                assertThat(asked).hasSize(1);
                assertThat(asked.get(0).subjectRequestIds())
                        .containsExactly(candidate.requestId(), baseline.requestId());
            } finally {
                stop(second);
                deleteRecursively(secondDisk);
            }
        }
    }

    @Test
    void anAnswerRestoredAfterARestartIsDeadLetteredWhenItsRetentionRunsOut() throws Exception {
        String run = "expire-" + UUID.randomUUID().toString().substring(0, 8);
        JudgeTopology.Names names = JudgeTopology.Names.prefixed(run + ".");
        createTopics(names);
        String appId = "judge-" + run;
        ConfigRegistry registry = new ConfigRegistry();
        BenchmarkItem item = chatItem("i1", 1);
        ModelResponse candidate =
                LlmJudgeProcessorTest.answer("i1", "cand", PLAIN, "candidate", FinishReason.STOP, 0.7);
        ModelResponse baseline = LlmJudgeProcessorTest.answer("i1", "base", PLAIN, "baseline", FinishReason.STOP, 0.4);

        try (TestClient client = TestBroker.get().client()) {
            // Given the candidate's answer stored for pairing by a first instance, its baseline's never sent
            TestTopology.register(registry, Topics.BENCHMARKS, JUDGED, benchmarkSpec(JUDGED, arena(null, false)));
            client.sendRaw(names.items(), item.key(), Json.writeBytes(item));
            client.sendRaw(names.responses(), candidate.key(), Json.writeBytes(candidate));
            Path firstDisk = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "judge-first");
            KafkaStreams first = start(names, registry, appId, firstDisk);
            try {
                awaitConsumed(appId, names.responses(), names.items(), JudgeTopology.rekeyTopic(appId));
            } finally {
                stop(first);
            }
            deleteRecursively(firstDisk);

            // When a new instance on an empty disk, with a retention of two seconds, restores the stores
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            Path secondDisk = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "judge-second");
            KafkaStreams second = new KafkaStreams(
                    TestTopology.of(registry, meters, b -> java.util.Optional.empty(), Duration.ofSeconds(2))
                            .topology(names),
                    properties(appId, secondDisk));
            second.start();
            try {
                // Then the restored answer is one dead letter, expired, committed in the task's transaction
                Awaitility.await()
                        .atMost(TIMEOUT)
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> !client.readAllRaw(names.deadLetters()).isEmpty());
                var dead = client.readAllRaw(names.deadLetters());
                assertThat(dead).hasSize(1);
                assertThat(new String(
                                dead.get(0)
                                        .headers()
                                        .lastHeader("assay-dlq-reason")
                                        .value(),
                                StandardCharsets.UTF_8))
                        .startsWith(
                                "waited longer than PT2S (assay.judge.pending-retention) to be paired: no answer of base");
                assertThat(Json.read(new String(dead.get(0).value(), StandardCharsets.UTF_8), ModelResponse.class))
                        .isEqualTo(candidate);

                // And the baseline's answer, read after it, finds nobody to pair with
                client.sendRaw(names.responses(), baseline.key(), Json.writeBytes(baseline));
                awaitConsumed(appId, names.responses(), JudgeTopology.rekeyTopic(appId));
                assertThat(client.readAllRaw(names.prompts())).isEmpty();
                assertThat(meters.get(JudgeMetrics.RETENTION)
                                .tag("store", "answers")
                                .tag("outcome", "expired")
                                .counter()
                                .count())
                        .isEqualTo(1.0);
            } finally {
                stop(second);
                deleteRecursively(secondDisk);
            }
        }
    }

    /** Kafka Streams over the judge's topology with the kit's defaults (exactly-once v2, 100 ms commits). */
    static KafkaStreams start(JudgeTopology.Names names, ConfigRegistry registry, String appId, Path stateDir) {
        return start(names, registry, appId, stateDir, new SimpleMeterRegistry());
    }

    /** An instance counting into {@code meters}. */
    static KafkaStreams start(
            JudgeTopology.Names names, ConfigRegistry registry, String appId, Path stateDir, MeterRegistry meters) {
        KafkaStreams streams =
                new KafkaStreams(TestTopology.of(registry, meters).topology(names), properties(appId, stateDir));
        streams.start();
        return streams;
    }

    /** The kit's defaults: exactly-once v2, 100 ms commits. */
    static Properties properties(String appId, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.get().bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        // The broker's minimum: a member that did not leave cleanly is noticed quickly.
        props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6000);
        props.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1000);
        return props;
    }

    /** Stops an instance and leaves the group, so the next one takes the partitions at once. */
    static void stop(KafkaStreams streams) {
        streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(TIMEOUT));
    }

    /** Waits until the application has committed every record of the topics (its repartition topic too). */
    static void awaitConsumed(String appId, String... topics) {
        Awaitility.await()
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    try (Admin admin = TestBroker.get().admin()) {
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(appId)
                                .partitionsToOffsetAndMetadata()
                                .get();
                        List<TopicPartition> partitions = new ArrayList<>();
                        for (String topic : topics) {
                            for (int p = 0; p < Topics.PARTITIONS; p++) {
                                partitions.add(new TopicPartition(topic, p));
                            }
                        }
                        Map<TopicPartition, OffsetSpec> latest =
                                partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
                        var ends = admin.listOffsets(latest).all().get();
                        for (TopicPartition tp : partitions) {
                            long end = ends.get(tp).offset();
                            OffsetAndMetadata at = committed.get(tp);
                            if (end > 0 && (at == null || at.offset() < end)) {
                                return false;
                            }
                        }
                        return true;
                    }
                });
    }

    static void createTopics(JudgeTopology.Names names) {
        TestBroker.get()
                .createTopicsNamed(names.all().stream()
                        .map(name -> new NewTopic(name, Topics.PARTITIONS, (short) 1))
                        .toList());
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
