package io.assay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdicts and the table {@code bench heap} prints, from hand-made measurements. */
class HeapFiguresTest {
    private static final long MIB = 1 << 20;
    private static final long CAP = 384 * MIB;

    private static HeapFigures.Service service(String name, long first, long end, String failure) {
        return new HeapFigures.Service(name, CAP, "Serial", 30 * MIB, first, end, 200 * MIB, 210 * MIB, failure);
    }

    private static HeapFigures.Phase phase(int n, long history, long total, String stopped) {
        return new HeapFigures.Phase(n, history, total, 1_000, 1_000L * n, 12.5, 30.0, 8.0, "1.00 2.00 3.00", stopped);
    }

    @Test
    void ratioIsEndOverFirstAndTheGoalIncludesTwentyPercentExactly() {
        // 100 MiB at the first checkpoint: 120 MiB at the end is within 20%, 121 MiB is not
        assertThat(service("judge", 100 * MIB, 120 * MIB, null).ratio()).isEqualTo(1.2);
        assertThat(service("judge", 100 * MIB, 120 * MIB, null).pass()).isTrue();
        assertThat(service("judge", 100 * MIB, 121 * MIB, null).pass()).isFalse();
        // a heap that shrank passes
        assertThat(service("judge", 100 * MIB, 80 * MIB, null).pass()).isTrue();
    }

    @Test
    void aFailureOrAMissingFigureFailsWhateverTheRatio() {
        HeapFigures.Service oom =
                service("aggregator", 100 * MIB, 101 * MIB, "logged an OutOfMemoryError during phase 2");
        HeapFigures.Service dead = service("aggregator", 100 * MIB, HeapFigures.NONE, "died during phase 2");
        HeapFigures.Service unmeasured = service("judge", HeapFigures.NONE, 50 * MIB, null);

        assertThat(oom.pass()).isFalse();
        assertThat(dead.ratio()).isNaN();
        assertThat(dead.pass()).isFalse();
        assertThat(unmeasured.ratio()).isNaN();
        assertThat(unmeasured.pass()).isFalse();
    }

    @Test
    void theRunPassesOnlyWhenEveryServicePassesAndEveryPhaseCompleted() {
        List<HeapFigures.Phase> complete = List.of(phase(1, 100, 100, null), phase(2, 900, 1_000, null));
        List<HeapFigures.Service> flat = List.of(
                service("prompt-generator", 50 * MIB, 51 * MIB, null), service("judge", 60 * MIB, 60 * MIB, null));

        assertThat(new HeapFigures(1_000, List.of("correct"), 2_000, 4, complete, flat, Map.of()).pass())
                .isTrue();
        assertThat(new HeapFigures(
                                1_000,
                                List.of("correct"),
                                2_000,
                                4,
                                List.of(phase(1, 100, 100, null), phase(2, 0, 100, "judge stalled")),
                                flat,
                                Map.of())
                        .pass())
                .isFalse();
        assertThat(new HeapFigures(1_000, List.of("correct"), 2_000, 4, complete, List.of(), Map.of()).pass())
                .isFalse();
    }

    @Test
    void printsOneRowPerServiceWithItsVerdictAndWhyTheGoalIsNotMet() {
        HeapFigures f = new HeapFigures(
                1_000_000,
                List.of("correct", "score"),
                100_000,
                4,
                List.of(phase(1, 100_000, 100_000, null), phase(2, 900_000, 1_000_000, null)),
                List.of(
                        service("prompt-generator", 50 * MIB, 55 * MIB, null),
                        service("model-invoker", 100 * MIB, 150 * MIB, null),
                        service("aggregator", 200 * MIB, HeapFigures.NONE, "died during phase 2 (history import)")),
                Map.of(
                        "model-invoker",
                        List.of(new HeapFigures.Growth("java.lang.String", 10 * MIB, 30 * MIB, 1_000, 3_000))));
        StringWriter text = new StringWriter();

        f.print(new PrintWriter(text));

        String printed = text.toString();
        assertThat(printed)
                .contains("1,000,000 judgments of history (correct, score verdicts of 100 models, imported)")
                .contains("100,000 evaluations streamed (4 zero-latency SIMULATED models)");
        assertThat(line(printed, "prompt-generator "))
                .contains("384.0 MiB")
                .contains("Serial")
                .contains("50.0 MiB")
                .contains("55.0 MiB")
                .contains("1.100")
                .contains("PASS")
                .endsWith(" no");
        assertThat(line(printed, "model-invoker ")).contains("1.500").contains("FAIL");
        assertThat(line(printed, "aggregator "))
                .contains("—")
                .contains("FAIL")
                .endsWith("died during phase 2 (history import)");
        assertThat(line(printed, "2      "))
                .contains("900,000 (1,000,000)")
                .contains("12.5")
                .contains("30.0")
                .contains("8.0");
        assertThat(printed).contains("What grew from the first checkpoint to the end");
        assertThat(line(printed, "    +20.0 MiB"))
                .contains("10.0 MiB")
                .contains("30.0 MiB")
                .contains("1,000 -> 3,000 instances")
                .endsWith("java.lang.String");
        assertThat(printed)
                .contains("Goal NOT met: model-invoker: grew 50.0%; aggregator: died during phase 2 (history import)");
    }

    private static String line(String text, String start) {
        return text.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow();
    }
}
