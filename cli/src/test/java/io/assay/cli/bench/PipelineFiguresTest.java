package io.assay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The figures {@code bench pipeline} prints, from hand-made measurements. */
class PipelineFiguresTest {

    /** Figures whose relay measured one run after a warm-up run of half its rate. */
    private static PipelineFigures figures() {
        BrokerWrites writes = new BrokerWrites(Map.of("bench-relay.1", new BrokerWrites.Log(12_000, 4_000_000)));
        return figures(List.of(
                new PipelineFigures.RelayRun(new Relay.Result(4_000, 1.0, 0.1, 3_600, 2.0), 1.6, writes),
                new PipelineFigures.RelayRun(new Relay.Result(4_000, 0.5, 0.1, 3_600, 1.0), 0.8, writes)));
    }

    private static PipelineFigures figures(List<PipelineFigures.RelayRun> relayRuns) {
        return figures(relayRuns, PipelineBench.Judging.REFERENCE);
    }

    private static PipelineFigures figures(List<PipelineFigures.RelayRun> relayRuns, PipelineBench.Judging judging) {
        return figures(relayRuns, judging, new PipelineBench.WarmupFigures(30_000, 3, 41.5, 0.083, true));
    }

    private static PipelineFigures figures(
            List<PipelineFigures.RelayRun> relayRuns,
            PipelineBench.Judging judging,
            PipelineBench.WarmupFigures warmup) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put("kafka", 4.0);
        cpu.put("aggregator", 2.0);
        cpu.put("prompt-generator", 1.0);
        cpu.put("model-invoker", 3.0);
        cpu.put("judge", 2.0);
        Map<String, Double> jit = new LinkedHashMap<>();
        jit.put("aggregator", 0.4);
        jit.put("prompt-generator", 0.2);
        jit.put("model-invoker", 1.2);
        jit.put("judge", 0.2);
        // 1,000 items × 4 models = 4,000 evaluations in 2 s, the feed taking 0.5 s and 3,000 counted after it;
        // the relay: 4,000 records in 0.5 s, its feed 0.1 s, 3,600 after it
        PipelineFigures.AssayRun run = new PipelineFigures.AssayRun(
                0.5,
                2.0,
                3_000,
                cpu,
                jit,
                Map.of("judge", 0L),
                1.5,
                // 4,000 evaluations: 8,000 records and 6,000 KB on one topic, 4,000 and 2,000 KB on another
                new BrokerWrites(Map.of(
                        "assay.answers", new BrokerWrites.Log(8_000, 6_000_000),
                        "assay.judgments", new BrokerWrites.Log(4_000, 2_000_000))));
        return new PipelineFigures(
                warmup, 1_000, 4, judging, List.of(run), new Relay.Sizes(600, 1_500, 900, 700), 3, relayRuns);
    }

    @Test
    void ratesCountFeedIncludedAndAfterTheFeed() {
        PipelineFigures f = figures();

        assertThat(f.evaluations()).isEqualTo(4_000);
        assertThat(f.perSecond()).isEqualTo(2_000.0);
        assertThat(f.perSecondAfterFeed()).isEqualTo(2_000.0);
        assertThat(f.relay().perSecond()).isEqualTo(8_000.0);
        assertThat(f.relay().perSecondAfterFeed()).isCloseTo(9_000.0, within(1e-9));
        assertThat(f.ratio()).isEqualTo(0.25);
        assertThat(f.ratioAfterFeed()).isCloseTo(2.0 / 9.0, within(1e-12));
    }

    @Test
    void theRatioIsTakenAgainstTheRelaysMedianRun() {
        // Given: a warm-up run at 1,000/s, then three relay runs of 4,000 records: 8,000/s (after its feed 9,000/s),
        // 4,000/s (after 4,500/s) and 16,000/s (after 3,000/s: its feed took most of it)
        BrokerWrites writes = new BrokerWrites(Map.of("bench-relay.1", new BrokerWrites.Log(12_000, 4_000_000)));
        PipelineFigures f = figures(List.of(
                new PipelineFigures.RelayRun(new Relay.Result(4_000, 4.0, 0.4, 3_600, 9.0), 9.0, writes),
                new PipelineFigures.RelayRun(new Relay.Result(4_000, 0.5, 0.1, 3_600, 1.0), 0.8, writes),
                new PipelineFigures.RelayRun(new Relay.Result(4_000, 1.0, 0.2, 3_600, 1.0), 2.0, writes),
                new PipelineFigures.RelayRun(new Relay.Result(4_000, 0.25, 0.15, 300, 1.0), 0.4, writes)));
        StringWriter text = new StringWriter();

        // When
        f.print(new PrintWriter(text), "1.00 2.00 3.00");

        // Then: the median measured run's 8,000/s feed included, the median of the measured after-feed rates (4,500,
        // 9,000, 3,000); the warm-up run is printed and not counted
        assertThat(f.relay().perSecond()).isEqualTo(8_000.0);
        assertThat(f.ratio()).isEqualTo(0.25);
        assertThat(f.relayPerSecondAfterFeed()).isCloseTo(4_500.0, within(1e-9));
        assertThat(f.ratioAfterFeed()).isCloseTo(2_000.0 / 4_500.0, within(1e-12));
        assertThat(text.toString())
                .contains("4,000 records through three hops, a warm-up run and 3 measured, one after the other;"
                        + " the median's figures")
                .contains("records/s feed included / after the feed ended: warm-up (not counted) 1,000 / 1,000;"
                        + " measured 8,000 / 9,000, 4,000 / 4,500, 16,000 / 3,000")
                .contains("8,000 records/s feed included (0.50 s; feed 0.10 s); 4,500/s after the feed ended (the"
                        + " median of the measured runs')")
                .contains("CPU per record: relay JVM 0.250 ms, broker 0.200 ms")
                .contains("Assay / ceiling: 25.0% feed included, 44.4% after the feed");
    }

    @Test
    void cpuIsPerEvaluationAndTheServicesSumLeavesTheBrokerOut() {
        PipelineFigures f = figures();

        assertThat(f.cpuMsPerEvaluation("model-invoker")).isEqualTo(0.75);
        assertThat(f.cpuMsPerEvaluation("kafka")).isEqualTo(1.0);
        assertThat(f.serviceCpuMsPerEvaluation()).isEqualTo(2.0);
        assertThat(f.jitCpuMsPerEvaluation("model-invoker")).isCloseTo(0.3, within(1e-12));
        assertThat(f.serviceCpuMsPerEvaluationWithoutJit()).isCloseTo(1.5, within(1e-12));
    }

    @Test
    void thePrintoutSaysWhatTheFigureHidesAndWhetherTheGoalsAreMet() {
        StringWriter text = new StringWriter();

        figures().print(new PrintWriter(text), "1.00 2.00 3.00");

        assertThat(text.toString())
                .contains("2,000 evaluations/s feed included")
                .contains("8,000 records/s feed included")
                .contains("Assay / ceiling: 25.0% feed included, 22.2% after the feed")
                .contains(">= 5,000 evaluations/s: not met; >= 25% of the ceiling: met")
                .contains("model-invoker       0.750 ms  (3.0 s)  JIT 0.300 ms")
                .contains("changelogs included): 3.00 records, 2.00 KB: assay.answers 2.00 / 1.50 KB, "
                        + "assay.judgments 1.00 / 0.50 KB")
                .contains("broker writes per record: 3.00 records, 1.00 KB: bench-relay.1 3.00 / 1.00 KB")
                .contains("kafka               1.000 ms  (4.0 s)\n")
                .contains("four services       2.000 ms  (1.500 ms without the JIT's)")
                .contains("item 600, prompt 1500, response 900, judgment 700; 3 partitions")
                .contains("lag when the last judgment was counted: judge 0")
                .contains("every stage had consumed its input 1.5 s later (CPU sampled then)")
                .contains("load 1.00 2.00 3.00");
    }

    @Test
    void theJudgingIsSaidWithTheHopsAnEvaluationTakes() {
        StringWriter reference = new StringWriter();
        StringWriter llm = new StringWriter();

        figures().print(new PrintWriter(reference), "1.00 2.00 3.00");
        figures(figures().relayRuns(), PipelineBench.Judging.LLM).print(new PrintWriter(llm), "1.00 2.00 3.00");

        assertThat(reference.toString())
                .contains("= 4,000 evaluations (judgments on the leaderboard), each judged against the item's reference"
                        + " answer: one model call an evaluation")
                .contains("an evaluation takes three hops, as the relay's records do");
        assertThat(llm.toString())
                .contains("= 4,000 evaluations (judgments on the leaderboard), each judged by a zero-latency sim LLM"
                        + " judge (score): two model calls an evaluation")
                .contains("an evaluation judged by an LLM judge takes five hops");
    }

    @Test
    void theWarmUpIsSaidWithTheCompilersShareInItsLastRound() {
        BrokerWrites writes = new BrokerWrites(Map.of("bench-relay.1", new BrokerWrites.Log(12_000, 4_000_000)));
        List<PipelineFigures.RelayRun> runs = List.of(
                new PipelineFigures.RelayRun(new Relay.Result(4_000, 1.0, 0.1, 3_600, 2.0), 1.6, writes),
                new PipelineFigures.RelayRun(new Relay.Result(4_000, 0.5, 0.1, 3_600, 1.0), 0.8, writes));

        String quiet = figures(
                        runs,
                        PipelineBench.Judging.REFERENCE,
                        new PipelineBench.WarmupFigures(30_000, 3, 41.5, 0.083, true))
                .warmupText();
        String capped = figures(
                        runs,
                        PipelineBench.Judging.REFERENCE,
                        new PipelineBench.WarmupFigures(100_000, 10, 120.2, 0.151, false))
                .warmupText();
        String fixed = figures(
                        runs,
                        PipelineBench.Judging.REFERENCE,
                        new PipelineBench.WarmupFigures(2_000, 1, 9.6, 0.404, false))
                .warmupText();
        String none = figures(runs, PipelineBench.Judging.REFERENCE, PipelineBench.WarmupFigures.NONE)
                .warmupText();

        assertThat(quiet)
                .isEqualTo("a warm-up of 30,000 items on other benchmarks (3 rounds, 42 s; the compiler threads' share"
                        + " of the services' CPU in its last round 8%: quiet); JIT compilation after it included, and shown per"
                        + " service");
        assertThat(capped)
                .isEqualTo("a warm-up of 100,000 items on other benchmarks (10 rounds, 120 s; the compiler threads'"
                        + " share of the services' CPU in its last round 15%); JIT compilation after it included, and shown per"
                        + " service");
        assertThat(fixed)
                .isEqualTo("a warm-up of 2,000 items on other benchmarks (1 round, 10 s; the compiler threads' share"
                        + " of the services' CPU in it 40%); JIT compilation after it included, and shown per service");
        assertThat(none)
                .isEqualTo("no warm-up (--warmup 0): the JIT's compilation of the services' code included, and shown"
                        + " per service");
    }

    @Test
    void theWarmUpIsQuietOrANumberOfItems() {
        assertThat(PipelineBench.Warmup.parse("quiet"))
                .isEqualTo(new PipelineBench.Warmup(PipelineBench.Warmup.ROUND_ITEMS, true));
        assertThat(PipelineBench.Warmup.parse("20,000")).isEqualTo(new PipelineBench.Warmup(20_000, false));
        assertThat(PipelineBench.Warmup.parse("0")).isEqualTo(new PipelineBench.Warmup(0, false));
        assertThatThrownBy(() -> PipelineBench.Warmup.parse("-1"))
                .hasMessage("must be quiet or a number of items (0 or more), was -1");
        assertThatThrownBy(() -> PipelineBench.Warmup.parse("loud"))
                .hasMessage("must be quiet or a number of items (0 or more), was loud");
    }

    @Test
    void assaysFiguresAreItsMedianRunsAndTheRateAfterTheFeedTheMedianOfTheRuns() {
        // Given: three runs of 4,000 evaluations: 2,000/s (after its feed 2,000/s), 1,000/s (after 3,000/s) and
        // 4,000/s (after 1,500/s), each with its own CPU
        BrokerWrites writes = new BrokerWrites(Map.of("assay.judgments", new BrokerWrites.Log(4_000, 2_000_000)));
        List<PipelineFigures.AssayRun> runs = List.of(
                new PipelineFigures.AssayRun(
                        0.5, 2.0, 3_000, Map.of("judge", 2.0), Map.of("judge", 0.2), Map.of(), 1.0, writes),
                new PipelineFigures.AssayRun(
                        3.0, 4.0, 3_000, Map.of("judge", 4.0), Map.of("judge", 0.4), Map.of(), 1.0, writes),
                new PipelineFigures.AssayRun(
                        0.2, 1.0, 1_200, Map.of("judge", 1.0), Map.of("judge", 0.1), Map.of(), 1.0, writes));
        PipelineFigures f = new PipelineFigures(
                new PipelineBench.WarmupFigures(60_000, 6, 80, 0.07, true),
                1_000,
                4,
                PipelineBench.Judging.REFERENCE,
                runs,
                new Relay.Sizes(600, 1_500, 900, 700),
                3,
                figures().relayRuns());
        StringWriter text = new StringWriter();

        f.print(new PrintWriter(text), "1.00 2.00 3.00");

        // Then: the middle run by its rate feed included (2,000/s) gives the rate and the CPU; after the feed, the
        // median of 2,000, 3,000 and 1,500
        assertThat(f.run()).isSameAs(runs.get(0));
        assertThat(f.perSecond()).isEqualTo(2_000.0);
        assertThat(f.perSecondAfterFeed()).isEqualTo(2_000.0);
        assertThat(f.cpuMsPerEvaluation("judge")).isEqualTo(0.5);
        assertThat(text.toString())
                .contains("3 measured runs, one after the other, each on a benchmark of its own; the median's figures")
                .contains("evaluations/s feed included / after the feed ended: 2,000 / 2,000, 1,000 / 3,000,"
                        + " 4,000 / 1,500")
                .contains("2,000 evaluations/s feed included (2.00 s; feed 0.50 s); 2,000/s after the feed ended (the"
                        + " median of the runs'; this run's 3,000 in 1.50 s)")
                .contains("judge               0.500 ms  (2.0 s)  JIT 0.050 ms");
    }
}
