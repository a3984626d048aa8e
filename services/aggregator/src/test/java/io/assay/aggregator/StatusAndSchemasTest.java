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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
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
    void aStageThatReadEveryRecordHasNoLagThoughATransactionMarkerFollowsIt() throws Exception {
        // Given: one prompt in a transaction on every partition of assay.prompts, and the model-invoker's group
        // committed just past each (as a plain consumer commits: after the record, not after the commit marker)
        TestBroker broker = TestBroker.get();
        String topic = Topics.PROMPTS.name();
        Map<TopicPartition, OffsetAndMetadata> afterRecord = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> beforeRecord = new HashMap<>();
        Map<String, Object> config = new HashMap<>(broker.clientSettings());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "status-test-" + UUID.randomUUID());
        try (Admin admin = broker.admin();
                KafkaProducer<String, String> producer =
                        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            int partitions = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .size();
            producer.initTransactions();
            producer.beginTransaction();
            for (int p = 0; p < partitions; p++) {
                RecordMetadata m = producer.send(new ProducerRecord<>(topic, p, "status/i" + p, "{}"))
                        .get();
                TopicPartition tp = new TopicPartition(topic, p);
                afterRecord.put(tp, new OffsetAndMetadata(m.offset() + 1));
                beforeRecord.put(tp, new OffsetAndMetadata(m.offset()));
            }
            producer.commitTransaction();

            // Then: no lag, where end − committed offsets would say one per partition (the marker)
            assertInvokerLag(admin, afterRecord, 0);
            // And: committed before the record, the record is the lag, not the record and its marker
            assertInvokerLag(admin, beforeRecord, partitions);
        }
    }

    /** With the model-invoker's group committed at {@code offsets}, the status reads its lag as {@code lag}. */
    private static void assertInvokerLag(Admin admin, Map<TopicPartition, OffsetAndMetadata> offsets, int lag)
            throws Exception {
        admin.alterConsumerGroupOffsets("assay-model-invoker", offsets).all().get();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> given().get("/api/status")
                        .then()
                        .body("stages.find { it.stage == 'model-invoker' }.lag", equalTo(lag)));
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
