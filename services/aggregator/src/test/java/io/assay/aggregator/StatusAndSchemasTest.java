package io.assay.aggregator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.assay.contracts.EventType;
import io.assay.contracts.Topics;
import io.assay.testing.KafkaResource;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code /api/status} read from the real broker, and the schemas served at their {@code $id}. */
@RequiresBroker
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class StatusAndSchemasTest {

    @Test
    void statusNamesEveryStageAndCountsARecentDeadLetter() {
        // Given: a judgment that is not JSON, which the aggregator dead-letters
        String key = "status-" + UUID.randomUUID() + "/i1";
        try (TestClient client = TestBroker.get().client()) {
            client.sendRaw(Topics.JUDGMENTS.name(), key, "{not json");
        }

        // Then: the status lists the four stages with their groups, and the dead letter with its reason
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    JsonPath status = given().get("/api/status")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    assertThat(status.getList("stages.stage"))
                            .containsExactly("prompt-generator", "model-invoker", "judge", "aggregator");
                    assertThat(status.getList("stages.group"))
                            .containsExactly(
                                    "assay-prompt-generator",
                                    "assay-model-invoker",
                                    "assay-judge",
                                    "assay-aggregator-local");
                    assertThat(status.getLong("deadLetters.lastHour")).isPositive();
                    List<Map<String, Object>> latest = status.getList("deadLetters.latest");
                    assertThat(latest).anySatisfy(letter -> {
                        assertThat(letter).containsEntry("stage", "aggregator");
                        assertThat(letter).containsEntry("topic", Topics.JUDGMENTS.name());
                        assertThat((String) letter.get("reason")).isNotBlank();
                    });
                });
        // And: the aggregator, which folded everything, has no lag left on the judgments
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/api/status")
                        .then()
                        .body("stages.find { it.stage == 'aggregator' }.started", equalTo(true))
                        .body("stages.find { it.stage == 'aggregator' }.lag", equalTo(0)));
    }

    @Test
    void everySchemaIsServedAtTheUrlItsIdNames() {
        List<String> urls = given().get("/schemas")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("url");
        assertThat(urls).hasSize(EventType.values().length + 1);
        for (String url : urls) {
            String path = url.substring(url.indexOf("/schemas/"));
            given().get(path)
                    .then()
                    .statusCode(200)
                    .contentType("application/schema+json")
                    .body("$id", equalTo(url))
                    .body("$schema", endsWith("2020-12/schema"));
        }
        given().get("/schemas").then().body("name", hasItems("judgment.schema.json", "common.schema.json"));
        given().get("/schemas/nope.json").then().statusCode(404);
    }

    @Test
    void openApiDescribesTheStatusAndLeaderboardEndpoints() {
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths.keySet()", hasItems("/api/status", "/api/benchmarks/{benchmark}/leaderboard"))
                // the numbers and flags read as text (for a 400 that names them) keep their types
                .body(
                        "paths.'/api/benchmarks/{benchmark}/leaderboard'.get.parameters.find { it.name == 'stability' }"
                                + ".schema.type",
                        org.hamcrest.Matchers.is("integer"))
                .body(
                        "paths.'/api/benchmarks/{benchmark}/leaderboard'.get.parameters.find { it.name == 'postCutoff' }"
                                + ".schema.type",
                        org.hamcrest.Matchers.is("boolean"))
                .body(
                        "paths.'/api/benchmarks/{benchmark}/items'.get.parameters.find { it.name == 'limit' }"
                                + ".schema.default",
                        org.hamcrest.Matchers.is(50));
    }
}
