package io.assay.systemtests.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.bench.FreshnessBench;
import io.assay.cli.bench.ViewsBench;
import io.assay.testing.RequiresBroker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link FreshnessBench} (what {@code assay bench views --freshness} and {@code FreshnessBenchmarkIT} run) at a
 * small size, on every build: a history of 2,000 judgments folded (reference verdicts; preferences, with {@code
 * lc-winrate} timed), then 200 judgments/s for 2 s, each one seen over SSE, REST and {@code assay.leaderboards},
 * with its latencies in order. The figures themselves are the
 * benchmark's to print, not a test's to time.
 */
@RequiresBroker
@Tag("bench") // failsafe's "benches" execution: C2 in the test's JVM and its services (system-tests/pom.xml)
class FreshnessBenchIT {
    private static final int PORT = 8080 + 13_000 + 12;

    @ParameterizedTest
    @EnumSource(
            value = ViewsBench.Kind.class,
            names = {"REFERENCE", "PREFERENCES"})
    void everyMeasuredJudgmentIsSeenOnEveryChannel(ViewsBench.Kind kind) throws Exception {
        FreshnessBench.Result result = FreshnessBenchmarkIT.run(
                new FreshnessBench.Options(
                        2_000, 10, 3, 4, 1, kind, 200, 2, true, Duration.ofMillis(500), Duration.ofSeconds(1)),
                List.of("-Xmx384m"),
                PORT);

        assertThat(result.latencies())
                .extracting(FreshnessBench.Latency::channel)
                .containsExactly("SSE", "REST", "TOPIC");
        assertThat(result.latencies()).allSatisfy(l -> {
            assertThat(l.seen()).as(l.channel()).isEqualTo(400);
            assertThat(l.published()).isEqualTo(400);
            assertThat(l.p50()).as(l.channel()).isBetween(0.0, l.p99());
            assertThat(l.p99()).as(l.channel()).isLessThanOrEqualTo(l.max());
        });
        // over preferences lc-winrate, and post-cutoff of the kind's view (the models declare cutoffs), timed
        // three times each
        String postCutoff = "post-cutoff&of=" + (kind == ViewsBench.Kind.PREFERENCES ? "winrate" : "accuracy");
        List<String> timed = kind == ViewsBench.Kind.PREFERENCES
                ? List.of("lc-winrate", "lc-winrate", "lc-winrate", postCutoff, postCutoff, postCutoff)
                : List.of(postCutoff, postCutoff, postCutoff);
        assertThat(result.timed()).extracting(FreshnessBench.Timed::view).containsExactlyElementsOf(timed);
        assertThat(result.timed())
                .allSatisfy(t -> assertThat(t.status()).as(t.view()).isEqualTo(200));
    }
}
