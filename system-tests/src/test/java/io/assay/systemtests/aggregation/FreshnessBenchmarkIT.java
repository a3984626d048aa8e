package io.assay.systemtests.aggregation;

import io.assay.cli.bench.FreshnessBench;
import io.assay.cli.bench.ViewsBench;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The freshness benchmark, not a test: it asserts nothing and runs only when asked ({@code -Dassay.bench=freshness}).
 * It starts the packaged aggregator as its own process beside the in-JVM broker and runs {@link FreshnessBench} on it
 * (what {@code assay bench views --freshness} runs on a fresh local stack): judgments at {@code assay.bench.rate} per
 * second (default 1,000) for {@code assay.bench.seconds} (default 20) after a warm-up of {@code
 * assay.bench.warm-up-ms} (default 10,000), with p50/p99 of the time from publication to visible over SSE, REST and
 * {@code assay.leaderboards}.
 *
 * <p>{@code -Dassay.bench.history=N} folds a history of N judgments of 100 models (10 per item) first, reference
 * verdicts unless {@code -Dassay.bench.kind} names another kind ({@code scores}, {@code pairwise}, {@code preferences},
 * {@code choices});
 * {@code -Dassay.bench.xmx} is the aggregator's heap cap (default 384m, the chart's sizing, or 3g with a history: the
 * figures in the README were measured so, when the slot mirror held every judgment); {@code -Dassay.bench.jvm-args}
 * adds options to its JVM (e.g. {@code -XX:StartFlightRecording=filename=/tmp/agg.jfr} for a profile); {@code
 * -Dassay.bench.cutoffs=true} registers the models with knowledge cutoffs and dates the items (the {@code
 * post-cutoff} view then counts about half the history); {@code -Dassay.bench.settle-ms} (default 2000) is how long
 * it waits after the history for the views the publisher computes first.
 *
 * <pre>
 * ./mvnw -o verify -pl system-tests -am -Dit.test=FreshnessBenchmarkIT -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dassay.bench=freshness [-Dassay.bench.history=1000000]
 * </pre>
 */
@RequiresBroker
@Tag("bench") // failsafe's "benches" execution: C2 in the test's JVM and its services (system-tests/pom.xml)
class FreshnessBenchmarkIT {
    private static final int PORT = 8080 + 13_000 + 10;

    @Test
    void freshness() throws Exception {
        Assumptions.assumeTrue(
                "freshness".equals(System.getProperty("assay.bench")), "a benchmark: run with -Dassay.bench=freshness");
        int history = Integer.getInteger("assay.bench.history", 0);
        List<String> jvmArgs =
                new ArrayList<>(List.of("-Xmx" + System.getProperty("assay.bench.xmx", history > 0 ? "3g" : "384m")));
        String extra = System.getProperty("assay.bench.jvm-args", "");
        if (!extra.isBlank()) {
            jvmArgs.addAll(List.of(extra.trim().split("\\s+")));
        }
        FreshnessBench.Options options = new FreshnessBench.Options(
                history,
                100,
                10,
                5,
                1,
                ViewsBench.Kind.valueOf(
                        System.getProperty("assay.bench.kind", "reference").toUpperCase(Locale.ROOT)),
                Integer.getInteger("assay.bench.rate", 1000),
                Integer.getInteger("assay.bench.seconds", 20),
                Boolean.getBoolean("assay.bench.cutoffs"),
                Duration.ofMillis(Long.getLong("assay.bench.settle-ms", 2000)),
                Duration.ofMillis(Long.getLong("assay.bench.warm-up-ms", 10_000)));
        run(options, jvmArgs, PORT);
    }

    /** Starts a packaged aggregator with {@code jvmArgs} on {@code port}, runs the bench on it, stops it. */
    static FreshnessBench.Result run(FreshnessBench.Options options, List<String> jvmArgs, int port) throws Exception {
        Path repo =
                Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
        Path home = repo.resolve("system-tests/target/freshness-bench");
        Files.createDirectories(home);
        String bootstrap = TestBroker.get().bootstrapServers();
        AggregatorProcess agg = new AggregatorProcess(
                        repo, bootstrap, "assay-agg-bench-" + UUID.randomUUID(), home, port, jvmArgs)
                .start();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        System.out.println("freshness: the packaged aggregator (separate JVM, " + String.join(" ", jvmArgs)
                + ", exactly-once v2, commit.interval.ms 100), the in-JVM broker");
        try {
            return new FreshnessBench(options, bootstrap, agg.url(), agg.pid(), out).run();
        } finally {
            out.flush();
            agg.stop();
        }
    }
}
