package io.assay.invoker.limits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints what {@link QuotaSimulation} gives without rate-limit headers at several quotas and latencies
 * (simulated, deterministic per seed): refused share, the refusals in the first 3 s (the first burst) per
 * seed, quota ratio and the quota learned, each over 30 s of quota and 5 seeds, for a client that is cold
 * (its first 32 calls 150 ms late on their way), threads 10 ms late, requests 2 ms on their way, and
 * replies seen 0, 15 or 60 ms late. Figures, not assertions. Run: {@code ./mvnw -o test -pl
 * services/model-invoker -am -Dtest=QuotaSweepBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dassay.bench=quota-sweep}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "quota-sweep")
class QuotaSweepBenchmark {
    private static final int SEEDS = 5;

    @Test
    void printsRefusalsAndQuotaUseAtSeveralQuotasAndLatencies() {
        int[][] settings = {{50, 100}, {20, 100}, {100, 50}, {50, 300}, {10, 500}};
        double[] replies = {0, 15, 60};
        for (int[] s : settings) {
            for (double reply : replies) {
                int refused = 0;
                double ratio = 0;
                double quota = 0;
                List<Long> firstBurst = new ArrayList<>();
                for (int seed = 1; seed <= SEEDS; seed++) {
                    boolean jitter = reply > 0;
                    QuotaSimulation sim = new QuotaSimulation(
                            s[0], Duration.ofMillis(s[1]), 32, false, jitter ? 10 : 0, jitter ? 2 : 0, seed);
                    if (jitter) {
                        sim.coldCalls = 32;
                        sim.coldMs = 150;
                        sim.replyMeanMs = reply;
                    }
                    QuotaSimulation.Result r = sim.run(s[0] * 30);
                    refused += r.refused();
                    firstBurst.add(
                            r.refusedAtMs().stream().filter(t -> t < 3000).count());
                    ratio += r.ratio(s[0]);
                    quota += r.quota().quota();
                }
                System.out.printf(
                        "quota %d/s, latency %d ms, replies seen %.0f ms late%s: refused %.2f%%, first burst %s, ratio"
                                + " %.3f, quota learned %.1f (mean of %d seeds)%n",
                        s[0],
                        s[1],
                        reply,
                        reply > 0 ? " (cold client, threads 10 ms late)" : " (no jitter)",
                        100.0 * refused / (SEEDS * s[0] * 30 + refused),
                        firstBurst,
                        ratio / SEEDS,
                        quota / SEEDS,
                        SEEDS);
            }
        }
    }
}
