package io.assay.judge.messaging;

import static io.assay.judge.JudgeFixtures.JUDGED;
import static io.assay.judge.JudgeFixtures.PLAIN;
import static io.assay.judge.JudgeFixtures.arena;
import static io.assay.judge.JudgeFixtures.benchmarkSpec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Json;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Topics;
import io.assay.judge.judging.Judging;
import io.assay.kit.config.ConfigRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What one retention sweep costs over a large {@code answers} store (the judge's topology, its RocksDB
 * store, TopologyTestDriver's wall clock): a sweep that reads one batch and expires nothing, one that
 * forgets a whole batch, against the baseline of the same run, reading and parsing the whole store (what a
 * sweep without batches would do each minute). Prints figures, asserts nothing:
 * {@code ./mvnw -o -q test -pl services/judge -am -Dtest=RetentionSweepBenchmark -Dassay.bench=retention-sweep
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "retention-sweep")
class RetentionSweepBenchmark {
    private static final int ANSWERS = 100_000;
    private static final String OUTPUT = "Let me work through it. ".repeat(40) + "Answer: 42";
    private static final int SWEEPS = 5;

    @Test
    void costOfOneSweepOverALargeStore() {
        ConfigRegistry config = new ConfigRegistry();
        TestTopology.register(config, Topics.BENCHMARKS, JUDGED, benchmarkSpec(JUDGED, arena(null, false)));
        try (TopologyTestDriver driver =
                TestTopology.driver(config, new SimpleMeterRegistry(), "judge-retention-bench")) {
            KeyValueStore<String, byte[]> answers = driver.getKeyValueStore(StreamsJudgingStore.ANSWERS);
            // Half fresh (kept), half older than the retention (forgotten, paired: the baseline answered)
            Instant old = Instant.now().minus(TestTopology.PENDING_RETENTION).minusSeconds(60);
            long fill = System.nanoTime();
            for (int i = 0; i < ANSWERS; i++) {
                boolean stale = i >= ANSWERS / 2;
                String item = String.format("%s-%06d", stale ? "old" : "new", i);
                put(answers, answer(item, "base", null));
                put(answers, answer(item, "cand", stale ? old : null));
            }
            System.out.printf(
                    "retention sweep: %d answers of %d chars stored in %.1f s%n",
                    2 * ANSWERS, OUTPUT.length(), (System.nanoTime() - fill) / 1e9);

            // A first sweep commits the task, which flushes the filled store to disk; it is not timed as a sweep
            long flush = System.nanoTime();
            driver.advanceWallClockTime(Duration.ofMinutes(1));
            System.out.printf(
                    "first sweep with the commit that flushes the store: %.0f ms (not counted)%n",
                    (System.nanoTime() - flush) / 1e6);

            for (int round = 1; round <= 2; round++) {
                long scan = System.nanoTime();
                long parsed = 0;
                try (KeyValueIterator<String, byte[]> it = answers.all()) {
                    while (it.hasNext()) {
                        KeyValue<String, byte[]> entry = it.next();
                        Json.read(new String(entry.value, StandardCharsets.UTF_8), ModelResponse.class);
                        parsed++;
                    }
                }
                System.out.printf(
                        "baseline, a full scan (round %d): %d entries read and parsed in %.0f ms%n",
                        round, parsed, (System.nanoTime() - scan) / 1e6);
            }

            // The "new-" items sort first: the first sweeps read fresh entries only (nothing to do)
            for (int s = 0; s < SWEEPS; s++) {
                long t = System.nanoTime();
                driver.advanceWallClockTime(Duration.ofMinutes(1));
                System.out.printf(
                        "sweep %d (%d entries read, none expired): %.0f ms%n",
                        s + 2, Judging.SWEEP_BATCH, (System.nanoTime() - t) / 1e6);
            }
            // Skip to the "old-" items: sweeps until the cursor reaches them, then time the ones that forget
            int toOld = ANSWERS / Judging.SWEEP_BATCH - SWEEPS - 1;
            for (int s = 0; s < toOld; s++) {
                driver.advanceWallClockTime(Duration.ofMinutes(1));
            }
            for (int s = 0; s < SWEEPS; s++) {
                long t = System.nanoTime();
                driver.advanceWallClockTime(Duration.ofMinutes(1));
                System.out.printf(
                        "sweep %d (%d entries read, %d paired answers forgotten): %.0f ms%n",
                        toOld + SWEEPS + s + 2,
                        Judging.SWEEP_BATCH,
                        Judging.SWEEP_BATCH / 2,
                        (System.nanoTime() - t) / 1e6);
            }
            System.out.printf(
                    "load average %.2f; sweeps to cover the store once: %d%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    (2 * ANSWERS + Judging.SWEEP_BATCH - 1) / Judging.SWEEP_BATCH);
        }
    }

    private static ModelResponse answer(String itemId, String model, Instant answeredAt) {
        ModelResponse a = LlmJudgeProcessorTest.answer(itemId, model, PLAIN, OUTPUT, FinishReason.STOP, 0.5);
        if (answeredAt == null) {
            return a;
        }
        ObjectNode node = Json.mapper().valueToTree(a);
        node.put("answeredAt", answeredAt.toString());
        return Json.mapper().convertValue(node, ModelResponse.class);
    }

    private static void put(KeyValueStore<String, byte[]> answers, ModelResponse a) {
        answers.put(
                String.join(StreamsJudgingStore.SEPARATOR, a.key(), "1", PLAIN.label(), a.modelId()),
                Json.writeBytes(a));
    }
}
