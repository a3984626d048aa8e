package io.assay.aggregator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.assay.aggregator.leaderboard.Judgments;
import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.Topics;
import io.assay.testing.KafkaResource;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A benchmark with more slots than the aggregator reads into its heap for one view (here 100, {@code
 * assay.aggregator.slot-path-limit}), against the real in-JVM broker through the REST API: a view the tallies
 * answer once its window is applied is streamed and answers; {@code irt}, which only the slots answer, is
 * refused with 422 and the reason.
 */
@RequiresBroker
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@TestProfile(SlotPathLimitTest.SmallLimit.class)
class SlotPathLimitTest {
    private static final Instant NEWEST = Instant.parse("2026-11-30T12:00:00Z");
    private static TestClient client;

    /** A slot path limit of 100 slots. */
    public static final class SmallLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("assay.aggregator.slot-path-limit", "100");
        }
    }

    @BeforeAll
    static void connect() {
        client = TestBroker.get().client();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void aWindowOverMoreSlotsThanTheLimitIsStreamedAndIrtIsRefused() {
        // Given: 240 reference verdicts, 12 models on 20 items published 6 h apart, the newest first
        String benchmark = "limit-" + UUID.randomUUID();
        for (int item = 0; item < 20; item++) {
            Instant published = NEWEST.minus(Duration.ofHours(6L * item));
            for (int m = 0; m < 12; m++) {
                Judgment j = Judgments.correctAt(
                        benchmark, "q" + item, "m" + m, (item + m) % 3 != 0, "plain", published, published);
                client.send(Topics.JUDGMENTS, j.key(), j);
            }
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(
                        () -> assertThat(leaderboard(benchmark, "").judgments()).isEqualTo(240));

        // When: the last day (items published after newest − 24 h: 4 items) is asked for
        LeaderboardSnapshot day = leaderboard(benchmark, "&window=1d");

        // Then: streamed, not refused: its 48 verdicts, a row per model, the window in its parameters
        assertThat(day.judgments()).isEqualTo(48);
        assertThat(day.rows()).hasSize(12);
        assertThat(day.params()).containsEntry("window", "PT24H");
        // ... and irt, computed from every slot, is refused above the limit, saying why
        given().get("/api/benchmarks/{b}/leaderboard?view=irt", benchmark)
                .then()
                .statusCode(422)
                .body(containsString("240"));
    }

    private static LeaderboardSnapshot leaderboard(String benchmark, String query) {
        return given().get("/api/benchmarks/{b}/leaderboard?view=accuracy" + query, benchmark)
                .then()
                .statusCode(200)
                .extract()
                .as(LeaderboardSnapshot.class);
    }
}
