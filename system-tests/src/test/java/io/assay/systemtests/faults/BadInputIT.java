package io.assay.systemtests.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.cli.DemoSetup;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.stack.Component;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.CloudEvents;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.EventType;
import io.assay.contracts.Json;
import io.assay.contracts.Judgment;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Topic;
import io.assay.contracts.Topics;
import io.assay.systemtests.ServiceProcess;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad event sent to each input topic of the packaged services (as processes, against the
 * in-JVM broker, services on ports 8080 + 18000), interleaved with good items: not JSON, invalid UTF-8,
 * 100,000 nested {@code [}, 5 MB, no key, another key, a tombstone where none is allowed, an unknown
 * major version in {@code ce_type}, and the values that make no sense (an unknown or infinite
 * reference value, a regex that does not compile, invisible characters in ids, a score off its scale,
 * a kind its protocol does not give). Each lands on {@code assay.dead-letters} exactly once, written by
 * the topic's owner (docs/delivery.md) with its reason; every good item is judged for every model; no
 * service restarted.
 *
 * <p>A 5 MB value passes Kafka's default limits only where they are raised: the test raises the input
 * topics' {@code max.message.bytes} and its producer's {@code max.request.size}, as an operator could;
 * the stages then refuse it by Assay's own limit ({@code EventType.MAX_EVENT_BYTES}) and dead-letter
 * its first 512 KiB.
 */
@RequiresBroker
class BadInputIT {
    private static final int PORT_OFFSET = 18_000;
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final String CASE = "assay-test-case";
    /** The "stage" of a record the broker itself refuses: a keyless record on a compacted topic. */
    private static final String BROKER = "broker";

    private static final String BENCHMARK = "bad-input-" + System.currentTimeMillis();
    private static final int BIG = 5 * 1024 * 1024;
    private static final List<Topic<String, ?>> INPUTS =
            List.of(Topics.ITEMS, Topics.PROMPTS, Topics.RESPONSES, Topics.JUDGMENTS, Topics.MODELS, Topics.BENCHMARKS);

    private static final Map<Component, ServiceProcess> SERVICES = new LinkedHashMap<>();
    private static final Map<Component, Long> PIDS = new LinkedHashMap<>();
    private static TestClient kafka;

    /**
     * One bad record.
     *
     * @param id its {@value #CASE} header, which its dead letter keeps
     * @param kind what is wrong with it
     * @param topic where it is sent
     * @param key its key ({@code null} for none)
     * @param value its value ({@code null} for a tombstone)
     * @param ceType its {@code ce_type} header ({@code null} for none)
     * @param stage the stage that must dead-letter it
     * @param reason a part of the reason it must carry
     */
    private record Bad(
            String id,
            String kind,
            String topic,
            String key,
            byte[] value,
            String ceType,
            String stage,
            String reason) {}

    @BeforeAll
    static void startServices() throws Exception {
        Path repo =
                Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
        Path home = repo.resolve("system-tests/target/bad-input-it");
        deleteTree(home);
        String bootstrap = TestBroker.get().bootstrapServers();
        raiseMessageLimits();
        for (Component c : Component.services()) {
            ServiceProcess p = ServiceProcess.of(repo, c, home, PORT_OFFSET, bootstrap);
            SERVICES.put(c, p);
            p.start();
            PIDS.put(c, p.pid());
        }
        kafka = TestBroker.get().client();
    }

    @AfterAll
    static void stopServices() throws InterruptedException {
        for (ServiceProcess p : SERVICES.values()) {
            p.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyBadEventIsDeadLetteredOnceWithItsReasonAndEveryGoodItemIsJudged() throws Exception {
        // Given the demo's models and a benchmark
        Instant now = Instant.now();
        List<ModelSpec> models = DemoSetup.models(now);
        kafka.send(Topics.BENCHMARKS, BENCHMARK, DemoSetup.benchmark(BENCHMARK, now));
        models.forEach(m -> kafka.send(Topics.MODELS, m.modelId(), m));
        List<Bad> bad = badEvents(now);
        ItemGenerator generator = new ItemGenerator(BENCHMARK, 12);

        // When every bad event is sent, each followed by a good item
        long started = System.nanoTime();
        List<String> refusedByBroker = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = bigProducer()) {
            for (int i = 0; i < bad.size(); i++) {
                Bad b = bad.get(i);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(b.topic(), b.key(), b.value());
                record.headers().add(CASE, b.id().getBytes(StandardCharsets.UTF_8));
                if (b.ceType() != null) {
                    record.headers().add(CloudEvents.TYPE, b.ceType().getBytes(StandardCharsets.UTF_8));
                }
                if (BROKER.equals(b.stage())) {
                    // A compacted topic takes no record without a key: the producer is told, no stage sees it.
                    assertThatThrownBy(() -> producer.send(record).get())
                            .as(b.id())
                            .hasCauseInstanceOf(InvalidRecordException.class)
                            .hasMessageContaining(b.reason());
                    refusedByBroker.add(b.id());
                } else {
                    producer.send(record).get();
                }
                BenchmarkItem good = generator.item(i, now);
                kafka.send(Topics.ITEMS, good.key(), good);
            }
        }
        long sent = System.nanoTime();

        // Then every good item is judged for every model
        int expected = bad.size() * models.size();
        long judged = awaitJudgments(expected);
        System.out.printf(
                "bad input: %d bad events on %d topics, %d good items; all %d judgments %.1f s after the first"
                        + " send (%.1f s after the last)%n",
                bad.size(), INPUTS.size(), bad.size(), expected, (judged - started) / 1e9, (judged - sent) / 1e9);

        // And each bad event is dead-lettered exactly once, by its topic's owner, with its reason
        awaitLetters(bad);
        // Time for a second letter of any of them to show up, which must not.
        Thread.sleep(SETTLE.toMillis());
        Map<String, List<ConsumerRecord<String, byte[]>>> letters = lettersByCase();
        Map<String, Integer> perKind = new TreeMap<>();
        Map<String, Integer> perTopic = new TreeMap<>();
        for (Bad b : bad) {
            if (BROKER.equals(b.stage())) {
                assertThat(letters).as(b.id()).doesNotContainKey(b.id());
                perKind.merge(b.kind() + " (refused by the broker)", 1, Integer::sum);
                continue;
            }
            List<ConsumerRecord<String, byte[]>> mine = letters.getOrDefault(b.id(), List.of());
            assertThat(mine).as(b.id() + " dead letters").hasSize(1);
            ConsumerRecord<String, byte[]> letter = mine.get(0);
            assertThat(TestClient.header(letter, DeadLetters.TOPIC)).as(b.id()).isEqualTo(b.topic());
            assertThat(TestClient.header(letter, DeadLetters.STAGE)).as(b.id()).isEqualTo(b.stage());
            assertThat(TestClient.header(letter, DeadLetters.REASON)).as(b.id()).contains(b.reason());
            if (b.value() != null && b.value().length > DeadLetters.MAX_VALUE_BYTES) {
                assertThat(letter.value()).as(b.id()).hasSize(DeadLetters.MAX_VALUE_BYTES);
                assertThat(TestClient.header(letter, DeadLetters.VALUE_BYTES))
                        .isEqualTo(Integer.toString(b.value().length));
            } else {
                assertThat(letter.value()).as(b.id()).isEqualTo(b.value());
            }
            perKind.merge(b.kind(), 1, Integer::sum);
            perTopic.merge(b.topic() + " (" + b.stage() + ")", 1, Integer::sum);
        }
        System.out.println("bad input: dead letters per kind " + perKind);
        System.out.println("bad input: dead letters per topic " + perTopic);
        System.out.println("bad input: refused by the broker (keyless on a compacted topic) " + refusedByBroker);

        // And no service restarted
        SERVICES.forEach((c, p) -> {
            assertThat(p.alive()).as(c.name() + " alive").isTrue();
            assertThat(p.pid()).as(c.name() + " pid").isEqualTo(PIDS.get(c));
        });
    }

    /** Every bad event, one case per kind and topic where the kind applies. */
    private static List<Bad> badEvents(Instant now) {
        List<Bad> bad = new ArrayList<>();
        Map<String, byte[]> valid = new LinkedHashMap<>();
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, String> stages = new LinkedHashMap<>();
        BenchmarkItem item = new ItemGenerator(BENCHMARK, 99).item(0, now);
        ObjectNode badItem = Json.mapper().valueToTree(item);
        badItem.put("itemId", "bad-item");
        put(valid, keys, stages, Topics.ITEMS, BENCHMARK + "/bad-item", badItem, "prompt-generator");
        put(valid, keys, stages, Topics.PROMPTS, BENCHMARK + "/bad-prompt", prompt(), "model-invoker");
        put(valid, keys, stages, Topics.RESPONSES, BENCHMARK + "/bad-response", response(), "judge");
        put(
                valid,
                keys,
                stages,
                Topics.JUDGMENTS,
                BENCHMARK + "/bad-judgment",
                judgment("score", "score", "7"),
                "aggregator");
        ObjectNode model = Json.mapper().valueToTree(DemoSetup.models(now).get(0));
        model.put("modelId", "bad-model");
        put(valid, keys, stages, Topics.MODELS, "bad-model", model, "model-invoker");
        ObjectNode benchmark = Json.mapper().valueToTree(DemoSetup.benchmark("bad-benchmark", now));
        put(valid, keys, stages, Topics.BENCHMARKS, "bad-benchmark", benchmark, "model-invoker");

        byte[] big = new byte[BIG];
        Arrays.fill(big, (byte) 'x');
        byte[] deep = "[".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        byte[] notUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'};
        for (Topic<String, ?> topic : INPUTS) {
            String t = topic.name();
            String key = keys.get(t);
            String stage = stages.get(t);
            EventType type = topic.type();
            bad.add(new Bad(t + ":not-json", "not JSON", t, key, "{not json".getBytes(), null, stage, "not JSON"));
            bad.add(new Bad(t + ":invalid-utf8", "invalid UTF-8", t, key, notUtf8, null, stage, "not JSON"));
            bad.add(new Bad(t + ":deep", "100,000 nested [", t, key, deep, null, stage, "not JSON"));
            bad.add(new Bad(t + ":5mb", "5 MB value", t, key, big, null, stage, "too large"));
            bad.add(new Bad(
                    t + ":v2",
                    "unknown major version",
                    t,
                    key,
                    valid.get(t),
                    type.cloudEventType().replace(".v1", ".v2"),
                    stage,
                    "unsupported event version"));
            bad.add(new Bad(t + ":other-key", "another key", t, key + "-other", valid.get(t), null, stage, "is not"));
            bad.add(new Bad(
                    t + ":no-key",
                    "no key",
                    t,
                    null,
                    valid.get(t),
                    null,
                    topic.compacted() ? BROKER : stage,
                    topic.compacted() ? "without key" : noKeyReason(topic)));
        }
        // Tombstones where none is allowed (on items and config topics a keyed one retires, a keyless one is refused)
        bad.add(new Bad("items:tombstone", "tombstone", Topics.ITEMS.name(), null, null, null, BROKER, "without key"));
        bad.add(new Bad(
                "prompts:tombstone",
                "tombstone",
                Topics.PROMPTS.name(),
                keys.get(Topics.PROMPTS.name()),
                null,
                null,
                "model-invoker",
                "tombstone"));
        bad.add(new Bad(
                "responses:tombstone",
                "tombstone",
                Topics.RESPONSES.name(),
                keys.get(Topics.RESPONSES.name()),
                null,
                null,
                "judge",
                "tombstone"));
        bad.add(new Bad(
                "judgments:tombstone",
                "tombstone",
                Topics.JUDGMENTS.name(),
                keys.get(Topics.JUDGMENTS.name()),
                null,
                null,
                "aggregator",
                "no value"));
        bad.add(new Bad(
                "models:tombstone", "tombstone", Topics.MODELS.name(), null, null, null, BROKER, "without key"));
        // Values that make no sense
        String items = Topics.ITEMS.name();
        String itemKey = keys.get(items);
        bad.add(itemValue(
                "reference-typo", "unknown reference field", itemKey, badItem, "{\"answer\":[\"4\"]}", "answer"));
        bad.add(itemValue(
                "reference-1e400", "infinite number", itemKey, badItem, "{\"value\":1e400}", "not a finite number"));
        bad.add(itemValue(
                "reference-regex",
                "regex that does not compile",
                itemKey,
                badItem,
                "{\"regex\":\"(4\"}",
                "does not compile"));
        ObjectNode bidi = badItem.deepCopy();
        bidi.put("itemId", "bad\u202Eitem");
        bad.add(new Bad(
                "items:bidi-id",
                "bidi or zero-width id",
                items,
                BENCHMARK + "/bad\u202Eitem",
                Json.writeBytes(bidi),
                null,
                "prompt-generator",
                "the id holds"));
        ObjectNode zeroWidth = (ObjectNode) Json.tree(response());
        zeroWidth.put("modelId", "sim\u200Balpha");
        bad.add(new Bad(
                "responses:zero-width-id",
                "bidi or zero-width id",
                Topics.RESPONSES.name(),
                keys.get(Topics.RESPONSES.name()),
                Json.writeBytes(zeroWidth),
                null,
                "judge",
                "the id holds"));
        String judgments = Topics.JUDGMENTS.name();
        bad.add(new Bad(
                "judgments:score-1e308",
                "score off its scale",
                judgments,
                keys.get(judgments),
                judgment("score", "score", "1e308"),
                null,
                "aggregator",
                "outside the judge's scale"));
        bad.add(new Bad(
                "judgments:pairwise-score",
                "kind not of its protocol",
                judgments,
                keys.get(judgments),
                judgment("pairwise", "score", "7"),
                null,
                "aggregator",
                "a pairwise judge gives"));
        return bad;
    }

    /** An item whose reference is {@code reference}, sent as written (so {@code 1e400} stays a literal). */
    private static Bad itemValue(String id, String kind, String key, ObjectNode item, String reference, String reason) {
        ObjectNode plain = item.deepCopy();
        plain.remove("reference");
        String json = Json.write(plain);
        String text = json.substring(0, json.length() - 1) + ",\"reference\":" + reference + "}";
        return new Bad(
                "items:" + id,
                kind,
                Topics.ITEMS.name(),
                key,
                text.getBytes(StandardCharsets.UTF_8),
                null,
                "prompt-generator",
                reason);
    }

    private static String noKeyReason(Topic<String, ?> topic) {
        if (topic.equals(Topics.JUDGMENTS)) {
            return "key null is not";
        }
        return "no key";
    }

    private static void put(
            Map<String, byte[]> valid,
            Map<String, String> keys,
            Map<String, String> stages,
            Topic<String, ?> topic,
            String key,
            Object value,
            String stage) {
        valid.put(topic.name(), value instanceof byte[] bytes ? bytes : Json.writeBytes(value));
        keys.put(topic.name(), key);
        stages.put(topic.name(), stage);
    }

    private static byte[] prompt() {
        return ("{\"requestId\":\"bad-prompt-1\",\"purpose\":\"EVALUATE\",\"benchmark\":\"" + BENCHMARK
                        + "\",\"itemId\":\"bad-prompt\",\"revision\":1,\"modelId\":\"sim-alpha\","
                        + "\"variant\":{\"format\":\"plain\",\"formatVersion\":\"1\",\"sample\":0},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"2+2?\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] response() {
        return ("{\"requestId\":\"bad-response-1\",\"purpose\":\"EVALUATE\",\"benchmark\":\"" + BENCHMARK
                        + "\",\"itemId\":\"bad-response\",\"revision\":1,\"modelId\":\"sim-alpha\","
                        + "\"variant\":{\"format\":\"plain\",\"formatVersion\":\"1\",\"sample\":0},"
                        + "\"output\":\"4\",\"finishReason\":\"stop\",\"attempts\":1}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] judgment(String protocol, String kind, String score) {
        return ("{\"judgmentId\":\"bad-judgment-" + protocol + "-" + score + "\",\"benchmark\":\"" + BENCHMARK
                        + "\",\"itemId\":\"bad-judgment\",\"judge\":{\"id\":\"wb\",\"protocol\":\"" + protocol
                        + "\",\"judgeModel\":\"sim-alpha\",\"baselines\":[\"sim-bravo\"]},"
                        + "\"subject\":{\"modelId\":\"sim-alpha\"},\"kind\":\"" + kind + "\","
                        + "\"score\":{\"value\":" + score + ",\"min\":1,\"max\":10},\"origin\":\"import\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Waits until the judgments of the benchmark number {@code expected}; returns when (System.nanoTime). */
    private static long awaitJudgments(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            Set<String> ids = new HashSet<>();
            for (ConsumerRecord<String, byte[]> r : kafka.readAllRaw(Topics.JUDGMENTS.name())) {
                if (r.value() == null || r.headers().lastHeader(CASE) != null) {
                    continue;
                }
                Judgment j = EventType.JUDGMENT.parse(r.value(), Judgment.class);
                if (j.benchmark().equals(BENCHMARK)) {
                    ids.add(j.judgmentId());
                }
            }
            seen = ids.size();
            if (seen >= expected) {
                return System.nanoTime();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("expected " + expected + " judgments within " + PATIENCE + ", saw " + seen);
    }

    /** Waits until every bad event has a dead letter. */
    private static Map<String, List<ConsumerRecord<String, byte[]>>> awaitLetters(List<Bad> bad)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Map<String, List<ConsumerRecord<String, byte[]>>> letters = Map.of();
        while (System.nanoTime() < deadline) {
            letters = lettersByCase();
            Map<String, List<ConsumerRecord<String, byte[]>>> seen = letters;
            if (bad.stream().allMatch(b -> BROKER.equals(b.stage()) || seen.containsKey(b.id()))) {
                return letters;
            }
            Thread.sleep(500);
        }
        Set<String> missing = bad.stream()
                .filter(b -> !BROKER.equals(b.stage()))
                .map(Bad::id)
                .collect(Collectors.toCollection(HashSet::new));
        missing.removeAll(letters.keySet());
        throw new AssertionError("no dead letter within " + PATIENCE + " for " + missing);
    }

    private static Map<String, List<ConsumerRecord<String, byte[]>>> lettersByCase() {
        return kafka.readAllRaw(Topics.DEAD_LETTERS.name()).stream()
                .filter(r -> r.headers().lastHeader(CASE) != null)
                .collect(Collectors.groupingBy(r -> TestClient.header(r, CASE)));
    }

    /** Lets 5 MB values onto the input topics, as an operator raising the limits would. */
    private static void raiseMessageLimits() throws Exception {
        try (Admin admin = TestBroker.get().admin()) {
            Map<ConfigResource, java.util.Collection<AlterConfigOp>> changes = new LinkedHashMap<>();
            for (Topic<String, ?> topic : INPUTS) {
                changes.put(
                        new ConfigResource(ConfigResource.Type.TOPIC, topic.name()),
                        List.of(new AlterConfigOp(
                                new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(2 * BIG)),
                                AlterConfigOp.OpType.SET)));
            }
            admin.incrementalAlterConfigs(changes).all().get();
        }
    }

    private static KafkaProducer<String, byte[]> bigProducer() {
        Properties props = TestBroker.get().clientProperties();
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * BIG);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
