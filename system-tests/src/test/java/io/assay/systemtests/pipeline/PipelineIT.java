package io.assay.systemtests.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.assay.cli.DemoSetup;
import io.assay.cli.api.AggregatorClient;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.stack.Component;
import io.assay.cli.stack.LocalStack;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.Json;
import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Purpose;
import io.assay.contracts.Topics;
import io.assay.invoker.sim.Simulator;
import io.assay.systemtests.Kcat;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The four services, each its own process started from its packaged jar exactly as {@code assay demo}
 * starts it, against the real in-JVM KRaft broker: items in, leaderboard out. Expected accuracies
 * are recomputed from the simulator's own deterministic decisions, so the test checks that every
 * stage in between (prompting, invoking, judging, folding) is exact.
 */
@RequiresBroker
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {
    private static final int ITEMS = 60;
    private static final int BACKFILL_ITEMS = 50;
    private static final int CRC32_ITEMS = 200;
    private static final int KCAT_ITEMS = 40;
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final String BENCHMARK = "pipeline-" + System.currentTimeMillis();

    private static LocalStack services;
    private static TestClient kafka;
    private static AggregatorClient api;
    private static List<ModelSpec> models;
    private static ItemGenerator generator;
    private static Path work;

    @BeforeAll
    static void startServices() {
        Path repo =
                Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
        work = repo.resolve("system-tests/target/pipeline-it");
        services = new LocalStack(repo, work, 10_000);
        services.startServices(TestBroker.get().bootstrapServers(), System.out);
        kafka = TestBroker.get().client();
        api = new AggregatorClient(services.url(Component.AGGREGATOR));
        models = DemoSetup.models(Instant.now());
        generator = new ItemGenerator(BENCHMARK, 11);
    }

    @AfterAll
    static void stopServices() {
        if (kafka != null) {
            kafka.close();
        }
        if (services != null) {
            List<ProcessHandle> processes = services.processes();
            services.stop();
            assertThat(processes).as("no service process is left running").noneMatch(ProcessHandle::isAlive);
        }
    }

    @Test
    @Order(0)
    void theServicesRunWithTheShellsJavaOptionsAfterTheStacksOwn() {
        // Given this shell's ASSAY_SERVICE_JAVA_OPTIONS (failsafe's default execution sets C1 only; none: nothing to
        // add)
        List<String> options = LocalStack.parseServiceJavaOptions(System.getenv(LocalStack.SERVICE_JAVA_OPTIONS));
        List<String> expected = new ArrayList<>(List.of("-Xmx384m"));
        expected.addAll(options);
        expected.add("-jar");

        // Then every service's JVM got them after the stack's heap cap, so that an -Xmx among them wins
        for (Component c : Component.services()) {
            assertThat(services.process(c).orElseThrow().info().arguments().orElseThrow())
                    .as(c.name())
                    .containsSubsequence(expected);
        }
    }

    @Test
    @Order(1)
    void itemsBecomeALeaderboardWhoseAccuraciesAreTheSimulatorsOwn() {
        // Given four simulated models and a benchmark
        kafka.send(Topics.BENCHMARKS, BENCHMARK, DemoSetup.benchmark(BENCHMARK, Instant.now()));
        models.forEach(m -> kafka.send(Topics.MODELS, m.modelId(), m));

        // When items are published
        for (int i = 0; i < ITEMS; i++) {
            BenchmarkItem item = generator.item(i, Instant.now());
            kafka.send(Topics.ITEMS, item.key(), item);
        }

        // Then every model is judged on every item, and each accuracy equals the simulator's decisions
        LeaderboardSnapshot board = awaitBoard(b -> models.stream().allMatch(m -> n(b, m.modelId()) == ITEMS));
        Map<String, Long> expectedCorrect = expectedCorrect();
        for (ModelSpec m : models) {
            LeaderboardSnapshot.Row row = row(board, m.modelId());
            assertThat(row.simulated()).isTrue();
            assertThat(row.n()).isEqualTo(ITEMS);
            assertThat(row.value()).as(m.modelId()).isEqualTo((double) expectedCorrect.get(m.modelId()) / ITEMS);
            assertThat(row.lower()).isLessThanOrEqualTo(row.value());
            assertThat(row.upper()).isGreaterThanOrEqualTo(row.value());
        }
        assertThat(board.rows()).extracting(LeaderboardSnapshot.Row::rank).containsExactly(1, 2, 3, 4);
    }

    @Test
    @Order(2)
    void aModelRegisteredLaterIsBackFilledOverTheWholeHistory() {
        // Given a benchmark whose 50 items were already evaluated for the four models
        String benchmark = BENCHMARK + "-backfill";
        ItemGenerator items = new ItemGenerator(benchmark, 12);
        List<ModelSpec> first = models;
        for (int i = 0; i < BACKFILL_ITEMS; i++) {
            BenchmarkItem item = items.item(i, Instant.now());
            kafka.send(Topics.ITEMS, item.key(), item);
        }
        awaitBoard(benchmark, b -> first.stream().allMatch(m -> n(b, m.modelId()) == BACKFILL_ITEMS));

        // When a fifth model is registered
        ModelSpec late = new ModelSpec(
                "sim-late",
                "Simulated late model",
                models.get(0).provider(),
                null,
                null,
                null,
                models.get(0).params(),
                null,
                null,
                null,
                null,
                List.of(benchmark),
                new ModelSpec.SimSpec(0.0, 100, 1, 0.0, 5L),
                Instant.now());
        kafka.send(Topics.MODELS, late.modelId(), late);

        // Then it is evaluated on all 50 items, and only on this benchmark
        LeaderboardSnapshot board = awaitBoard(benchmark, b -> n(b, late.modelId()) == BACKFILL_ITEMS);
        assertThat(row(board, late.modelId()).n()).isEqualTo(BACKFILL_ITEMS);
        List<PromptRequest> latePrompts = kafka.readAll(Topics.PROMPTS).stream()
                .filter(p -> p.modelId().equals(late.modelId()))
                .toList();
        assertThat(latePrompts)
                .hasSize(BACKFILL_ITEMS)
                .allMatch(p -> p.benchmark().equals(benchmark));
    }

    @Test
    @Order(3)
    void republishingAnUnchangedItemOrRedeliveringAJudgmentChangesNothing() {
        // Given the first benchmark fully judged
        BenchmarkItem first = generator.item(0, Instant.parse("2026-01-01T00:00:00Z"));
        long promptsBefore = promptsFor(first.itemId());
        long judgmentsBefore = judgmentsFor(first.itemId());
        Judgment redelivered = kafka.readAll(Topics.JUDGMENTS).stream()
                .filter(j -> j.benchmark().equals(BENCHMARK) && !j.itemId().equals(first.itemId()))
                .findFirst()
                .orElseThrow();
        assertThat(promptsBefore).isEqualTo(models.size());

        // When an item is re-published unchanged, a judgment is delivered again, and a new item follows
        BenchmarkItem original = kafka.readAll(Topics.ITEMS).stream()
                .filter(i -> i.key().equals(first.key()))
                .findFirst()
                .orElseThrow();
        kafka.send(Topics.ITEMS, original.key(), original);
        kafka.send(Topics.JUDGMENTS, redelivered.key(), redelivered);
        BenchmarkItem marker = generator.item(ITEMS, Instant.now());
        kafka.send(Topics.ITEMS, marker.key(), marker);

        // Then the new item is judged for every model, while the old one got no new prompts or judgments
        LeaderboardSnapshot board = awaitBoard(b -> models.stream().allMatch(m -> n(b, m.modelId()) == ITEMS + 1));
        assertThat(promptsFor(first.itemId())).isEqualTo(promptsBefore);
        assertThat(judgmentsFor(first.itemId())).isEqualTo(judgmentsBefore);
        assertThat(board.judgments()).isEqualTo((long) (ITEMS + 1) * models.size());
    }

    @Test
    @Order(4)
    void itemsPartitionedAsLibrdkafkaDoesAreJudgedForEveryModel() throws Exception {
        // Given a benchmark whose items a non-Java producer publishes: librdkafka's default partitioner
        // (kcat, confluent-kafka for Python, Go) puts a key on CRC32(key) mod partitions, where Java's
        // responses go by murmur2
        String benchmark = BENCHMARK + "-crc32";
        ItemGenerator crc32Items = new ItemGenerator(benchmark, 13);
        int moved = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                TestBroker.get().clientSettings(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < CRC32_ITEMS; i++) {
                BenchmarkItem item = crc32Items.item(i, Instant.now());
                byte[] key = item.key().getBytes(StandardCharsets.UTF_8);
                int partition = librdkafkaPartition(key, Topics.PARTITIONS);
                if (partition != Utils.toPositive(Utils.murmur2(key)) % Topics.PARTITIONS) {
                    moved++;
                }
                producer.send(new ProducerRecord<>(Topics.ITEMS.name(), partition, key, Json.writeBytes(item)));
            }
            producer.flush();
        }
        assertThat(moved)
                .as("items on another partition than Java's would choose")
                .isGreaterThan(CRC32_ITEMS / 2);

        // Then every one of them is judged for every model
        LeaderboardSnapshot board =
                awaitBoard(benchmark, b -> models.stream().allMatch(m -> n(b, m.modelId()) == CRC32_ITEMS));
        assertThat(board.judgments()).isEqualTo((long) CRC32_ITEMS * models.size());
    }

    @Test
    @Order(5)
    void itemsPublishedByTheKcatBinaryAsTheReadmeShowsAreJudgedForEveryModel() throws Exception {
        Optional<Path> kcat = Kcat.binary();
        assumeTrue(kcat.isPresent(), Kcat.MISSING);
        // Given a file of lines key|value, as the README publishes items with kcat -K'|' -P: one item whose
        // value holds the delimiter and characters outside ASCII (kcat splits a line at its first '|'), one
        // line ending in CR LF as a file saved on Windows has, and one line that is not JSON among them
        String benchmark = BENCHMARK + "-kcat";
        ItemGenerator kcatItems = new ItemGenerator(benchmark, 14);
        List<String> lines = new ArrayList<>();
        String piped = kcatItems.item(1, Instant.now()).key();
        String pipedText = " Answer a|b; ünïcödé 𝛑 — \"quoted\"";
        for (int i = 0; i < KCAT_ITEMS; i++) {
            BenchmarkItem item = kcatItems.item(i, Instant.now());
            if (i == 1) {
                item = withPrompt(item, item.prompt() + pipedText);
            }
            lines.add(item.key() + "|" + new String(Json.writeBytes(item), StandardCharsets.UTF_8)
                    + (i == 2 ? "\r" : ""));
        }
        String notJson = benchmark + "/not-json";
        lines.add(KCAT_ITEMS / 2, notJson + "|{\"benchmark\": ");
        Path file = work.resolve("kcat-items.txt");
        Files.write(file, lines, StandardCharsets.UTF_8);

        // When the kcat binary publishes them from its standard input, in batches compressed with zstd as a producer
        // set for throughput sends them (the services' consumers need zstd's native library, which they unpack into
        // their temporary directory)
        Kcat.produce(
                kcat.get(),
                TestBroker.get().bootstrapServers(),
                Topics.ITEMS.name(),
                file,
                Map.of("compression.codec", "zstd"));

        // Then every item is judged for every model, and the line that is not JSON is dead-lettered with its reason
        LeaderboardSnapshot board =
                awaitBoard(benchmark, b -> models.stream().allMatch(m -> n(b, m.modelId()) == KCAT_ITEMS));
        assertThat(board.judgments()).isEqualTo((long) KCAT_ITEMS * models.size());
        assertThat(kafka.awaitRaw(Topics.DEAD_LETTERS.name(), r -> notJson.equals(r.key()), 1, PATIENCE))
                .singleElement()
                .satisfies(letter -> {
                    assertThat(TestClient.header(letter, DeadLetters.STAGE)).isEqualTo("prompt-generator");
                    System.out.println(
                            "kcat: the line that is not JSON: " + TestClient.header(letter, DeadLetters.REASON));
                    assertThat(TestClient.header(letter, DeadLetters.REASON)).containsIgnoringCase("json");
                });
        // And the value holding the delimiter arrived whole, and kcat's partitioner (CRC32) put items elsewhere than
        // Java's would
        List<ConsumerRecord<String, byte[]>> published = kafka.readAllRaw(Topics.ITEMS.name()).stream()
                .filter(r -> r.key() != null && r.key().startsWith(benchmark + "/"))
                .toList();
        assertThat(published)
                .filteredOn(r -> r.key().equals(piped))
                .singleElement()
                .satisfies(r -> assertThat(Json.read(new String(r.value(), StandardCharsets.UTF_8), BenchmarkItem.class)
                                .prompt())
                        .endsWith(pipedText));
        assertThat(published)
                .as("items kcat put on another partition than Java's partitioner would")
                .anyMatch(r -> r.partition()
                        != Utils.toPositive(Utils.murmur2(r.key().getBytes(StandardCharsets.UTF_8)))
                                % Topics.PARTITIONS);
    }

    private static BenchmarkItem withPrompt(BenchmarkItem i, String prompt) {
        return new BenchmarkItem(
                i.benchmark(),
                i.itemId(),
                i.revision(),
                i.publishedAt(),
                i.source(),
                i.category(),
                i.categories(),
                i.tags(),
                prompt,
                i.messages(),
                i.choices(),
                i.reference(),
                i.difficulty(),
                i.metadata());
    }

    /** librdkafka's {@code consistent_random} partitioner for a non-empty key: CRC32 of the key, modulo the partitions. */
    private static int librdkafkaPartition(byte[] key, int partitions) {
        CRC32 crc = new CRC32();
        crc.update(key);
        return (int) (crc.getValue() % partitions);
    }

    private Map<String, Long> expectedCorrect() {
        Map<String, ModelSpec> byId =
                models.stream().collect(Collectors.toMap(ModelSpec::modelId, Function.identity()));
        Map<String, Long> correct = new HashMap<>();
        models.forEach(m -> correct.put(m.modelId(), 0L));
        for (PromptRequest p : kafka.readAll(Topics.PROMPTS)) {
            if (p.benchmark().equals(BENCHMARK)
                    && p.purpose() == Purpose.EVALUATE
                    && Simulator.decidesCorrect(byId.get(p.modelId()), p)) {
                correct.merge(p.modelId(), 1L, Long::sum);
            }
        }
        return correct;
    }

    private static long promptsFor(String itemId) {
        return kafka.readAll(Topics.PROMPTS).stream()
                .filter(p -> p.benchmark().equals(BENCHMARK) && p.itemId().equals(itemId))
                .count();
    }

    private static long judgmentsFor(String itemId) {
        return kafka.readAll(Topics.JUDGMENTS).stream()
                .filter(j -> j.benchmark().equals(BENCHMARK) && j.itemId().equals(itemId))
                .count();
    }

    private static LeaderboardSnapshot awaitBoard(java.util.function.Predicate<LeaderboardSnapshot> done) {
        return awaitBoard(BENCHMARK, done);
    }

    private static LeaderboardSnapshot awaitBoard(
            String benchmark, java.util.function.Predicate<LeaderboardSnapshot> done) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Optional<LeaderboardSnapshot> board = Optional.empty();
        while (System.nanoTime() < deadline) {
            try {
                board = api.leaderboard(benchmark, "accuracy");
            } catch (AggregatorClient.ApiException notReady) {
                board = Optional.empty();
            }
            if (board.isPresent() && done.test(board.get())) {
                return board.get();
            }
            sleep(500);
        }
        throw new AssertionError("leaderboard of " + benchmark + " not complete within " + PATIENCE + ": " + board);
    }

    private static long n(LeaderboardSnapshot board, String modelId) {
        return board.rows().stream()
                .filter(r -> r.modelId().equals(modelId))
                .mapToLong(LeaderboardSnapshot.Row::n)
                .findFirst()
                .orElse(0);
    }

    private static LeaderboardSnapshot.Row row(LeaderboardSnapshot board, String modelId) {
        return board.rows().stream()
                .filter(r -> r.modelId().equals(modelId))
                .findFirst()
                .orElseThrow();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
