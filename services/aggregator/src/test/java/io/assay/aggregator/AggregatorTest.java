package io.assay.aggregator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.assay.aggregator.leaderboard.Judgments;
import io.assay.contracts.CloudEvents;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.EventType;
import io.assay.contracts.Json;
import io.assay.contracts.Judgment;
import io.assay.contracts.Keys;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Topics;
import io.assay.testing.KafkaResource;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The aggregator against the real in-JVM broker, through its REST API and its output topics. */
@RequiresBroker
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class AggregatorTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final double EXACT = 1e-12;
    private static TestClient client;

    @BeforeAll
    static void connect() {
        client = TestBroker.get().client();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void foldsJudgmentsIntoALeaderboardWithWilsonIntervals() {
        // Given: a simulated model and a model nobody registered
        String benchmark = unique("acc");
        String sim = unique("sim");
        String other = unique("other");
        client.send(Topics.MODELS, sim, simModel(sim));

        // When: sim answers 3 of 4 items right (arith 2/2, logic 1/2); other 2 of 3 plus one
        // unparseable verdict
        send(Judgments.correct(benchmark, "i1", "arith", sim, true));
        send(Judgments.correct(benchmark, "i2", "arith", sim, true));
        send(Judgments.correct(benchmark, "i3", "logic", sim, true));
        send(Judgments.correct(benchmark, "i4", "logic", sim, false));
        send(Judgments.correct(benchmark, "i1", "arith", other, true));
        send(Judgments.correct(benchmark, "i2", "arith", other, false));
        send(Judgments.correct(benchmark, "i3", "logic", other, true));
        send(Judgments.unparseable(benchmark, "i4", "logic", other));

        // Then: sim 3/4 ranks above other 2/3, with intervals worked by hand (WilsonTest):
        // 3/4 → [0.3006418425824019, 0.9544127391902995]; 2/3: denom = 1 + z²/3 = 2.2804862735647085,
        // center = (2/3 + z²/6) / denom = 0.5730838280408258, half = 0.365424227238778
        // → [0.20765960080204776, 0.9385080552796038]
        LeaderboardSnapshot board = awaitLeaderboard(
                benchmark,
                s -> s.judgments() == 8
                        && s.rows().size() == 2
                        && s.rows().get(0).simulated());
        assertThat(board.view()).isEqualTo("accuracy");
        assertThat(board.rows()).extracting(Row::modelId).containsExactly(sim, other);
        assertThat(board.rows()).extracting(Row::rank).containsExactly(1, 2);

        Row first = board.rows().get(0);
        assertThat(first.simulated()).isTrue();
        assertThat(first.n()).isEqualTo(4);
        assertThat(first.value()).isEqualTo(0.75);
        assertThat(first.lower()).isCloseTo(0.3006418425824019, within(EXACT));
        assertThat(first.upper()).isCloseTo(0.9544127391902995, within(EXACT));
        // arith 2/2: denom = 1 + z²/2 = 2.9207294103470627, center = 0.6711901137533266,
        // half = 0.32880988624667346 → [0.3423802275066531, 1]; logic 1/2 → [0.09453120573423072, 0.9054687942657693]
        assertThat(first.categories().get("arith").lower()).isCloseTo(0.3423802275066531, within(EXACT));
        assertThat(first.categories().get("arith").upper()).isEqualTo(1.0);
        assertThat(first.categories().get("logic").value()).isEqualTo(0.5);
        assertThat(first.categories().get("logic").lower()).isCloseTo(0.09453120573423072, within(EXACT));
        assertThat(first.categories().get("logic").upper()).isCloseTo(0.9054687942657693, within(EXACT));
        assertThat(first.metrics()).containsEntry("correct", 3).containsEntry("incorrect", 1);

        Row second = board.rows().get(1);
        assertThat(second.simulated()).isFalse();
        assertThat(second.n()).isEqualTo(3);
        assertThat(second.value()).isCloseTo(2.0 / 3.0, within(EXACT));
        assertThat(second.lower()).isCloseTo(0.20765960080204776, within(EXACT));
        assertThat(second.upper()).isCloseTo(0.9385080552796038, within(EXACT));
        assertThat(second.metrics())
                .containsEntry("correct", 2)
                .containsEntry("incorrect", 1)
                .containsEntry("unparseable", 1);

        // And: the benchmark is listed with its deduplicated judgment and model counts
        given().get("/api/benchmarks")
                .then()
                .statusCode(200)
                .body("find { it.benchmark == '" + benchmark + "' }.judgments", org.hamcrest.Matchers.is(8))
                .body("find { it.benchmark == '" + benchmark + "' }.models", org.hamcrest.Matchers.is(2));
    }

    @Test
    void countsARedeliveredJudgmentOnce() {
        // Given: a benchmark with one counted verdict
        String benchmark = unique("dup");
        Judgment judgment = Judgments.correct(benchmark, "i1", "arith", "m", true);
        send(judgment);

        // When: the same judgment is delivered again, then a marker on the same key (same partition,
        // so it is processed after the duplicate)
        send(judgment);
        send(Judgments.correct(benchmark, "i1", "arith", "marker", true));

        // Then: once the marker shows, m still counts one judgment
        LeaderboardSnapshot board = awaitLeaderboard(benchmark, s -> s.rows().size() == 2);
        Row m = board.rows().stream()
                .filter(r -> r.modelId().equals("m"))
                .findFirst()
                .orElseThrow();
        assertThat(m.n()).isEqualTo(1);
        assertThat(board.judgments()).isEqualTo(2);
        // And: the duplicate is counted in a metric
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("assay_aggregator_duplicates_total{benchmark=\"" + benchmark + "\"} 1.0"));
    }

    @Test
    void exportsTheMetricsKafkaStreamsRecordsAndNotTheOnesNeverRecorded() {
        // Given: the stores have taken in a judgment
        String benchmark = unique("meters");
        send(Judgments.correct(benchmark, "i1", "arith", "m", true));
        awaitLeaderboard(benchmark, s -> s.judgments() == 1);

        // Then: once Micrometer's binder has taken in the stores' metrics (it looks for new ones once a minute),
        // RocksDB's property-based metrics and the tasks' dropped records are exported, and the DEBUG-level
        // metrics of the stores and tasks are not
        await().atMost(Duration.ofSeconds(100))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> given().get("/q/metrics").asString().contains("kafka_stream_state_estimate_num_keys{"));
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("kafka_stream_state_updater_active_restoring_tasks{"))
                .body(containsString("kafka_stream_task_dropped_records_total{"))
                .body(not(containsString("kafka_stream_task_process_latency_avg")))
                .body(not(containsString("kafka_stream_state_put_rate")))
                .body(not(containsString("kafka_stream_state_bytes_written_total")))
                .body(not(containsString("kafka_stream_state_record_e2e_latency_avg")));
    }

    @Test
    void deadLettersMalformedJudgmentsAndKeepsCounting() {
        // Given: a benchmark
        String benchmark = unique("bad");
        String key = Keys.item(benchmark, "i1");
        byte[] notJson = "this is not JSON".getBytes(StandardCharsets.UTF_8);
        byte[] schemaInvalid = "{\"judgmentId\":\"x\",\"benchmark\":\"b\"}".getBytes(StandardCharsets.UTF_8);
        Judgment valid = Judgments.correct(benchmark, "i1", "arith", "m", true);

        // When: a non-JSON value, a schema-invalid one, and a valid judgment under a wrong key,
        // then valid judgments
        client.sendRaw(Topics.JUDGMENTS.name(), key, notJson);
        client.sendRaw(Topics.JUDGMENTS.name(), key, schemaInvalid);
        client.sendRaw(Topics.JUDGMENTS.name(), Keys.item(benchmark, "elsewhere"), Json.writeBytes(valid));
        send(valid);
        send(Judgments.correct(benchmark, "i2", "arith", "m", false));

        // Then: all three are dead letters with their original key and bytes and where they came from
        List<ConsumerRecord<String, byte[]>> dead = client.awaitRaw(
                Topics.DEAD_LETTERS.name(), r -> r.key() != null && r.key().startsWith(benchmark + "/"), 3, WAIT);
        assertThat(dead)
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder(
                        new String(notJson, StandardCharsets.UTF_8),
                        new String(schemaInvalid, StandardCharsets.UTF_8),
                        Json.write(valid));
        for (ConsumerRecord<String, byte[]> r : dead) {
            assertThat(TestClient.header(r, DeadLetters.STAGE)).isEqualTo("aggregator");
            assertThat(TestClient.header(r, DeadLetters.REASON)).isNotBlank();
            assertThat(TestClient.header(r, DeadLetters.TOPIC)).isEqualTo(Topics.JUDGMENTS.name());
            assertThat(Integer.parseInt(TestClient.header(r, DeadLetters.PARTITION)))
                    .isBetween(0, Topics.PARTITIONS - 1);
            assertThat(Long.parseLong(TestClient.header(r, DeadLetters.OFFSET))).isNotNegative();
        }
        assertThat(dead.stream()
                        .filter(r -> r.value().length == notJson.length)
                        .findFirst()
                        .orElseThrow())
                .satisfies(r ->
                        assertThat(TestClient.header(r, DeadLetters.REASON)).contains("not JSON"));

        // And: the valid judgments after them are counted
        LeaderboardSnapshot board = awaitLeaderboard(benchmark, s -> s.judgments() == 2);
        assertThat(board.rows().get(0).n()).isEqualTo(2);
        assertThat(board.rows().get(0).value()).isEqualTo(0.5);
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString(
                        "assay_aggregator_dead_letters_total{reason=\"invalid\",topic=\"assay.judgments\"}"))
                .body(containsString(
                        "assay_aggregator_dead_letters_total{reason=\"key-mismatch\",topic=\"assay.judgments\"}"));
    }

    @Test
    void unknownBenchmarkIs404AndUnknownViewIs400() {
        // Given: a benchmark with judgments, so the 400 is about the view
        String benchmark = unique("known");
        send(Judgments.correct(benchmark, "i1", null, "m", true));
        awaitLeaderboard(benchmark, s -> s.judgments() == 1);

        given().get("/api/benchmarks/{b}/leaderboard", unique("nobody"))
                .then()
                .statusCode(404)
                .contentType("application/json")
                .body("status", org.hamcrest.Matchers.is(404))
                .body("message", containsString("unknown benchmark"))
                .body("message", containsString(benchmark))
                .body("known", hasItem(benchmark));
        // And: an unknown judge or baseline is a 400 naming the known ones, on GET and on the stream
        given().queryParam("judge", "nope")
                .get("/api/benchmarks/{b}/leaderboard", benchmark)
                .then()
                .statusCode(400)
                .contentType("application/json")
                .body("message", org.hamcrest.Matchers.is("unknown judge 'nope'; known: reference"))
                .body("known", org.hamcrest.Matchers.contains("reference"));
        given().queryParam("judge", "nope")
                .get("/api/benchmarks/{b}/leaderboard/stream", benchmark)
                .then()
                .statusCode(400)
                .body("known", org.hamcrest.Matchers.contains("reference"));
        given().get("/api/benchmarks/{b}/leaderboard/stream", unique("nobody"))
                .then()
                .statusCode(404)
                .body("known", hasItem(benchmark));
        String pairwise = unique("pw");
        send(Judgments.pairwise(
                pairwise,
                "p1",
                "Creative Tasks",
                "m",
                io.assay.contracts.PairwiseOutcome.BETTER,
                "gpt-4",
                1,
                1,
                false,
                java.time.Instant.parse("2026-11-28T10:00:00Z")));
        awaitLeaderboard(pairwise, s -> s.judgments() == 0);
        await().atMost(WAIT)
                .untilAsserted(() -> given().queryParam("view", "wb-reward")
                        .queryParam("baseline", "claude")
                        .get("/api/benchmarks/{b}/leaderboard", pairwise)
                        .then()
                        .statusCode(400)
                        .body("message", org.hamcrest.Matchers.is("unknown baseline 'claude'; known: gpt-4"))
                        .body("known", org.hamcrest.Matchers.contains("gpt-4")));
        // bt's anchor: a model of the battles (either side) or a registered one, else refused rather than ignored
        given().queryParam("view", "bt")
                .queryParam("anchor", "gpt4")
                .get("/api/benchmarks/{b}/leaderboard", pairwise)
                .then()
                .statusCode(400)
                .body("message", org.hamcrest.Matchers.startsWith("unknown anchor 'gpt4'; known: "))
                .body("known", hasItem("gpt-4"))
                .body("known", hasItem("m"));
        given().queryParam("view", "bt")
                .queryParam("anchor", "gpt-4")
                .get("/api/benchmarks/{b}/leaderboard", pairwise)
                .then()
                .statusCode(200)
                .body("params.anchor", org.hamcrest.Matchers.is("gpt-4"));
        given().queryParam("view", "glicko")
                .get("/api/benchmarks/{b}/leaderboard", benchmark)
                .then()
                .statusCode(400)
                .contentType("application/json")
                .body("message", containsString("glicko"))
                .body("views", hasItem("accuracy"));
        given().queryParam("view", "wb-reward")
                .queryParam("k", -5)
                .get("/api/benchmarks/{b}/leaderboard", benchmark)
                .then()
                .statusCode(400)
                .body("message", containsString("k must be -1"));
        given().queryParam("window", "soon")
                .get("/api/benchmarks/{b}/leaderboard", benchmark)
                .then()
                .statusCode(400)
                .body("message", containsString("window must be like 30d"));
        // A value that is not a number or a flag is a 400 that names it (JAX-RS alone answers 404 without a body,
        // and takes "yes" for false)
        given().queryParam("stability", "false")
                .get("/api/benchmarks/{b}/leaderboard", benchmark)
                .then()
                .statusCode(400)
                .contentType("application/json")
                .body("message", org.hamcrest.Matchers.is("stability must be an integer, got 'false'"));
        given().queryParam("view", "wb-reward")
                .queryParam("k", "500 chars")
                .get("/api/benchmarks/{b}/leaderboard", benchmark)
                .then()
                .statusCode(400)
                .body("message", org.hamcrest.Matchers.is("k must be an integer, got '500 chars'"));
        given().queryParam("postCutoff", "yes")
                .get("/api/benchmarks/{b}/leaderboard/stream", benchmark)
                .then()
                .statusCode(400)
                .body("message", org.hamcrest.Matchers.is("postCutoff must be true or false, got 'yes'"));
        given().queryParam("offset", "x")
                .get("/api/benchmarks/{b}/items", benchmark)
                .then()
                .statusCode(400)
                .body("message", org.hamcrest.Matchers.is("offset must be an integer, got 'x'"));
        given().queryParam("postCutoff", "TRUE")
                .queryParam("k", " 7 ")
                .get("/api/benchmarks/{b}/leaderboard", benchmark)
                .then()
                .statusCode(200);
        given().queryParam("judge", "reference")
                .queryParam("window", "30d")
                .queryParam("stability", 0)
                .get("/api/benchmarks/{b}/leaderboard", benchmark)
                .then()
                .statusCode(200)
                .body("params.judge", org.hamcrest.Matchers.is("reference"))
                .body("params.window", org.hamcrest.Matchers.is("PT720H"))
                .body("kendallTauLag", org.hamcrest.Matchers.is(0));
    }

    @Test
    void publishesSnapshotsToTheLeaderboardsTopic() {
        // Given: judgments of a new benchmark
        String benchmark = unique("snap");
        send(Judgments.correct(benchmark, "i1", "arith", "m", true));
        send(Judgments.correct(benchmark, "i2", "arith", "m", false));

        // Then: a snapshot keyed benchmark/accuracy with both judgments appears, with CloudEvents headers
        String key = Keys.leaderboard(benchmark, "accuracy");
        ConsumerRecord<String, byte[]> record = client.awaitRaw(
                        Topics.LEADERBOARDS.name(),
                        r -> key.equals(r.key())
                                && EventType.LEADERBOARD_SNAPSHOT
                                                .parse(r.value(), LeaderboardSnapshot.class)
                                                .judgments()
                                        == 2,
                        1,
                        WAIT)
                .get(0);
        LeaderboardSnapshot snapshot = EventType.LEADERBOARD_SNAPSHOT.parse(record.value(), LeaderboardSnapshot.class);
        assertThat(snapshot.view()).isEqualTo("accuracy");
        assertThat(snapshot.rows()).singleElement().satisfies(r -> {
            assertThat(r.modelId()).isEqualTo("m");
            assertThat(r.n()).isEqualTo(2);
        });
        assertThat(TestClient.header(record, CloudEvents.TYPE))
                .isEqualTo(EventType.LEADERBOARD_SNAPSHOT.cloudEventType());
        assertThat(TestClient.header(record, CloudEvents.SOURCE)).isEqualTo("/assay/aggregator");
        assertThat(TestClient.header(record, CloudEvents.SPEC_VERSION)).isEqualTo(CloudEvents.SPEC_VERSION_1);
        assertThat(TestClient.header(record, CloudEvents.ID)).isNotBlank();
    }

    /** Subscribes to a view's SSE stream; each snapshot it sends lands in {@code events}. */
    private static java.util.concurrent.CompletableFuture<?> subscribe(
            String benchmark, String view, java.util.concurrent.BlockingQueue<LeaderboardSnapshot> events) {
        return java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build()
                .sendAsync(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                                        + io.restassured.RestAssured.port + "/api/benchmarks/" + benchmark
                                        + "/leaderboard/stream?view=" + view))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> r.body()
                        .filter(l -> l.startsWith("data:"))
                        .forEach(l -> events.add(Json.read(l.substring(5), LeaderboardSnapshot.class))));
    }

    @Test
    void streamsChangesOverServerSentEventsAndServesModelAndItemDetail() throws Exception {
        // Given: a subscriber to a new benchmark's wb-score stream
        String benchmark = unique("sse");
        send(Judgments.score(benchmark, "s1", "Creative Tasks", "m", 8, false));
        awaitLeaderboard(benchmark, s -> s.judgments() == 0);
        java.util.concurrent.BlockingQueue<LeaderboardSnapshot> events =
                new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.BlockingQueue<LeaderboardSnapshot> later =
                new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.CompletableFuture<?> stream = subscribe(benchmark, "wb-score", events);
        java.util.concurrent.CompletableFuture<?> second = null;
        try {
            // Then: the current view arrives first: WB_score (8 − 5)·20 = 60
            LeaderboardSnapshot first = events.poll(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.rows())
                    .singleElement()
                    .satisfies(r -> assertThat(r.value()).isEqualTo(60.0));

            // And: a second subscriber to the same view, sharing its feed, gets the same snapshot at once
            second = subscribe(benchmark, "wb-score", later);
            LeaderboardSnapshot sameFirst = later.poll(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(sameFirst).isNotNull();
            assertThat(sameFirst.rows()).isEqualTo(first.rows());

            // When: another score arrives, Then: a changed snapshot is pushed to both: mean 6 → 20
            send(Judgments.score(benchmark, "s2", "Coding & Debugging", "m", 4, false));
            for (java.util.concurrent.BlockingQueue<LeaderboardSnapshot> q : List.of(events, later)) {
                LeaderboardSnapshot next = q.poll(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(next).isNotNull();
                assertThat(next.judgments()).isEqualTo(2);
                assertThat(next.rows().get(0).value()).isCloseTo(20.0, within(EXACT));
            }
        } finally {
            stream.cancel(true);
            if (second != null) {
                second.cancel(true);
            }
        }

        // And: the answers' responses arrive (cost, latency, the answer; a judge call is not the model's)
        Judgment s2 = Judgments.score(benchmark, "s2", "Coding & Debugging", "m", 4, false);
        Judgment s1 = Judgments.score(benchmark, "s1", "Creative Tasks", "m", 8, false);
        client.send(
                Topics.RESPONSES,
                s2.key(),
                response(s2, io.assay.contracts.Purpose.EVALUATE, 100L, 0.002, "the answer"),
                Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        client.send(Topics.RESPONSES, s1.key(), response(s1, io.assay.contracts.Purpose.EVALUATE, 300L, 0.001, "x"));
        client.send(Topics.RESPONSES, s1.key(), response(s1, io.assay.contracts.Purpose.EVALUATE, 300L, 0.001, "x"));
        client.send(
                Topics.RESPONSES,
                s1.key(),
                new ModelResponse(
                        "judge-call",
                        io.assay.contracts.Purpose.JUDGE,
                        benchmark,
                        "s1",
                        1,
                        "m",
                        false,
                        new io.assay.contracts.Variant("plain", "1", 0, null),
                        null,
                        null,
                        "8",
                        io.assay.contracts.FinishReason.STOP,
                        null,
                        5000L,
                        1.0,
                        false,
                        1,
                        null,
                        "wb-score",
                        null));

        // Then: the model's detail has its wb-score row and its calls (redelivery counted once): cost
        // 0.003, latencies 100 and 300 → mean 200, p50 100 (nearest rank), p95 300; the item shows
        // its verdict with the judged answer
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/benchmarks/{b}/models/m", benchmark)
                        .then()
                        .statusCode(200)
                        .body("views.'wb-score'.value", org.hamcrest.Matchers.is(20.0f))
                        .body("judgments", org.hamcrest.Matchers.is(2))
                        .body("calls.calls", org.hamcrest.Matchers.is(2))
                        .body("calls.costUsd", org.hamcrest.Matchers.is(0.003f))
                        .body("calls.meanLatencyMs", org.hamcrest.Matchers.is(200.0f))
                        .body("calls.p50LatencyMs", org.hamcrest.Matchers.is(100))
                        .body("calls.p95LatencyMs", org.hamcrest.Matchers.is(300)));
        given().get("/api/benchmarks/{b}/items/s2", benchmark)
                .then()
                .statusCode(200)
                .body("[0].verdict.score", org.hamcrest.Matchers.is(4.0f))
                .body("[0].verdict.modelId", org.hamcrest.Matchers.is("m"))
                .body("[0].verdict.rationale", org.hamcrest.Matchers.is("ok"))
                .body("[0].answer", org.hamcrest.Matchers.is("the answer"))
                .body("[0].traceId", org.hamcrest.Matchers.is("4bf92f3577b34da6a3ce929d0e0e4736"));
        given().get("/api/benchmarks/{b}/models/nobody", benchmark).then().statusCode(404);
    }

    @Test
    void aModelWhoseCallsAllFailIsListedOnTheLeaderboardInApiModelsAndHasAPage() {
        // Given: a benchmark where "ok" answered and was judged, and "dead" failed on two items, one twice
        String benchmark = unique("failing");
        String dead = unique("dead");
        Judgment ok = Judgments.correct(benchmark, "i1", "arith", "ok", true);
        send(ok);
        client.send(Topics.RESPONSES, ok.key(), response(ok, io.assay.contracts.Purpose.EVALUATE, 10L, 0.0, "4"));
        for (String item : List.of("i1", "i2", "i2")) {
            client.send(Topics.RESPONSES, Keys.item(benchmark, item), failure(benchmark, item, dead));
        }

        // Then: the snapshot (schema-valid) ranks ok and lists dead as failing with its cause
        LeaderboardSnapshot board = awaitLeaderboard(
                benchmark, s -> s.failing().size() == 1 && s.failing().get(0).failed() == 2);
        assertThat(board.rows()).extracting(Row::modelId).containsExactly("ok");
        LeaderboardSnapshot.Failing failing = board.failing().get(0);
        assertThat(failing.modelId()).isEqualTo(dead);
        assertThat(failing.answered()).isZero();
        assertThat(failing.failures()).isEqualTo(java.util.Map.of("connection", 2L));
        assertThat(failing.lastError().message()).contains("Connection refused");

        // And: /api/models and the model's page say the same, though it has no judgment
        given().get("/api/models")
                .then()
                .statusCode(200)
                .body("find { it.modelId == '" + dead + "' }.failed", org.hamcrest.Matchers.is(2))
                .body("find { it.modelId == '" + dead + "' }.retired", org.hamcrest.Matchers.is(true))
                .body(
                        "find { it.modelId == '" + dead + "' }.benchmarks.'" + benchmark + "'.failures.connection",
                        org.hamcrest.Matchers.is(2));
        given().get("/api/benchmarks/{b}/models/{m}", benchmark, dead)
                .then()
                .statusCode(200)
                .body("judgments", org.hamcrest.Matchers.is(0))
                .body("answered", org.hamcrest.Matchers.is(0))
                .body("failed", org.hamcrest.Matchers.is(2))
                .body("lastError.kind", org.hamcrest.Matchers.is("connection"));
    }

    private static ModelResponse failure(String benchmark, String item, String model) {
        return new ModelResponse(
                "req-" + item + "-" + model,
                io.assay.contracts.Purpose.EVALUATE,
                benchmark,
                item,
                1,
                model,
                false,
                new io.assay.contracts.Variant("plain", "1", 0, null),
                "arith",
                null,
                null,
                io.assay.contracts.FinishReason.ERROR,
                null,
                null,
                null,
                false,
                5,
                new io.assay.contracts.ModelError(
                        "connection", "ConnectException from 127.0.0.1:9: Connection refused", true),
                null,
                java.time.Instant.parse("2026-12-01T09:00:00Z"));
    }

    private static ModelResponse response(
            Judgment j, io.assay.contracts.Purpose purpose, long latencyMs, double cost, String output) {
        return new ModelResponse(
                j.subject().requestId(),
                purpose,
                j.benchmark(),
                j.itemId(),
                1,
                j.subject().modelId(),
                false,
                new io.assay.contracts.Variant("plain", "1", 0, null),
                j.category(),
                null,
                output,
                io.assay.contracts.FinishReason.STOP,
                null,
                latencyMs,
                cost,
                false,
                1,
                null,
                null,
                null);
    }

    @Test
    void aPostCutoffLeaderboardCountsLaterJudgmentsAndFollowsACutoffChange() {
        // Given: two models with knowledge cutoffs, and items published in October and in November
        String benchmark = unique("post");
        String a = unique("a");
        String b = unique("b");
        client.send(Topics.MODELS, a, modelWithCutoff(a, "2026-10-01"));
        client.send(Topics.MODELS, b, modelWithCutoff(b, "2026-11-01"));
        Instant october = Instant.parse("2026-10-15T00:00:00Z");
        Instant november = Instant.parse("2026-11-15T00:00:00Z");
        Instant judged = Instant.parse("2026-11-30T00:00:00Z");
        send(Judgments.correctAt(benchmark, "i1", a, true, "plain", october, judged));
        send(Judgments.correctAt(benchmark, "i2", a, false, "plain", november, judged));
        send(Judgments.correctAt(benchmark, "i1", b, true, "plain", october, judged));
        send(Judgments.correctAt(benchmark, "i2", b, true, "plain", november, judged));

        // Then: a counts both items (1/2), b only November's (1/1: October is before its cutoff)
        awaitPostCutoff(benchmark, Map.of(a, List.of(1, 2), b, List.of(1, 1)));

        // When: judgments come after the view was computed (the fold feeds its kept tallies)
        send(Judgments.correctAt(benchmark, "i3", a, true, "plain", november, judged));
        send(Judgments.correctAt(benchmark, "i3", b, false, "plain", october, judged));
        // Then: a 2/3; b's October verdict is not counted
        awaitPostCutoff(benchmark, Map.of(a, List.of(2, 3), b, List.of(1, 1)));

        // When: b is registered again with an earlier cutoff, before both months
        client.send(Topics.MODELS, b, modelWithCutoff(b, "2026-09-30"));
        // Then: its October verdicts count too: 2/3
        awaitPostCutoff(benchmark, Map.of(a, List.of(2, 3), b, List.of(2, 3)));
    }

    /** Polls the post-cutoff view until each model's row has {@code correct, n} as given, and no other row. */
    private static void awaitPostCutoff(String benchmark, Map<String, List<Integer>> correctAndN) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Response response =
                    given().queryParam("view", "post-cutoff").get("/api/benchmarks/{b}/leaderboard", benchmark);
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
            LeaderboardSnapshot s =
                    EventType.LEADERBOARD_SNAPSHOT.parse(response.asByteArray(), LeaderboardSnapshot.class);
            assertThat(s.rows()).as(response.asString()).hasSize(correctAndN.size());
            for (Row r : s.rows()) {
                List<Integer> expected = correctAndN.get(r.modelId());
                assertThat(expected).as(response.asString()).isNotNull();
                assertThat(((Number) r.metrics().get("correct")).intValue())
                        .as(response.asString())
                        .isEqualTo(expected.get(0));
                assertThat(r.n())
                        .as(response.asString())
                        .isEqualTo(expected.get(1).longValue());
            }
        });
    }

    private static ModelSpec modelWithCutoff(String modelId, String cutoff) {
        return Json.read("""
                {"modelId": "%s", "provider": "sim", "params": {"temperature": 0.0}, "knowledgeCutoff": "%s",
                 "sim": {"skill": 1.0}, "registeredAt": "2026-11-28T08:00:00Z"}
                """.formatted(modelId, cutoff), ModelSpec.class);
    }

    private static void send(Judgment judgment) {
        client.send(Topics.JUDGMENTS, judgment.key(), judgment);
    }

    /** Polls the REST API until the leaderboard matches (503 and 404 while the fold catches up). */
    private static LeaderboardSnapshot awaitLeaderboard(
            String benchmark, java.util.function.Predicate<LeaderboardSnapshot> ready) {
        LeaderboardSnapshot[] last = new LeaderboardSnapshot[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Response response = given().get("/api/benchmarks/{b}/leaderboard", benchmark);
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
            // Parsing with the contract validates the REST body against the snapshot schema too.
            last[0] = EventType.LEADERBOARD_SNAPSHOT.parse(response.asByteArray(), LeaderboardSnapshot.class);
            assertThat(ready.test(last[0])).as(response.asString()).isTrue();
        });
        return last[0];
    }

    private static ModelSpec simModel(String modelId) {
        return Json.read("""
                {"modelId": "%s", "provider": "sim", "params": {"temperature": 0.0},
                 "sim": {"skill": 1.0}, "registeredAt": "2026-11-28T08:00:00Z"}
                """.formatted(modelId), ModelSpec.class);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
