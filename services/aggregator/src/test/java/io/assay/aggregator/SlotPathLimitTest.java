package io.assay.aggregator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.Judgments;
import io.assay.aggregator.leaderboard.Leaderboards;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.Protocol;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A benchmark with more slots than the aggregator reads into its heap for one view (here 100, {@code
 * assay.aggregator.slot-path-limit}), against the real in-JVM broker through the REST API: a view the tallies
 * answer once its window is applied is streamed and answers; {@code irt}, which only the slots answer, is
 * refused with 422 and the reason; {@code judge-agreement} reads the labelled items only, and answers while they
 * are fewer than the limit.
 */
@RequiresBroker
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@TestProfile(SlotPathLimitTest.SmallLimit.class)
public class SlotPathLimitTest {
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
        // ... and irt, whose cells count every verdict of its judge version, is refused above twice the limit (its
        // cells hold counts, not slots), saying why
        given().get("/api/benchmarks/{b}/leaderboard?view=irt", benchmark)
                .then()
                .statusCode(422)
                .body(containsString("240"))
                .body(containsString("at most 200"));
    }

    @Test
    void judgeAgreementReadsTheLabelledItemsOnlyAndAWindowTheSlots() {
        // Given: the same 240 reference verdicts, and a human's labels on 2 items (24 verdicts and labels: fewer
        // than the limit), agreeing with the judge on all but model m0's
        String benchmark = "labelled-" + UUID.randomUUID();
        TreeMap<String, Slot> slots = new TreeMap<>();
        JudgeSpec human = new JudgeSpec("human:ana", Protocol.REFERENCE, "label", "1", null, null, null, null, null);
        for (int item = 0; item < 20; item++) {
            Instant published = NEWEST.minus(Duration.ofHours(6L * item));
            for (int m = 0; m < 12; m++) {
                Judgment j = Judgments.correctAt(
                        benchmark, "q" + item, "m" + m, (item + m) % 3 != 0, "plain", published, published);
                List<Judgment> sent = item < 2
                        ? List.of(j, Judgments.label(j, human, m == 0 ? !j.correct() : j.correct(), null))
                        : List.of(j);
                for (Judgment s : sent) {
                    client.send(Topics.JUDGMENTS, s.key(), s);
                    slots.put(Fold.slotKey(s), Slot.of(s, 1));
                }
            }
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(
                        () -> assertThat(leaderboard(benchmark, "").judgments()).isEqualTo(240));

        // When: judge-agreement is asked for
        LeaderboardSnapshot agreement = given().get("/api/benchmarks/{b}/leaderboard?view=judge-agreement", benchmark)
                .then()
                .statusCode(200)
                .extract()
                .as(LeaderboardSnapshot.class);

        // Then: it answers over the labelled items, as the slot path does over every slot (22 of 24 agree)
        LeaderboardSnapshot expected = Leaderboards.build(
                benchmark,
                List.copyOf(slots.values()),
                new Leaderboards.Context(Map.of(), null),
                ViewQuery.of(View.JUDGE_AGREEMENT),
                agreement.asOf());
        // (compared as text: JSON reads a long back as an Integer)
        assertThat(agreement.rows()).hasSize(1);
        assertThat(agreement.rows().toString()).isEqualTo(expected.rows().toString());
        assertThat(agreement.rows().get(0).n()).isEqualTo(24);
        assertThat(agreement.rows().get(0).metrics().get("agreements")).hasToString("22");
        assertThat(agreement.params().toString()).isEqualTo(expected.params().toString());
        // ... and with a window, which is over every slot, it is refused above the limit
        given().get("/api/benchmarks/{b}/leaderboard?view=judge-agreement&window=1d", benchmark)
                .then()
                .statusCode(422)
                .body(containsString("264"));
    }

    @Test
    void viewsFromTheSlotsAskedForAtOnceAllAnswerEachQueryComputedOnce() throws Exception {
        // Given: 90 AlpacaEval preferences (9 models on 10 items, with lengths), under the limit of 100: lc-winrate
        // reads every slot, so two of its computations at once would hold more slots than the limit
        String benchmark = "at-once-" + UUID.randomUUID();
        TreeMap<String, Slot> slots = new TreeMap<>();
        for (Judgment j : Judgments.preferenceBoard(benchmark)) {
            client.send(Topics.JUDGMENTS, j.key(), j);
            slots.put(Fold.slotKey(j), Slot.of(j, 1));
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

        // When: eight requests come at once, four for lc-winrate and four for it with its judge named (another
        // query, the same figures); each burst asks for queries not computed yet (another stability lag, longer than
        // the history, so no other figure), up to three bursts: a task initialised meanwhile (the first rebalances)
        // moves every benchmark's version, and a computation of another version is not shared
        LeaderboardSnapshot expected = null;
        boolean shared = false;
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            for (int burst = 1; burst <= 3 && !shared; burst++) {
                List<String> queries = new ArrayList<>();
                for (String judge : List.of("", "&judge=weighted")) {
                    for (int i = 0; i < 4; i++) {
                        queries.add(judge + "&stability=" + (100 + burst));
                    }
                }
                List<Future<LeaderboardSnapshot>> answers = new ArrayList<>();
                for (String q : queries) {
                    answers.add(threads.submit(
                            () -> given().get("/api/benchmarks/{b}/leaderboard?view=lc-winrate" + q, benchmark)
                                    .then()
                                    .statusCode(200)
                                    .extract()
                                    .as(LeaderboardSnapshot.class)));
                }
                List<LeaderboardSnapshot> got = new ArrayList<>();
                for (Future<LeaderboardSnapshot> a : answers) {
                    got.add(a.get(60, TimeUnit.SECONDS));
                }

                // Then: every one answers with the view the slot path gives over the same slots
                expected = Leaderboards.build(
                        benchmark,
                        List.copyOf(slots.values()),
                        new Leaderboards.Context(Map.of(), null),
                        ViewQuery.of(View.LC_WINRATE),
                        got.get(0).asOf());
                for (LeaderboardSnapshot s : got) {
                    assertThat(s.rows().toString()).isEqualTo(expected.rows().toString());
                }
                // ... and the requests for one query got one computation's answer (its asOf), shared while it ran
                // or cached after; eight computations at once would each have their own
                shared = got.subList(0, 4).stream()
                                        .map(LeaderboardSnapshot::asOf)
                                        .distinct()
                                        .count()
                                == 1
                        && got.subList(4, 8).stream()
                                        .map(LeaderboardSnapshot::asOf)
                                        .distinct()
                                        .count()
                                == 1;
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(expected.rows()).hasSize(9);
        assertThat(shared)
                .as("the requests for one query shared one computation")
                .isTrue();
        // ... and what the computations from the slots waited for each other's heap is a meter
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("assay_aggregator_view_heap_wait_seconds_count{view=\"lc-winrate\"}"));
    }

    private static LeaderboardSnapshot leaderboard(String benchmark, String query) {
        return given().get("/api/benchmarks/{b}/leaderboard?view=accuracy" + query, benchmark)
                .then()
                .statusCode(200)
                .extract()
                .as(LeaderboardSnapshot.class);
    }
}
