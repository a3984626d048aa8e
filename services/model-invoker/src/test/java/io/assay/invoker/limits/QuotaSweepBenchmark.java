package io.assay.invoker.limits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints what {@link QuotaSimulation} gives without rate-limit headers at several quotas and latencies
 * (simulated, deterministic per seed): refused share, the refusals in the first 3 s (the first burst) per
 * seed, quota ratio, the quota learned, each over 30 s of quota and 5 seeds, and the first three quotas
 * learned per seed (the first 429's estimate, its count once the answers were in, the next), for a client that is cold (its first 32 calls 150 ms late on their way),
 * threads 10 ms late, requests 2 ms on their way, and replies seen 0, 15 or 60 ms late; and for a client
 * that is cold and slow for its first 1.5 s (calls 100 ms more on their way on average, answers seen 68-272
 * ms late, 429s at once; replies 15 ms late); and for a cold client whose 429s are each handled by a thread that holds the
 * quota's lock descheduled for {@value #LOCK_STALL_MS} ms on average (exponential), as a real run's trace saw. Figures, not assertions. Run: {@code ./mvnw -o test -pl
 * services/model-invoker -am -Dtest=QuotaSweepBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dassay.bench=quota-sweep}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "quota-sweep")
class QuotaSweepBenchmark {
    private static final int SEEDS = 5;
    private static final int LOCK_STALL_MS = 50;

    @Test
    void printsRefusalsAndQuotaUseAtSeveralQuotasAndLatencies() {
        int[][] settings = {{50, 100}, {20, 100}, {100, 50}, {50, 300}, {10, 500}};
        // replies seen late (ms); -1: 15, and the first 1.5 s slow; -2: 15, and a 429's handler descheduled holding the
        // lock
        // -3: 15, and the client paused 100 ms at 0.7 s (its first young collection, at the crossing in real runs)
        double[] replies = {0, 15, 60, -1, -2, -3};
        for (int[] s : settings) {
            for (double reply : replies) {
                int refused = 0;
                double ratio = 0;
                double quota = 0;
                List<Long> firstBurst = new ArrayList<>();
                List<String> learned = new ArrayList<>();
                for (int seed = 1; seed <= SEEDS; seed++) {
                    boolean jitter = reply != 0;
                    boolean slow = reply == -1;
                    boolean stalls = reply == -2;
                    boolean pause = reply == -3;
                    QuotaSimulation sim = new QuotaSimulation(
                            s[0], Duration.ofMillis(s[1]), 32, false, jitter ? 10 : 0, jitter ? 2 : 0, seed);
                    if (slow) {
                        sim.replyMeanMs = 15;
                        sim.slowUntilMs = 1500;
                        sim.slowSendMs = 100;
                        sim.slowAnswerMs = 170;
                    } else if (jitter) {
                        sim.coldCalls = 32;
                        sim.coldMs = 150;
                        sim.replyMeanMs = stalls || pause ? 15 : reply;
                        sim.lockStallMs = stalls ? LOCK_STALL_MS : 0;
                        sim.pauseAtMs = pause ? 700 : -1;
                        sim.pauseMs = 100;
                    }
                    QuotaSimulation.Result r = sim.run(s[0] * 30);
                    refused += r.refused();
                    firstBurst.add(
                            r.refusedAtMs().stream().filter(t -> t < 3000).count());
                    ratio += r.ratio(s[0]);
                    quota += r.quota().quota();
                    learned.add(r.quotaAtMs().stream()
                            .limit(3)
                            .map(q -> String.valueOf(q[1]))
                            .collect(Collectors.joining(">")));
                }
                System.out.printf(
                        "quota %d/s, latency %d ms, %s: refused %.2f%%, first burst %s, ratio %.3f, quota learned %.1f,"
                                + " first quotas %s (%d seeds)%n",
                        s[0],
                        s[1],
                        reply == -3
                                ? "the client paused 100 ms at 0.7 s (cold client, threads 10 ms late, replies 15 ms late)"
                                : reply == -2
                                        ? String.format(
                                                "a 429's handler holds the lock %d ms (mean; cold client, threads 10 ms late,"
                                                        + " replies 15 ms late)",
                                                LOCK_STALL_MS)
                                        : reply == -1
                                                ? "cold and slow for 1.5 s"
                                                : reply > 0
                                                        ? String.format(
                                                                "replies seen %.0f ms late (cold client, threads 10 ms late)",
                                                                reply)
                                                        : "no jitter",
                        100.0 * refused / (SEEDS * s[0] * 30 + refused),
                        firstBurst,
                        ratio / SEEDS,
                        quota / SEEDS,
                        learned,
                        SEEDS);
            }
        }
    }
}
