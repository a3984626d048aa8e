package io.assay.systemtests.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.DemoSetup;
import io.assay.cli.api.AggregatorClient;
import io.assay.cli.dyval.Feeder;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.kafka.Publisher;
import io.assay.cli.stack.Component;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Topic;
import io.assay.contracts.Topics;
import io.assay.systemtests.ServiceProcess;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each packaged service killed with SIGKILL in the middle of a steady stream of items and restarted
 * at once — model-invoker, prompt-generator, judge, aggregator in turn — against the in-JVM broker
 * and the demo's four simulated models (services on ports 8080 + 15000).
 *
 * <p>The gap of a restart is the time from the restarted service being ready to the first new
 * judgment: one made from what the restarted service wrote (a judgment of a request that had no
 * response, or no prompt, before the kill; for the judge, any judgment written after it). For the
 * aggregator, which judging does not wait on, it is the time to its leaderboard counting more
 * judgments than at the kill. A dead member of a consumer group without static membership keeps its
 * partitions until its session times out, which stalled judging for 86 s in an earlier trial while
 * readiness said "yes"; the invoker's gap must stay under 10 s.
 */
@RequiresBroker
class RestartIT {
    private static final int PORT_OFFSET = 15_000;
    private static final double ITEMS_PER_SECOND = 20;
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration STEADY = Duration.ofSeconds(2);
    private static final Duration PATIENCE = Duration.ofSeconds(150);
    private static final Duration INVOKER_GAP = Duration.ofSeconds(10);
    private static final String BENCHMARK = "restart-" + System.currentTimeMillis();

    /** A service to kill, and the topic on which its work reaches the next stage. */
    private record Victim(Component service, Topic<String, ?> output) {}

    private static final List<Victim> KILL_ORDER = List.of(
            new Victim(Component.MODEL_INVOKER, Topics.RESPONSES),
            new Victim(Component.PROMPT_GENERATOR, Topics.PROMPTS),
            new Victim(Component.JUDGE, Topics.JUDGMENTS),
            new Victim(Component.AGGREGATOR, Topics.JUDGMENTS));

    private static final Map<Component, ServiceProcess> SERVICES = new LinkedHashMap<>();
    private static TestClient kafka;
    private static AggregatorClient api;
    private static List<ModelSpec> models;

