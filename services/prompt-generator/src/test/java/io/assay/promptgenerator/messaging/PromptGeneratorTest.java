package io.assay.promptgenerator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.CloudEvents;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.Evaluation;
import io.assay.contracts.EventType;
import io.assay.contracts.Ids;
import io.assay.contracts.Keys;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.PromptTemplate;
import io.assay.contracts.Provider;
import io.assay.contracts.Reference;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.Topics;
import io.assay.contracts.Variant;
import io.assay.kit.leaderboards.LeaderboardFeed;
import io.assay.testing.KafkaResource;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The prompt generator against the real in-JVM broker. Each test uses its own benchmark and models. */
@RequiresBroker
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class PromptGeneratorTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Long enough for several reconciliations and commits after the last awaited event. */
    private static final long SETTLE_MS = 1500;

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Variant PLAIN = new Variant("plain", "1", 0, null);
    private static TestClient client;

    @Inject
    LeaderboardFeed leaderboards;

    @BeforeAll
    static void connect() {
        client = TestBroker.get().client();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void promptsEveryItemForEveryRegisteredModel() {
        // Given two models of a fresh benchmark
        String benchmark = benchmark("every");
        ModelSpec m1 = model(benchmark, "m1", null);
        ModelSpec m2 = model(benchmark, "m2", new SamplingParams(0.7, null, 128, null, null, null, null));
        register(m1);
        register(m2);

        // When two items are published
        BenchmarkItem i1 = item(benchmark, "i1", 1, "What is 2+3?", Reference.numeric(5, 0));
        BenchmarkItem i2 = item(benchmark, "i2", 1, "Capital of France?", Reference.answer("Paris"));
        publish(i1);
        publish(i2);

        // Then each item is prompted once per model, with the deterministic request ids
        List<PromptRequest> prompts = client.await(Topics.PROMPTS, of(benchmark), 4, WAIT);
        Set<String> expected = Set.of(
                Ids.requestId(benchmark, "i1", 1, m1.modelId(), PLAIN, SamplingParams.DEFAULTS),
                Ids.requestId(benchmark, "i1", 1, m2.modelId(), PLAIN, m2.params()),
                Ids.requestId(benchmark, "i2", 1, m1.modelId(), PLAIN, SamplingParams.DEFAULTS),
                Ids.requestId(benchmark, "i2", 1, m2.modelId(), PLAIN, m2.params()));
        assertThat(prompts).extracting(PromptRequest::requestId).containsExactlyInAnyOrderElementsOf(expected);
        settle();
        assertThat(prompts(benchmark)).hasSize(4);
        PromptRequest numeric = prompts.stream()
                .filter(p -> p.itemId().equals("i1"))
                .findFirst()
                .orElseThrow();
        assertThat(numeric.simulation().answer()).isEqualTo("5");
        assertThat(numeric.messages().get(0).content().asText()).startsWith("What is 2+3?\n");

        // And every prompt carries its CloudEvents headers with ce_id = requestId
        List<ConsumerRecord<String, byte[]>> records = client.readAllRaw(Topics.PROMPTS.name()).stream()
                .filter(r -> r.key().startsWith(benchmark + "/"))
                .toList();
        assertThat(records).hasSize(4).allSatisfy(r -> {
            assertThat(TestClient.header(r, CloudEvents.TYPE)).isEqualTo(EventType.PROMPT_REQUEST.cloudEventType());
            assertThat(TestClient.header(r, CloudEvents.SOURCE)).isEqualTo("/assay/prompt-generator");
            assertThat(TestClient.header(r, CloudEvents.SPEC_VERSION)).isEqualTo("1.0");
            assertThat(expected).contains(TestClient.header(r, CloudEvents.ID));
        });
    }

    @Test
    void aModelRegisteredLaterIsBackFilledOverEveryItem() {
        // Given 50 items prompted for one model
        String benchmark = benchmark("backfill");
        register(model(benchmark, "m1", null));
        IntStream.range(0, 50)
                .forEach(i -> publish(item(benchmark, "i" + i, 1, "Question " + i, Reference.answer("a"))));
        client.await(Topics.PROMPTS, of(benchmark), 50, WAIT);

        // When a second model is registered
        ModelSpec m3 = model(benchmark, "m3", null);
        register(m3);

        // Then it gets exactly one prompt per existing item
        List<PromptRequest> backfilled =
                client.await(Topics.PROMPTS, of(benchmark).and(p -> p.modelId().equals(m3.modelId())), 50, WAIT);
        assertThat(backfilled)
                .extracting(PromptRequest::itemId)
                .doesNotHaveDuplicates()
                .hasSize(50);
        settle();
        assertThat(prompts(benchmark)).hasSize(100);
    }

    @Test
    void anUnchangedItemIsNotPromptedAgainButANewRevisionIs() {
        // Given an item prompted for one model
        String benchmark = benchmark("unchanged");
        ModelSpec m1 = model(benchmark, "m1", null);
        register(m1);
        BenchmarkItem item = item(benchmark, "same", 1, "What is 1+1?", Reference.numeric(2, 0));
        publish(item);
        client.await(Topics.PROMPTS, of(benchmark), 1, WAIT);

        // When it is re-published unchanged, followed by a marker item
        publish(item);
        publish(item(benchmark, "marker", 1, "What is 2+2?", Reference.numeric(4, 0)));
        client.await(Topics.PROMPTS, of(benchmark).and(p -> p.itemId().equals("marker")), 1, WAIT);
        settle();

        // Then the re-published item has still one prompt
        assertThat(prompts(benchmark))
                .filteredOn(p -> p.itemId().equals("same"))
                .hasSize(1);

        // When a new revision is published, it is prompted under a new request id
        publish(item(benchmark, "same", 2, "What is 1+1? (fixed)", Reference.numeric(2, 0)));
        List<PromptRequest> revised = client.await(
                Topics.PROMPTS, of(benchmark).and(p -> p.itemId().equals("same") && p.revision() == 2), 1, WAIT);
        assertThat(revised.get(0).requestId())
                .isEqualTo(Ids.requestId(benchmark, "same", 2, m1.modelId(), PLAIN, SamplingParams.DEFAULTS));

        // When the old revision arrives late, and revision 2 changes without a revision bump
        publish(item);
        BenchmarkItem unbumped = item(benchmark, "same", 2, "What is 1+2?", Reference.numeric(3, 0));
        publish(unbumped);

        // Then the stale one is ignored and the unbumped change is a dead letter that says what to do
        List<ConsumerRecord<String, byte[]>> dead =
                client.awaitRaw(Topics.DEAD_LETTERS.name(), r -> unbumped.key().equals(r.key()), 1, WAIT);
        assertThat(TestClient.header(dead.get(0), DeadLetters.REASON))
                .contains("revision 2 did not")
                .contains("as revision 3");
        settle();
        assertThat(prompts(benchmark))
                .filteredOn(p -> p.itemId().equals("same"))
                .hasSize(2);
    }

    @Test
    void aNewTemplateVariantIsBackFilledForEveryItemAndModel() {
        // Given a benchmark with one template, two models and three items
        String benchmark = benchmark("variant");
        PromptTemplate t1 = new PromptTemplate("t1", "1", null, "{{input}}");
        PromptTemplate t2 = new PromptTemplate("t2", "1", "Answer briefly.", "Q: {{input}}");
        client.send(Topics.BENCHMARKS, benchmark, spec(benchmark, List.of(t1)));
        register(model(benchmark, "m1", null));
        register(model(benchmark, "m2", null));
        settle();
        IntStream.range(0, 3)
                .forEach(i -> publish(item(benchmark, "i" + i, 1, "Question " + i, Reference.answer("a"))));
        client.await(Topics.PROMPTS, of(benchmark), 6, WAIT);

        // When the spec adds a second template
        client.send(Topics.BENCHMARKS, benchmark, spec(benchmark, List.of(t1, t2)));

        // Then every item is prompted for every model in the new variant, and nothing else again
        List<PromptRequest> added = client.await(
                Topics.PROMPTS, of(benchmark).and(p -> p.variant().format().equals("t2")), 6, WAIT);
        assertThat(added).extracting(p -> p.itemId() + "|" + p.modelId()).doesNotHaveDuplicates();
        assertThat(added.get(0).messages().get(0).content().asText()).isEqualTo("Answer briefly.");
        settle();
        List<PromptRequest> all = prompts(benchmark);
        assertThat(all).hasSize(12);
        assertThat(all).filteredOn(p -> p.variant().format().equals("t1")).hasSize(6);
    }

    @Test
    void anAnchorCountTakesItsAnchorsFromThePublishedIrtRanking() throws InterruptedException {
        // Given a benchmark whose prompt generator chooses one anchor and asks no other model, and four
        // models, three of them ranked by a published irt view (best first: m3, m1, m2)
        String benchmark = benchmark("anchors");
        client.send(
                Topics.BENCHMARKS,
                benchmark,
                new BenchmarkSpec(
                        benchmark,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new Evaluation(Evaluation.ANCHORS, null, 0.0, 1)));
        for (String m : List.of("m1", "m2", "m3", "m4")) {
            register(model(benchmark, m, null));
        }
        client.send(
                Topics.LEADERBOARDS,
                Keys.leaderboard(benchmark, "irt"),
                new LeaderboardSnapshot(
                        benchmark,
                        "irt",
                        Instant.parse("2026-12-01T00:00:00Z"),
                        30,
                        List.of(row(1, benchmark + "-m3"), row(2, benchmark + "-m1"), row(3, benchmark + "-m2"))));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (leaderboards.latest(benchmark, "irt").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        settle();

        // When an item arrives
        publish(item(benchmark, "i1", 1, "Question", Reference.answer("a")));

        // Then it goes to the middle of the ranking (m1) and to m4, which has no ability yet
        client.await(Topics.PROMPTS, of(benchmark), 2, WAIT);
        settle();
        assertThat(prompts(benchmark))
                .extracting(PromptRequest::modelId)
                .containsExactlyInAnyOrder(benchmark + "-m1", benchmark + "-m4");
    }

    private static LeaderboardSnapshot.Row row(int rank, String model) {
        return new LeaderboardSnapshot.Row(rank, model, true, 0.9 - rank / 10.0, null, null, 10, null, null);
    }

    @Test
    void aRetiredModelGetsNoPromptsAndChangedParamsAreBackFilled() {
        // Given two models and one prompted item
        String benchmark = benchmark("retire");
        ModelSpec keep = model(benchmark, "keep", null);
        ModelSpec retire = model(benchmark, "retire", null);
        register(keep);
        register(retire);
        publish(item(benchmark, "i1", 1, "Question 1", Reference.answer("a")));
        client.await(Topics.PROMPTS, of(benchmark), 2, WAIT);

        // When one model is retired and the other's params change, then a new item arrives
        client.send(Topics.MODELS, retire.modelId(), null);
        SamplingParams hot = new SamplingParams(1.0, null, null, null, null, null, null);
        register(model(benchmark, "keep", hot));
        settle();
        publish(item(benchmark, "i2", 1, "Question 2", Reference.answer("a")));

        // Then the changed model is back-filled under new ids, and the retired one gets nothing new
        List<PromptRequest> hotPrompts =
                client.await(Topics.PROMPTS, of(benchmark).and(p -> hot.equals(p.params())), 2, WAIT);
        assertThat(hotPrompts)
                .extracting(PromptRequest::requestId)
                .containsExactlyInAnyOrder(
                        Ids.requestId(benchmark, "i1", 1, keep.modelId(), PLAIN, hot),
                        Ids.requestId(benchmark, "i2", 1, keep.modelId(), PLAIN, hot));
        settle();
        assertThat(prompts(benchmark))
                .filteredOn(p -> p.modelId().equals(retire.modelId()))
                .extracting(PromptRequest::itemId)
                .containsExactly("i1");
    }

    @Test
    void invalidItemsAreDeadLetteredAndTheStreamContinues() {
        // Given a model
        String benchmark = benchmark("invalid");
        register(model(benchmark, "m1", null));

        // When an item that is not JSON, one that violates the schema and a valid one are published
        client.sendRaw(Topics.ITEMS.name(), benchmark + "/garbage", "{not json");
        client.sendRaw(
                Topics.ITEMS.name(),
                benchmark + "/noref",
                "{\"benchmark\":\"" + benchmark + "\",\"itemId\":\"noref\",\"prompt\":\"hi\"}");
        publish(item(benchmark, "ok", 1, "Question", Reference.answer("a")));

        // Then both invalid ones are dead letters with stage, reason and origin headers
        List<ConsumerRecord<String, byte[]>> dead = client.awaitRaw(
                Topics.DEAD_LETTERS.name(), r -> r.key() != null && r.key().startsWith(benchmark + "/"), 2, WAIT);
        assertThat(dead)
                .extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(benchmark + "/garbage", benchmark + "/noref");
        assertThat(dead).allSatisfy(r -> {
            assertThat(TestClient.header(r, DeadLetters.STAGE)).isEqualTo("prompt-generator");
            assertThat(TestClient.header(r, DeadLetters.REASON)).isNotBlank();
            assertThat(TestClient.header(r, DeadLetters.TOPIC)).isEqualTo(Topics.ITEMS.name());
            assertThat(TestClient.header(r, DeadLetters.PARTITION)).isNotNull();
            assertThat(TestClient.header(r, DeadLetters.OFFSET)).isNotNull();
        });
        ConsumerRecord<String, byte[]> garbage = dead.stream()
                .filter(r -> r.key().endsWith("/garbage"))
                .findFirst()
                .orElseThrow();
        assertThat(new String(garbage.value())).isEqualTo("{not json");
        assertThat(TestClient.header(garbage, DeadLetters.REASON)).startsWith("not JSON");

        // And the valid item is prompted
        client.await(Topics.PROMPTS, of(benchmark).and(p -> p.itemId().equals("ok")), 1, WAIT);
    }

    @Test
    void anItemsTraceIsCarriedOnByItsPromptsAndAMissingOrInvalidOneStartsANewTrace() {
        // Given two models the generator knows (a back-filled prompt starts a trace of its own: no item
        // asked for it, so the test waits until an item is prompted for both)
        String benchmark = benchmark("trace");
        register(model(benchmark, "m1", null));
        register(model(benchmark, "m2", null));
        publish(item(benchmark, "warm-up", 1, "Question", Reference.answer("a")));
        client.await(Topics.PROMPTS, of(benchmark), 2, WAIT);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String parentId = "00f067aa0ba902b7";

        // When an item comes with a traceparent, one without (as kcat publishes it) and one with a bad one
        BenchmarkItem traced = item(benchmark, "traced", 1, "Question", Reference.answer("a"));
        client.send(
                Topics.ITEMS, traced.key(), traced, Map.of("traceparent", "00-" + traceId + "-" + parentId + "-01"));
        publish(item(benchmark, "plain", 1, "Question", Reference.answer("a")));
        BenchmarkItem bad = item(benchmark, "bad", 1, "Question", Reference.answer("a"));
        client.send(Topics.ITEMS, bad.key(), bad, Map.of("traceparent", "00-not-a-trace-01"));

        // Then every prompt carries a traceparent: the item's trace with a span of the generator's own,
        // or one new trace per item, and the item with the bad header is prompted, not dead-lettered
        List<ConsumerRecord<String, byte[]>> prompts = client.awaitRaw(
                Topics.PROMPTS.name(),
                r -> r.key() != null
                        && r.key().startsWith(benchmark + "/")
                        && !r.key().endsWith("/warm-up"),
                6,
                WAIT);
        Map<String, Set<String>> tracesByItem = prompts.stream()
                .collect(Collectors.groupingBy(
                        ConsumerRecord::key,
                        Collectors.mapping(r -> TestClient.header(r, "traceparent"), Collectors.toSet())));
        assertThat(tracesByItem).hasSize(3);
        assertThat(tracesByItem.values().stream().flatMap(Set::stream))
                .allMatch(t -> t.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
        assertThat(tracesByItem.get(traced.key()))
                .singleElement()
                .satisfies(t -> assertThat(t).startsWith("00-" + traceId + "-").doesNotContain(parentId));
        Set<String> plainTrace = traceIds(tracesByItem.get(benchmark + "/plain"));
        Set<String> badTrace = traceIds(tracesByItem.get(bad.key()));
        assertThat(plainTrace).hasSize(1).doesNotContain(traceId);
        assertThat(badTrace).hasSize(1).doesNotContain(traceId).doesNotContainAnyElementsOf(plainTrace);
    }

    private static Set<String> traceIds(Set<String> traceparents) {
        return traceparents.stream().map(t -> t.split("-")[1]).collect(Collectors.toSet());
    }

    private static String benchmark(String name) {
        return "pg-" + name + "-" + SEQUENCE.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
    }

    /** A simulated model evaluated on {@code benchmark} only, so tests do not see each other's models. */
    private static ModelSpec model(String benchmark, String name, SamplingParams params) {
        return new ModelSpec(
                benchmark + "-" + name,
                null,
                Provider.SIM,
                null,
                null,
                null,
                params,
                null,
                null,
                null,
                null,
                List.of(benchmark),
                new ModelSpec.SimSpec(0.5, null, null, null, 1L),
                null);
    }

    private static BenchmarkItem item(
            String benchmark, String itemId, int revision, String prompt, Reference reference) {
        return new BenchmarkItem(
                benchmark,
                itemId,
                revision,
                Instant.parse("2026-01-01T00:00:00Z"),
                null,
                null,
                null,
                prompt,
                null,
                null,
                reference,
                null,
                null);
    }

    private static BenchmarkSpec spec(String benchmark, List<PromptTemplate> templates) {
        return new BenchmarkSpec(benchmark, null, templates, 1, null, null, null, null, null);
    }

    private static void register(ModelSpec model) {
        client.send(Topics.MODELS, model.modelId(), model);
    }

    private static void publish(BenchmarkItem item) {
        client.send(Topics.ITEMS, item.key(), item);
    }

    private static Predicate<PromptRequest> of(String benchmark) {
        return p -> p.benchmark().equals(benchmark);
    }

    private static List<PromptRequest> prompts(String benchmark) {
        return client.readAll(Topics.PROMPTS).stream().filter(of(benchmark)).collect(Collectors.toList());
    }

    private static void settle() {
        try {
            Thread.sleep(SETTLE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
