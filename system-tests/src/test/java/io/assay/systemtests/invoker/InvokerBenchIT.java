package io.assay.systemtests.invoker;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.bench.InvokerBench;
import io.assay.cli.bench.RateLimitedEndpoint;
import io.assay.cli.stack.LocalStack;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code assay bench invoker} against the packaged invoker and the in-JVM broker; prints the
 * figures: the throttled endpoint without rate-limit headers, with them, and without them again on the
 * now warm invoker (each run a model new to it). Performance goals are printed, not asserted (no timed assertions that flake); the test
 * checks only that every prompt was answered and that the quota was hit.
 * Run: {@code ./mvnw -o verify -pl system-tests -am -Dit.test=InvokerBenchIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dassay.bench.backpressure=100000} adds the backpressure run; {@code -Dassay.bench.rate=20
 * -Dassay.bench.latency=300} set the endpoint's quota R and latency, 50 and 100 ms by default; {@code
 * -Dassay.bench.sim=0} leaves out the zero-latency run).
 */
@RequiresBroker
@Tag("bench") // failsafe's "benches" execution: C2 in the test's JVM and its services (system-tests/pom.xml)
class InvokerBenchIT {
    private static final Path REPO =
            Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
    private static final int SECONDS = Integer.getInteger("assay.bench.seconds", 30);
    private static final int RATE = Integer.getInteger("assay.bench.rate", 50);
    private static final int LATENCY = Integer.getInteger("assay.bench.latency", 100);
    private static InvokerProcess invoker;

    @BeforeAll
    static void start() throws Exception {
        invoker = new InvokerProcess(REPO, REPO.resolve("system-tests/target/invoker-it/bench.log"));
        invoker.start(TestBroker.get().bootstrapServers());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        invoker.stop();
    }

    @Test
    void printsThroughputUnderAQuotaAndSimSpeed() throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        // Printed, since the figures depend on them: a shell that exports them changes the invoker measured here
        List<String> options = LocalStack.parseServiceJavaOptions(System.getenv(LocalStack.SERVICE_JAVA_OPTIONS));
        out.printf(
                "the invoker's JVM options from %s: %s%n",
                LocalStack.SERVICE_JAVA_OPTIONS, options.isEmpty() ? "none" : String.join(" ", options));
        InvokerBench bench = new InvokerBench(TestBroker.get().bootstrapServers(), out);
        InvokerBench.Throttled throttled = throttled(bench, false);
        InvokerBench.Throttled withHeaders = throttled(bench, true);
        // Without headers again, now that the invoker is warm: the first run meets the invoker's first traffic (its
        // JIT cold, its first young collections in the slow start), as a model does when the invoker starts with a
        // backlog; this one meets a model registered on a running invoker.
        InvokerBench.Throttled warm = throttled(bench, false);
        out.printf(
                Locale.ROOT,
                "no rate-limit headers: the invoker cold (run 1) refused %.2f%% at %.3f of R; warm (run 3) %.2f%% at %.3f%n",
                100 * throttled.refusedShare(),
                throttled.ratio(),
                100 * warm.refusedShare(),
                warm.ratio());
        int simPrompts = Integer.getInteger("assay.bench.sim", 5000);
        double sim = simPrompts > 0 ? bench.sim(simPrompts, Duration.ofMinutes(5)) : 1;
        int queued = Integer.getInteger("assay.bench.backpressure", 0);
        if (queued > 0) {
            bench.backpressure(queued, 5, invoker.url(), Duration.ofMinutes(30));
        }

        int prompts = RATE * SECONDS;
        assertThat(throttled.answered()).isGreaterThanOrEqualTo(prompts);
        assertThat(throttled.failedResponses()).isZero();
        assertThat(withHeaders.answered()).isGreaterThanOrEqualTo(prompts);
        assertThat(withHeaders.failedResponses()).isZero();
        assertThat(warm.answered()).isGreaterThanOrEqualTo(prompts);
        assertThat(warm.failedResponses()).isZero();
        assertThat(sim).isPositive();
    }

    /** One run against the throttled endpoint (a sliding window, 32 workers), with or without rate-limit headers. */
    private static InvokerBench.Throttled throttled(InvokerBench bench, boolean headers) throws IOException {
        return bench.throttled(
                RATE,
                SECONDS,
                LATENCY,
                32,
                RateLimitedEndpoint.Window.SLIDING,
                headers,
                Duration.ofSeconds(SECONDS * 4L + 60));
    }
}