    @BeforeAll
    static void startServices() throws Exception {
        Path repo =
                Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
        Path home = repo.resolve("system-tests/target/restart-it");
        deleteTree(home);
        String bootstrap = TestBroker.get().bootstrapServers();
        for (Component c : Component.services()) {
            ServiceProcess p = ServiceProcess.of(repo, c, home, PORT_OFFSET, bootstrap);
            SERVICES.put(c, p);
            p.start();
        }
        kafka = TestBroker.get().client();
        api = new AggregatorClient(SERVICES.get(Component.AGGREGATOR).url());
        models = DemoSetup.models(Instant.now());
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
    void judgingResumesAfterEachServiceIsKilledAndNothingIsLostOrCountedTwice() throws Exception {
        // Given the demo's models and benchmark, and items fed at a steady rate
        kafka.send(Topics.BENCHMARKS, BENCHMARK, DemoSetup.benchmark(BENCHMARK, Instant.now()));
        models.forEach(m -> kafka.send(Topics.MODELS, m.modelId(), m));
        AtomicLong fed = new AtomicLong();
        Map<Component, Duration> gaps = new LinkedHashMap<>();
        long items;
        try (Publisher publisher = new Publisher(TestBroker.get().bootstrapServers());
                StageOutputs outputs = new StageOutputs(TestBroker.get().bootstrapServers(), BENCHMARK)) {
            Feeder feeder = new Feeder(publisher, new ItemGenerator(BENCHMARK, 21), 0, 0, ITEMS_PER_SECOND, fed::set);
            CompletableFuture<Void> feeding = CompletableFuture.runAsync(feeder);
            assertThat(outputs.awaitFirstJudgmentAfter(outputs.mark(), Topics.JUDGMENTS, PATIENCE))
                    .as("a first judgment")
                    .isPresent();
            Thread.sleep(WARM_UP.toMillis());

            // When each service in turn is killed with SIGKILL mid-stream and restarted at once
            for (Victim victim : KILL_ORDER) {
                gaps.put(victim.service(), killAndRestart(victim, outputs));
                Thread.sleep(STEADY.toMillis());
            }
            feeder.stop();
            feeding.get();
            items = fed.get();
            awaitAllJudged(items);
            System.out.printf(
                    "restart: %d items fed, %d judgment records for %d judgments%n",
                    items, outputs.judgmentRecords(), items * models.size());
        }

        // Then judging resumed within 10 s of the invoker's restart
        assertThat(gaps.get(Component.MODEL_INVOKER))
                .as("model-invoker restart gap")
                .isLessThan(INVOKER_GAP);
        // And every item fed is judged for every model exactly once on the leaderboard
        LeaderboardSnapshot board = api.leaderboard(BENCHMARK, "accuracy").orElseThrow();
        assertThat(board.rows())
                .extracting(LeaderboardSnapshot.Row::modelId)
                .containsExactlyInAnyOrderElementsOf(
                        models.stream().map(ModelSpec::modelId).toList());
        assertThat(board.rows())
                .allSatisfy(r -> assertThat(r.n()).as(r.modelId()).isEqualTo(items));
        assertThat(board.judgments()).isEqualTo(items * models.size());
    }

    /** Kills and restarts one service; returns its gap and prints it with the times around it. */
    private static Duration killAndRestart(Victim victim, StageOutputs outputs) throws Exception {
        Component c = victim.service();
        ServiceProcess service = SERVICES.get(c);
        long countedAtKill = judgmentsOnBoard();
        long killed = System.nanoTime();
        service.kill();
        StageOutputs.Mark mark = outputs.mark();
        service.start();
        long ready = System.nanoTime();
        OptionalLong judged = outputs.awaitFirstJudgmentAfter(mark, victim.output(), PATIENCE);
        assertThat(judged)
                .as("a judgment made from what the restarted " + c.name() + " wrote")
                .isPresent();
        long resumed;
        String to;
        if (c.equals(Component.AGGREGATOR)) {
            // Judging does not wait on the aggregator: its gap ends when its leaderboard counts again.
            resumed = awaitBoardAbove(countedAtKill);
            to = " to a growing leaderboard";
        } else {
            resumed = judged.getAsLong();
            to = "";
        }
        // A service may work before its readiness check says so (the invoker consumes while it still
        // reads its answer store back; readiness is polled every 300 ms): then there was no gap.
        long gap = Math.max(0, resumed - ready);
        System.out.printf(
                "restart gap: %s %.1f s%s (kill → ready %.1f s, kill → first new judgment %.1f s)%n",
                c.name(), seconds(gap), to, seconds(ready - killed), seconds(judged.getAsLong() - killed));
        return Duration.ofNanos(gap);
    }

    /** Waits until the leaderboard counts more than {@code before} judgments; returns when (System.nanoTime). */
    private static long awaitBoardAbove(long before) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (judgmentsOnBoard() > before) {
                return System.nanoTime();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the leaderboard did not count more than " + before + " judgments within " + PATIENCE);
    }

    /** Waits (at most {@link #PATIENCE}) until the leaderboard counts a judgment per item and model. */
    private static void awaitAllJudged(long items) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline && judgmentsOnBoard() < items * models.size()) {
            Thread.sleep(500);
        }
    }

    /** The judgments the accuracy view counts; -1 while the aggregator does not answer. */
    private static long judgmentsOnBoard() {
        try {
            return api.leaderboard(BENCHMARK, "accuracy")
                    .map(LeaderboardSnapshot::judgments)
                    .orElse(0L);
        } catch (AggregatorClient.ApiException notReady) {
            return -1;
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
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
