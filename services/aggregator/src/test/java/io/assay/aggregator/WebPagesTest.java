package io.assay.aggregator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.assay.aggregator.leaderboard.Judgments;
import io.assay.aggregator.leaderboard.View;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Judgment;
import io.assay.contracts.Message;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Reference;
import io.assay.contracts.Topics;
import io.assay.testing.KafkaResource;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web pages' assets and the read endpoints they use, against the real in-JVM broker. */
@RequiresBroker
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class WebPagesTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
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
    void servesThePagesAtTheRoot() {
        given().get("/")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<script type=\"module\" src=\"js/app.js\">"))
                .body(containsString("rel=\"icon\""));
        for (String asset : List.of(
                "/app.css",
                "/js/app.js",
                "/js/util.js",
                "/js/charts.js",
                "/js/benchmarks.js",
                "/js/leaderboard.js",
                "/js/model.js",
                "/js/items.js")) {
            given().get(asset).then().statusCode(200);
        }
    }

    @Test
    void theLeaderboardPageOffersEveryView() throws IOException {
        // The page's list is hand-written: a view added to the enum must be added there too.
        String js;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/resources/js/leaderboard.js")) {
            js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String list = js.substring(js.indexOf("export const VIEWS = ["), js.indexOf("];", js.indexOf("VIEWS = [")));
        for (String view : View.names()) {
            assertThat(list).as("leaderboard.js VIEWS").contains("'" + view + "'");
        }
        assertThat(list.chars().filter(c -> c == ',').count())
                .isEqualTo(View.names().size() - 1);
    }

    @Test
    void listsItemsAPageAtATimeAndTheBenchmarkAsLive() {
        // Given: three items, two models; i1 both right, i2 one right, i3 both wrong
        String benchmark = unique("items");
        for (String model : List.of("a", "b")) {
            send(Judgments.correct(benchmark, "i1", "arith", model, true));
            send(Judgments.correct(benchmark, "i2", "logic", model, model.equals("a")));
            send(Judgments.correct(benchmark, "i3", "logic", model, false));
        }

        // When: the second page of one item is asked for
        JsonPath page = awaitJson(
                "/api/benchmarks/" + benchmark + "/items?offset=1&limit=1",
                p -> p.getInt("total") == 3 && p.getInt("items[0].verdicts") == 2);

        // Then: it is i2, with its verdict and model counts and its share correct
        assertThat(page.getInt("offset")).isEqualTo(1);
        assertThat(page.getList("items")).hasSize(1);
        assertThat(page.getString("items[0].itemId")).isEqualTo("i2");
        assertThat(page.getString("items[0].category")).isEqualTo("logic");
        assertThat(page.getInt("items[0].models")).isEqualTo(2);
        assertThat(page.getDouble("items[0].meanValue")).isEqualTo(0.5);
        // And: the default page holds all three, a page past the end none
        given().get("/api/benchmarks/{b}/items", benchmark)
                .then()
                .statusCode(200)
                .body("items.size()", is(3));
        given().get("/api/benchmarks/{b}/items?offset=10", benchmark)
                .then()
                .statusCode(200)
                .body("items.size()", is(0));
        // And: limits outside 1..500 are refused, an unknown benchmark is a 404
        given().get("/api/benchmarks/{b}/items?limit=501", benchmark).then().statusCode(400);
        given().get("/api/benchmarks/{b}/items?offset=-1", benchmark).then().statusCode(400);
        given().get("/api/benchmarks/{b}/items", unique("none")).then().statusCode(404);

        // And: the benchmark is listed with its items, its last judgment and as live
        Map<String, Object> summary =
                given().get("/api/benchmarks").jsonPath().getMap("find { it.benchmark == '" + benchmark + "' }");
        assertThat(summary)
                .containsEntry("items", 3)
                .containsEntry("judgments", 6)
                .containsEntry("live", true);
        assertThat(Instant.parse((String) summary.get("lastJudgedAt"))).isNotNull();
    }

    @Test
    void keepsTheHistoryOfPublishedSnapshots() {
        // Given: a benchmark whose accuracy changes twice
        String benchmark = unique("history");
        send(Judgments.correct(benchmark, "i1", "arith", "a", true));
        awaitJson(
                "/api/benchmarks/" + benchmark + "/history?view=accuracy",
                p -> p.getList("$").size() == 1);
        send(Judgments.correct(benchmark, "i2", "arith", "a", false));

        // Then: the history holds both snapshots, oldest first, with the model's value and interval
        JsonPath history = awaitJson(
                "/api/benchmarks/" + benchmark + "/history?view=accuracy",
                p -> p.getList("$").size() == 2);
        assertThat(history.getLong("[0].judgments")).isEqualTo(1);
        assertThat(history.getDouble("[0].models[0].value")).isEqualTo(1.0);
        assertThat(history.getLong("[1].judgments")).isEqualTo(2);
        assertThat(history.getString("[1].models[0].modelId")).isEqualTo("a");
        assertThat(history.getDouble("[1].models[0].value")).isEqualTo(0.5);
        assertThat(history.getDouble("[1].models[0].lower")).isLessThan(0.5);
        assertThat(history.getDouble("[1].models[0].upper")).isGreaterThan(0.5);
        // And: an unknown view is a 400, an unknown benchmark a 404
        given().get("/api/benchmarks/{b}/history?view=nope", benchmark).then().statusCode(400);
        given().get("/api/benchmarks/{b}/history", unique("none")).then().statusCode(404);
    }

    @Test
    void anItemShowsBothPositionSwappedVerdictsOfAPairwiseJudgment() {
        // Given: a pairwise judgment judged in both orders, and one on another item
        String benchmark = unique("pair");
        Judgment j = Judgments.pairwise(
                benchmark, "i1", "chat", "m", PairwiseOutcome.BETTER, "base", 100, 90, false, Instant.now());
        send(Judgments.with(
                j,
                List.of("chat"),
                new Judgment.Pairwise(PairwiseOutcome.BETTER, "base", null, 90, "both", List.of("A>B", "B=A"))));
        send(Judgments.correct(benchmark, "i10", "arith", "m", true));

        // Then: the item's verdict carries the order and both raw verdicts, and only that item's
        JsonPath item = awaitJson(
                "/api/benchmarks/" + benchmark + "/items/i1",
                p -> p.getList("$").size() == 1);
        assertThat(item.getString("[0].verdict.pairOrder")).isEqualTo("both");
        assertThat(item.getList("[0].verdict.pairVerdicts")).containsExactly("A>B", "B=A");
        assertThat(item.getString("[0].verdict.rationale")).isEqualTo("ok");
        given().get("/api/benchmarks/{b}/items/i10", benchmark)
                .then()
                .statusCode(200)
                .body("size()", is(1));
    }

    @Test
    void keepsTheItemItselfForTheItemPage() {
        // Given: an item at revision 2, then revision 1 arriving late, then revision 2 again corrected,
        // and a judgment of it
        String benchmark = unique("source");
        send(item(benchmark, "i1", 2, "first"));
        send(item(benchmark, "i1", 1, "late"));
        send(item(benchmark, "i1", 2, "corrected"));
        client.sendRaw(Topics.ITEMS.name(), benchmark + "/bad", "{\"benchmark\":\"" + benchmark + "\"}");
        send(Judgments.correct(benchmark, "i1", "arith", "m", true));

        // Then: the item is served as last published at its latest revision, the late revision ignored
        JsonPath source = awaitJson(
                "/api/benchmarks/" + benchmark + "/items/i1/source", p -> "corrected".equals(p.getString("source")));
        assertThat(source.getInt("revision")).isEqualTo(2);
        assertThat(source.getString("messages[0].role")).isEqualTo("system");
        assertThat(source.getString("messages[1].content")).isEqualTo("What is 2 + 2? <b>");
        assertThat(source.getList("choices")).containsExactly("3", "4");
        assertThat(source.getList("reference.answers")).containsExactly("4");
        assertThat(source.getList("categories")).containsExactly("arith", "easy");
        assertThat(source.getMap("metadata")).containsEntry("origin", "hand-written");
        // And: the item's verdicts are there too
        awaitJson(
                "/api/benchmarks/" + benchmark + "/items/i1",
                p -> p.getList("$").size() == 1);
        // And: an unknown item and an invalid one are 404s with the API's error
        given().get("/api/benchmarks/{b}/items/nope/source", benchmark)
                .then()
                .statusCode(404)
                .body("status", is(404))
                .body("message", containsString("nope"));
        given().get("/api/benchmarks/{b}/items/bad/source", benchmark).then().statusCode(404);

        // When: an item is deleted with a tombstone
        send(item(benchmark, "i2", 1, "gone"));
        awaitJson("/api/benchmarks/" + benchmark + "/items/i2/source", p -> p.getInt("revision") == 1);
        client.sendRaw(Topics.ITEMS.name(), benchmark + "/i2", (byte[]) null);

        // Then: it is no longer served
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().get("/api/benchmarks/{b}/items/i2/source", benchmark)
                        .then()
                        .statusCode(404));
    }

    private static BenchmarkItem item(String benchmark, String itemId, int revision, String source) {
        return new BenchmarkItem(
                benchmark,
                itemId,
                revision,
                Instant.parse("2026-01-01T00:00:00Z"),
                source,
                "arith",
                List.of("arith", "easy"),
                List.of("t1"),
                null,
                List.of(Message.system("Answer briefly."), Message.user("What is 2 + 2? <b>")),
                List.of("3", "4"),
                Reference.answer("4"),
                null,
                Map.of("origin", "hand-written"));
    }

    private static void send(BenchmarkItem item) {
        client.send(Topics.ITEMS, item.key(), item);
    }

    private static JsonPath awaitJson(String path, java.util.function.Predicate<JsonPath> ready) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            io.restassured.response.Response response = given().get(path);
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
            last[0] = response.jsonPath();
            assertThat(ready.test(last[0])).as(response.asString()).isTrue();
        });
        return last[0];
    }

    private static void send(Judgment judgment) {
        client.send(Topics.JUDGMENTS, judgment.key(), judgment);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
