package io.assay.aggregator.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.assay.aggregator.SlotPathLimitTest;
import io.assay.aggregator.leaderboard.Judgments;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.Topics;
import io.assay.testing.KafkaResource;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A computation within {@link LeaderboardReader.Bounds} (the snapshot publisher's fast lane), against the real
 * in-JVM broker: a view that would read more slots at once than the bounds allow is deferred before any read, a view
 * the tallies answer is not, and a wait for another reader's computation of the same query, or for the heap other
 * computations hold, ends at the bounds' wait.
 */
@RequiresBroker
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@TestProfile(SlotPathLimitTest.SmallLimit.class)
class ReaderBoundsTest {
    @Inject
    LeaderboardReader reader;

    @Test
    void aReadOfMoreSlotsThanTheBoundsAllowOrALongWaitIsDeferredAndTheUnboundedReaderStillAnswers() throws Exception {
        // Given: 90 AlpacaEval preferences (9 models on 10 items, with lengths), under the slot path's limit of 100
        String benchmark = "bounds-" + UUID.randomUUID();
        try (TestClient client = TestBroker.get().client()) {
            for (Judgment j : Judgments.preferenceBoard(benchmark)) {
                client.send(Topics.JUDGMENTS, j.key(), j);
            }
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(given().get("/api/benchmarks/{b}/leaderboard?view=winrate", benchmark)
                                .then()
                                .statusCode(200)
                                .extract()
                                .as(LeaderboardSnapshot.class)
                                .judgments())
                        .isEqualTo(90));

        // When: lc-winrate (every slot read) is asked within bounds of 89 slots; winrate (the tallies) within 1
        ViewQuery lc = query(201);
        assertThatThrownBy(() -> reader.leaderboard(benchmark, lc, new LeaderboardReader.Bounds(89, null)))
                .isInstanceOf(LeaderboardReader.Deferred.class)
                .hasMessage(benchmark + ": a read of all its 90 judgments, more than 89");
        assertThat(reader.leaderboard(benchmark, ViewQuery.of(View.WINRATE), new LeaderboardReader.Bounds(1, null)))
                .get()
                .extracting(LeaderboardSnapshot::judgments)
                .isEqualTo(90L);

        // Then: the deferred query is computed by a reader without bounds (nothing was kept of the deferral)
        assertThat(reader.leaderboard(benchmark, lc).orElseThrow().rows()).hasSize(9);

        // When: a computation of another query waits for the heap (the whole budget held here), and readers within
        // bounds of a 200 ms wait ask for the same query, and for yet another
        ViewQuery waiting = query(202);
        LeaderboardReader.Bounds bounds = new LeaderboardReader.Bounds(1_000, Duration.ofMillis(200));
        CompletableFuture<Optional<LeaderboardSnapshot>> unbounded;
        try (SlotBudget.Share all = reader.budget().take(100)) {
            unbounded = CompletableFuture.supplyAsync(() -> reader.leaderboard(benchmark, waiting));
            await().atMost(Duration.ofSeconds(10)).until(() -> reader.computing(benchmark, waiting));
            long start = System.nanoTime();
            assertThatThrownBy(() -> reader.leaderboard(benchmark, waiting, bounds))
                    .isInstanceOf(LeaderboardReader.Deferred.class)
                    .hasMessage("computed by another reader for longer than 200 ms");
            // Then: each gave up after its wait, not after the computation or the heap
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
            start = System.nanoTime();
            assertThatThrownBy(() -> reader.leaderboard(benchmark, query(203), bounds))
                    .isInstanceOf(LeaderboardReader.Deferred.class)
                    .hasMessage("waited 200 ms for the heap of 90 slots, which other views' computations hold");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
            assertThat(unbounded).isNotDone();
        }
        // ... and the computation it left goes on and answers once the heap is free
        assertThat(unbounded.get(30, TimeUnit.SECONDS).orElseThrow().rows()).hasSize(9);
    }

    /** lc-winrate with a stability lag longer than the history: another query each, the same figures. */
    private static ViewQuery query(int lag) {
        return new ViewQuery(View.LC_WINRATE, null, null, null, null, null, false, lag);
    }
}
