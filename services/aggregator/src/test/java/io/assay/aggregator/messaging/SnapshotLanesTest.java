package io.assay.aggregator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assay.aggregator.leaderboard.Judgments;
import io.assay.aggregator.leaderboard.View;
import io.assay.contracts.Judgment;
import io.assay.contracts.Keys;
import io.assay.contracts.Topics;
import io.assay.testing.KafkaResource;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The snapshot publisher's lanes against the real in-JVM broker: a view is timed by its thread's CPU, so a tallied
 * view that waits for the tallies' lock (a fold's writes hold it) stays in the fast lane. Timed by the wall clock, it
 * moved to the slow lane, and waited there behind the views that read every slot (BENCHMARKS.md, "A tallied view kept
 * in the fast lane, and {@code lc-winrate} kept out of it").
 */
@RequiresBroker
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class SnapshotLanesTest {
    /** The test profile's interval is 200 ms: a view is slow above 20 ms. */
    private static final long SLOW_MS = 20;

    private static final long HOLD_MS = 150;

    @Inject
    SlotTallies tallies;

    @Inject
    SnapshotPublisher publisher;

    @Inject
    MeterRegistry registry;

    @Test
    void aTalliedViewThatWaitsForTheTalliesLockStaysInTheFastLane() throws Exception {
        String benchmark = "lanes-" + UUID.randomUUID();
        String key = Keys.leaderboard(benchmark, View.ACCURACY.wireName());
        try (TestClient client = TestBroker.get().client()) {
            // Given: verdicts of a benchmark, its accuracy computed by the publisher
            for (int i = 0; i < 20; i++) {
                send(client, benchmark, i);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> computations(benchmark) > 0);
            long before = computations(benchmark);

            // When: another thread holds the benchmark's tallies' lock 150 ms at a time, releasing it for 20 ms (a
            // fold's writes, the readers between them), while a verdict arrives every 100 ms (so the view is due at
            // every tick), until the publisher has computed the view five times more (30 s at most)
            AtomicBoolean holding = new AtomicBoolean(true);
            Thread holder = new Thread(() -> {
                while (holding.get()) {
                    tallies.tallied(benchmark, t -> pause(HOLD_MS));
                    pause(20);
                }
            });
            holder.start();
            boolean everSlow = false;
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                for (int i = 20; computations(benchmark) - before < 5 && System.nanoTime() < deadline; i++) {
                    send(client, benchmark, i);
                    Thread.sleep(100);
                    everSlow |= publisher.slow(key);
                }
            } finally {
                holding.set(false);
                holder.join();
            }

            // Then: it never moved to the slow lane, though the fast lane computed it several times while the lock was
            // held, some of those computations waiting longer than a slow view takes
            assertThat(everSlow)
                    .as("moved to the slow lane while the lock was held")
                    .isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> computations(benchmark) - before >= 5);
            assertThat(timer(benchmark).max(TimeUnit.MILLISECONDS)).isGreaterThan(SLOW_MS);
            assertThat(publisher.slow(key)).isFalse();
        }
    }

    private static void send(TestClient client, String benchmark, int i) {
        Judgment j = Judgments.correct(benchmark, "q" + i, "general", "m" + i % 5, i % 3 != 0);
        client.send(Topics.JUDGMENTS, j.key(), j);
    }

    private long computations(String benchmark) {
        Timer t = timer(benchmark);
        return t == null ? 0 : t.count();
    }

    private Timer timer(String benchmark) {
        return registry.find(AggregatorMetrics.SNAPSHOT_COMPUTE)
                .tags("benchmark", benchmark, "view", View.ACCURACY.wireName())
                .timer();
    }

    private static Void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
