package io.assay.cli.commands;

import io.assay.aggregator.leaderboard.View;
import io.assay.cli.bench.CoverageBench;
import io.assay.cli.bench.FreshnessBench;
import io.assay.cli.bench.HeapBench;
import io.assay.cli.bench.HeapFigures;
import io.assay.cli.bench.InvokerBench;
import io.assay.cli.bench.PipelineBench;
import io.assay.cli.bench.RateLimitedEndpoint;
import io.assay.cli.bench.ViewsBench;
import io.assay.cli.console.JsonOption;
import io.assay.cli.console.Numbers;
import io.assay.cli.stack.LocalStack;
import io.assay.contracts.Json;
import io.assay.contracts.JudgmentKind;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Benchmarks: of the running stack (invoker) and of the views' statistics (coverage, in-process). */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmarks: invoker measures the running stack (./assay up first); coverage measures the views' "
                    + "intervals in-process and needs no stack; views times the views over a long history in-process; "
                    + "pipeline and heap start their own stack."
        },
        subcommands = {
            BenchCommand.Invoker.class,
            BenchCommand.Coverage.class,
            BenchCommand.Views.class,
            BenchCommand.Pipeline.class,
            BenchCommand.Heap.class
        })
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The model-invoker's throughput under a provider quota, its raw speed, and its backpressure. */
    @Command(
            name = "invoker",
            mixinStandardHelpOptions = true,
            description = {
                "Benchmark the running model-invoker through Kafka (./assay up first): its use of a sliding-window "
                        + "quota, a simulated model's invocations per second, and with --backpressure a queue of prompts.",
                "1. a local OpenAI-compatible endpoint answering in --latency-ms that accepts at most --rate requests in "
                        + "any sliding second and refuses the rest at once with 429 + Retry-After: 1 (--window), run "
                        + "without and with rate-limit headers (--headers): the quota ratio (accepted rate / R, goal "
                        + ">= 0.95) and the share of requests refused (goal < 1%%);",
                "2. a zero-latency sim model (simulated): invocations per second on this machine;",
                "3. with --backpressure N: N prompts queued at once; heap, in-flight prompts and consumer lag while "
                        + "they drain."
            })
    static final class Invoker implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Option(
                names = "--rate",
                defaultValue = "50",
                converter = Numbers.PositiveDouble.class,
                description = "The endpoint's quota R in requests/s (default: ${DEFAULT-VALUE}).")
        double rate;

        @Option(
                names = "--seconds",
                defaultValue = "30",
                converter = Numbers.NonNegativeInt.class,
                description = "Length of the throttled run (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(
                names = "--latency-ms",
                defaultValue = "100",
                converter = Numbers.NonNegativeLong.class,
                description = "The endpoint's latency (default: ${DEFAULT-VALUE}).")
        long latencyMs;

        @Option(
                names = "--window",
                defaultValue = "sliding",
                description = "How the endpoint counts its quota: sliding (at most R in any second, no burst) or "
                        + "bucket (a token bucket holding R/10) (default: ${DEFAULT-VALUE}).")
        String window;

        @Option(
                names = "--headers",
                defaultValue = "both",
                description = "Whether the endpoint sends x-ratelimit-* headers: off, on or both (two runs) "
                        + "(default: ${DEFAULT-VALUE}).")
        String headers;

        @Option(
                names = "--max-concurrency",
                defaultValue = "32",
                converter = Numbers.PositiveInt.class,
                description = "The benchmark model's concurrency cap (default: ${DEFAULT-VALUE}).")
        int maxConcurrency;

        @Option(
                names = "--sim-prompts",
                defaultValue = "5000",
                converter = Numbers.NonNegativeInt.class,
                description = "Prompts for the zero-latency sim run; 0 skips it (default: ${DEFAULT-VALUE}).")
        int simPrompts;

        @Option(
                names = "--backpressure",
                defaultValue = "0",
                converter = Numbers.NonNegativeInt.class,
                description = "Prompts to queue at once for the backpressure run, e.g. 100000; 0 skips it.")
        int backpressure;

        @Option(
                names = "--invoker",
                defaultValue = "${env:ASSAY_INVOKER:-http://127.0.0.1:8082}",
                description = "The model-invoker's base URL, for its metrics (default: ${DEFAULT-VALUE}).")
        String invokerUrl;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            InvokerBench bench = new InvokerBench(connection.bootstrap, out);
            if (seconds > 0) {
                RateLimitedEndpoint.Window kind = switch (window) {
                    case "sliding" -> RateLimitedEndpoint.Window.SLIDING;
                    case "bucket" -> RateLimitedEndpoint.Window.BUCKET;
                    default ->
                        throw new ParameterException(
                                spec.commandLine(), "--window must be sliding or bucket, was " + window);
                };
                List<Boolean> runs = switch (headers) {
                    case "off" -> List.of(false);
                    case "on" -> List.of(true);
                    case "both" -> List.of(false, true);
                    default ->
                        throw new ParameterException(
                                spec.commandLine(), "--headers must be off, on or both, was " + headers);
                };
                for (boolean withHeaders : runs) {
                    bench.throttled(
                            rate,
                            seconds,
                            latencyMs,
                            maxConcurrency,
                            kind,
                            withHeaders,
                            Duration.ofSeconds(seconds * 4L + 60));
                }
            }
            if (simPrompts > 0) {
                bench.sim(simPrompts, Duration.ofMinutes(5));
            }
            if (backpressure > 0) {
                bench.backpressure(backpressure, 5, invokerUrl, Duration.ofMinutes(30));
            }
            return 0;
        }
    }

    /** How often each view's 95% interval covers the true value, on simulated benchmarks whose truth is known. */
    @Command(
            name = "coverage",
            mixinStandardHelpOptions = true,
            description = {
                "Repeat a simulated benchmark (Rasch truth, several prompt variants per item) in-process and print, per "
                        + "view (accuracy, score, wb-score, winrate, bt, wb-reward, irt), how often the nominal 95%% "
                        + "interval covers the true value. Needs no running stack."
            })
    static final class Coverage implements Callable<Integer> {
        @Option(
                names = "--repetitions",
                defaultValue = "500",
                converter = Numbers.PositiveInt.class,
                description = "Runs of the benchmark (default: ${DEFAULT-VALUE}).")
        int repetitions;

        @Option(
                names = "--items",
                defaultValue = "100",
                converter = Numbers.AtLeastTwoInt.class,
                description = "Items per run, at least 2 (default: ${DEFAULT-VALUE}).")
        int items;

        @Option(
                names = "--variants",
                defaultValue = "3",
                converter = Numbers.PositiveInt.class,
                description = "Prompt variants per item (default: ${DEFAULT-VALUE}).")
        int variants;

        @Option(
                names = "--models",
                defaultValue = "4",
                converter = Numbers.PositiveInt.class,
                description = "Simulated models, besides the baseline (default: ${DEFAULT-VALUE}).")
        int models;

        @Option(
                names = "--spread",
                defaultValue = "1",
                converter = Numbers.NonNegativeDouble.class,
                description = "The models' abilities are evenly spaced in [-S, S] on the logistic scale, the"
                        + " baseline's 0; a larger S gives models that win (or lose) nearly every battle"
                        + " (default: ${DEFAULT-VALUE}).")
        double spread;

        @Option(
                names = "--observed",
                defaultValue = "1",
                converter = Numbers.Share.class,
                description = "Each model is evaluated on each item with probability F, in (0, 1]: the design irt"
                        + " predicts the missing cells of (LiveXiv's); 1, every model on every item"
                        + " (default: ${DEFAULT-VALUE}).")
        double observed;

        @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Mixin
        JsonOption json;

        @Spec
        CommandSpec spec;

        /** One view's coverage as JSON fields (an undefined figure, NaN, as null). */
        static Map<String, Object> json(CoverageBench.Coverage c) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("view", c.view().wireName());
            m.put("intervals", c.intervals());
            m.put("covered", c.covered());
            m.put("coverage", finite(c.rate()));
            m.put("monteCarloError", finite(c.monteCarloError()));
            m.put("below", c.below());
            m.put("above", c.above());
            m.put("worstModel", finite(c.worstModel()));
            m.put("bestModel", finite(c.bestModel()));
            m.put("meanWidth", finite(c.meanWidth()));
            m.put("meanError", finite(c.meanError()));
            m.put("unidentified", c.unidentified());
            m.put("unbounded", c.unbounded());
            m.put("independent", finite(c.independent()));
            return m;
        }

        private static Double finite(double d) {
            return Double.isFinite(d) ? d : null;
        }

        @Override
        public Integer call() {
            CoverageBench.Options options =
                    new CoverageBench.Options(repetitions, items, variants, models, spread, observed, seed);
            long start = System.nanoTime();
            List<CoverageBench.Coverage> rows;
            try {
                rows = CoverageBench.run(options);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (json.json()) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("options", options);
                result.put("seconds", seconds);
                result.put("views", rows.stream().map(Coverage::json).toList());
                spec.commandLine().getOut().println(Json.write(result));
                return 0;
            }
            CoverageBench.print(options, rows, seconds, spec.commandLine().getOut());
            return 0;
        }
    }

    /** Every view's latency over a long history, by the slot path and by the incremental paths, and the fold's cost. */
    @Command(
            name = "views",
            mixinStandardHelpOptions = true,
            description = {
                "Fold N reference (or, with --scores, 1–10 score; --pairwise, pairwise against 3 baselines; "
                        + "--preferences, AlpacaEval preference; --choices, multiple-choice with positions) judgments of M models in-process into the "
                        + "aggregator's slot map and tallies and print, at 10,000 / 100,000 / N of history: the fold's "
                        + "CPU per judgment, every view's latency by the slot path and by the aggregator's incremental "
                        + "path where it has one (the tallies; irt's kept cells, then also after new judgments as on a "
                        + "live benchmark; checked equal), the heap, and issue 15's goal (every view under 100 ms). "
                        + "Needs no running stack; ./assay runs it with the aggregator's collector (serial), and it "
                        + "prints the collectors it ran with.",
                "With --freshness, then the same history (the same judgments, of the same kind) published to the "
                        + "packaged aggregator on a fresh local stack (like ./assay up: same ports, which must be "
                        + "free; files in .assay/bench-views; the aggregator's heap 384 MB, the chart's) and folded "
                        + "(its CPU per judgment, heap and RSS printed), "
                        + "then the history's next judgments at --rate/s for --seconds after --warmup: the time from "
                        + "publication to visible in the kind's streamed view (accuracy, score, wb-reward or winrate) "
                        + "over SSE, REST and assay.leaderboards, p50/p99/max (and when the slowest was published), "
                        + "where the CPU went meanwhile (the aggregator by thread, this JVM, the machine), and what "
                        + "the snapshot publisher spent per view (lc-winrate of preferences computed from scratch "
                        + "after the history, beside the window), then lc-winrate (of preferences) and, with "
                        + "--cutoffs, post-cutoff of the kind's view timed over REST. --views accuracy (or the kind's "
                        + "view) keeps the in-process part short."
            })
    static final class Views implements Callable<Integer> {
        @Option(
                names = "--judgments",
                defaultValue = "1000000",
                converter = Numbers.PositiveInt.class,
                description = "Judgments of history (default: ${DEFAULT-VALUE}).")
        int judgments;

        @Option(
                names = "--models",
                defaultValue = "100",
                converter = Numbers.PositiveInt.class,
                description = "Models (default: ${DEFAULT-VALUE}).")
        int models;

        @Option(
                names = "--per-item",
                defaultValue = "10",
                converter = Numbers.PositiveInt.class,
                description = "Models judged on each item (default: ${DEFAULT-VALUE}).")
        int perItem;

        @Option(
                names = "--categories",
                defaultValue = "5",
                converter = Numbers.PositiveInt.class,
                description = "Item categories (default: ${DEFAULT-VALUE}).")
        int categories;

        @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(
                names = "--scores",
                description = "Score judgments on WildBench's 1–10 scale (the score and wb-score views) "
                        + "instead of reference verdicts (accuracy).")
        boolean scores;

        @Option(
                names = "--pairwise",
                description = "Pairwise judgments against 3 baselines with answer lengths (wb-reward, bt, elo) "
                        + "instead of reference verdicts.")
        boolean pairwise;

        @Option(
                names = "--preferences",
                description = "AlpacaEval preferences in [1, 2] against one baseline, with lengths and "
                        + "instruction difficulty (winrate, lc-winrate), instead of reference verdicts.")
        boolean preferences;

        @Option(
                names = "--choices",
                description = "Reference verdicts on multiple-choice items that say where the correct choice was "
                        + "shown (A–D; position-bias) instead of plain reference verdicts.")
        boolean choices;

        @Option(
                names = "--views",
                split = ",",
                description = "Only these views (wire names, comma-separated; default: every view).")
        List<String> views = new ArrayList<>();

        @Option(
                names = "--freshness",
                description = "Then measure freshness through the packaged aggregator on a fresh local stack "
                        + "(see above).")
        boolean freshness;

        @Option(
                names = "--rate",
                defaultValue = "1000",
                converter = Numbers.PositiveInt.class,
                description = "With --freshness: judgments per second measured (default: ${DEFAULT-VALUE}).")
        int rate;

        @Option(
                names = "--seconds",
                defaultValue = "20",
                converter = Numbers.PositiveInt.class,
                description = "With --freshness: seconds of measured judgments, after 3 s of warm-up at the same "
                        + "rate (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(
                names = "--cutoffs",
                description = "With --freshness: the models declare knowledge cutoffs and the history's items "
                        + "publication days over 300 days, so post-cutoff counts about half the history (its "
                        + "REST latency is printed).")
        boolean cutoffs;

        @Option(
                names = "--settle",
                defaultValue = "2",
                converter = Numbers.NonNegativeInt.class,
                description = "With --freshness: seconds to wait after the history is folded, for the snapshot "
                        + "publisher's first computations (default: ${DEFAULT-VALUE}).")
        int settle;

        @Option(
                names = "--warmup",
                defaultValue = "10",
                converter = Numbers.NonNegativeInt.class,
                description = "With --freshness: seconds of judgments at --rate, with every reader running, before "
                        + "the measured ones, so the REST, SSE and snapshot paths are compiled before the clock "
                        + "starts (default: ${DEFAULT-VALUE}).")
        int warmUp;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            if (perItem > models) {
                throw new IllegalStateException("--per-item " + perItem + " exceeds --models " + models);
            }
            if ((scores ? 1 : 0) + (pairwise ? 1 : 0) + (preferences ? 1 : 0) + (choices ? 1 : 0) > 1) {
                throw new IllegalStateException("at most one of --scores, --pairwise, --preferences, --choices");
            }
            ViewsBench.Kind kind = scores
                    ? ViewsBench.Kind.SCORES
                    : pairwise
                            ? ViewsBench.Kind.PAIRWISE
                            : preferences
                                    ? ViewsBench.Kind.PREFERENCES
                                    : choices ? ViewsBench.Kind.CHOICES : ViewsBench.Kind.REFERENCE;
            List<View> only = views.stream()
                    .map(v -> View.byName(v)
                            .orElseThrow(() -> new ParameterException(spec.commandLine(), "unknown view: " + v)))
                    .toList();
            PrintWriter out = spec.commandLine().getOut();
            ViewsBench.run(new ViewsBench.Options(judgments, models, perItem, categories, seed, kind, only), out);
            if (freshness) {
                Path repo = LocalStack.defaultRepo();
                FreshnessBench.onFreshStack(
                        new LocalStack(repo, repo.resolve(".assay").resolve("bench-views")),
                        new FreshnessBench.Options(
                                judgments,
                                models,
                                perItem,
                                categories,
                                seed,
                                kind,
                                rate,
                                seconds,
                                cutoffs,
                                Duration.ofSeconds(settle),
                                Duration.ofSeconds(warmUp)),
                        out);
            }
            return 0;
        }
    }

    /** Evaluations per second end to end through the packaged services, against a raw relay's ceiling. */
    @Command(
            name = "pipeline",
            mixinStandardHelpOptions = true,
            description = {
                "Feed N generated items to M zero-latency SIMULATED models through the four packaged services, three "
                        + "times after the warm-up (each on a benchmark of its own; the median run's figures), and "
                        + "print evaluations/s (judgments on the leaderboard per second, feed included and excluded: until "
                        + "a snapshot on assay.leaderboards counts them all), "
                        + "CPU ms per evaluation of each service and the broker (start-up excluded: sampled just "
                        + "before the feed and after the last judgment), the consumer groups' lag at the end, and the "
                        + "records and bytes the broker's logs gained per evaluation, by topic.",
                "Then, on the same broker, a raw three-hop relay (plain kafka-clients consume -> parse JSON -> "
                        + "produce, as threads of this JVM) moves the same number of records of the sizes Assay's "
                        + "topics held, once to warm up and three times measured: the ceiling (the median run, with its "
                        + "own writes per record), and Assay's share of it.",
                "Starts its own fresh stack like ./assay up (same ports, which must be free; files in "
                        + ".assay/bench-pipeline) and stops it at the end; it does not use a running stack."
            })
    static final class Pipeline implements Callable<Integer> {
        @Option(
                names = "--items",
                defaultValue = "10000",
                converter = Numbers.PositiveInt.class,
                description = "Items to feed (default: ${DEFAULT-VALUE}).")
        int items;

        @Option(
                names = "--models",
                defaultValue = "4",
                converter = Numbers.PositiveInt.class,
                description = "Zero-latency sim models (default: ${DEFAULT-VALUE}).")
        int models;

        @Option(
                names = "--warmup",
                defaultValue = "quiet",
                converter = WarmupConverter.class,
                description =
                        "Before the measured runs, on benchmarks of their own: quiet (rounds of 10,000 items until "
                                + "the services' JIT compiler threads take at most 10%% of their CPU in a round, at most 10 "
                                + "rounds), or a number of items (0 for none) (default: ${DEFAULT-VALUE}). After a fixed "
                                + "10,000 the compilers still took 38-45%% of the services' CPU in the measured run.")
        PipelineBench.Warmup warmup;

        @Option(
                names = "--judging",
                defaultValue = "reference",
                description = "How each evaluation is judged: reference (against the item's answer, in the judge) or "
                        + "llm (by a zero-latency sim LLM judge, protocol score: a second call through the invoker "
                        + "and two more hops) (default: ${DEFAULT-VALUE}).")
        String judging;

        @Option(
                names = "--jfr",
                description = "Record the measured runs with JFR (jcmd JFR.start/JFR.stop, settings=profile) into "
                        + "DIR/<service>.jfr.")
        Path jfr;

        @Option(
                names = "--timeout",
                defaultValue = "600",
                converter = Numbers.PositiveInt.class,
                description = "Seconds to wait for each run's evaluations (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Path repo = LocalStack.defaultRepo();
            PipelineBench.Judging judged = switch (judging) {
                case "reference" -> PipelineBench.Judging.REFERENCE;
                case "llm" -> PipelineBench.Judging.LLM;
                default ->
                    throw new ParameterException(
                            spec.commandLine(), "--judging must be reference or llm, was " + judging);
            };
            LocalStack stack = new LocalStack(repo, repo.resolve(".assay").resolve("bench-pipeline"));
            String loadBefore = PipelineBench.load();
            new PipelineBench(stack, out)
                    .run(new PipelineBench.Options(
                            items, models, warmup, jfr, Duration.ofSeconds(timeoutSeconds), judged))
                    .print(out, loadBefore + " before, " + PipelineBench.load() + " after");
            return 0;
        }

        /** {@code --warmup}: {@code quiet} or a number of items, refused while parsing otherwise. */
        static final class WarmupConverter implements CommandLine.ITypeConverter<PipelineBench.Warmup> {
            @Override
            public PipelineBench.Warmup convert(String value) {
                try {
                    return PipelineBench.Warmup.parse(value);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.TypeConversionException(e.getMessage());
                }
            }
        }
    }

    /** Whether every service's heap stays flat as the history and the evaluations grow (issue 16). */
    @Command(
            name = "heap",
            mixinStandardHelpOptions = true,
            description = {
                "Import N judgments of history (reference verdicts of 100 models, through the path of "
                        + "./assay import judgments) and stream E evaluations (generated items to M zero-latency "
                        + "SIMULATED models through the four packaged services, heap capped at 384 MB each), in two "
                        + "phases: a tenth of each, then the other nine tenths. After each phase, and once at the "
                        + "start, every service's heap after a full GC (jcmd GC.run, then GC.heap_info) and RSS.",
                "Prints per service: heap cap and collector, heap at the start, at the first checkpoint and at "
                        + "the end, end / first and PASS or FAIL against issue 16's goal (at most 1.20, no "
                        + "OutOfMemoryError), whether it died or logged an OutOfMemoryError and in which phase; per "
                        + "phase the sizes, the time to import, fold and stream, and the load average. Exit code 1 "
                        + "when a service or a phase failed.",
                "The full run (1,000,000 / 100,000) took 10-15 minutes on a shared 2-core machine; a development "
                        + "run such as --judgments 10000 --evaluations 1000 about 4, half of it the stack's start. "
                        + "Starts its own fresh stack "
                        + "like ./assay up (same ports, which must be free; files in .assay/bench-heap) and stops it."
            })
    static final class Heap implements Callable<Integer> {
        @Option(
                names = "--judgments",
                defaultValue = "1000000",
                converter = Numbers.PositiveLong.class,
                description = "Judgments of history to import, a multiple of 10 (default: ${DEFAULT-VALUE}).")
        long judgments;

        @Option(
                names = "--evaluations",
                defaultValue = "100000",
                converter = Numbers.PositiveLong.class,
                description = "Evaluations to stream (items × models), a multiple of 10 × --models "
                        + "(default: ${DEFAULT-VALUE}).")
        long evaluations;

        @Option(
                names = "--models",
                defaultValue = "4",
                converter = Numbers.PositiveInt.class,
                description = "Zero-latency sim models the items go to (default: ${DEFAULT-VALUE}).")
        int models;

        @Option(
                names = "--timeout",
                defaultValue = "1800",
                converter = Numbers.PositiveInt.class,
                description = "Seconds each wait (a phase's fold of the history, its evaluations) may take "
                        + "(default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Option(
                names = "--stall",
                defaultValue = "180",
                converter = Numbers.PositiveInt.class,
                description = "Seconds without any progress after which a wait gives up (default: ${DEFAULT-VALUE}).")
        int stallSeconds;

        @Option(
                names = "--kinds",
                defaultValue = "correct,score,pairwise,preference",
                split = ",",
                description = "Kinds of the history's judgments, item by item in turn: correct (reference), score, "
                        + "pairwise, preference (default: ${DEFAULT-VALUE}).")
        List<String> kinds;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            HeapBench.Options options;
            try {
                options = new HeapBench.Options(
                        judgments,
                        evaluations,
                        models,
                        Duration.ofSeconds(timeoutSeconds),
                        Duration.ofSeconds(stallSeconds),
                        kinds(kinds));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            Path repo = LocalStack.defaultRepo();
            LocalStack stack = new LocalStack(repo, repo.resolve(".assay").resolve("bench-heap"));
            String loadBefore = PipelineBench.load();
            HeapFigures figures = new HeapBench(stack, out).run(options);
            figures.print(out);
            out.println("Load average: " + loadBefore + " before, " + PipelineBench.load() + " after.");
            out.flush();
            return figures.pass() ? 0 : 1;
        }

        /** The kinds named, by their wire names; an unknown name is refused naming the known ones. */
        static List<JudgmentKind> kinds(List<String> names) {
            List<JudgmentKind> out = new ArrayList<>();
            for (String name : names) {
                JudgmentKind kind = HeapBench.Options.ALL_KINDS.stream()
                        .filter(k -> k.wireName().equals(name.strip()))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("--kinds: unknown kind " + name + ", expected "
                                + HeapBench.Options.ALL_KINDS.stream()
                                        .map(JudgmentKind::wireName)
                                        .toList()));
                out.add(kind);
            }
            return out;
        }
    }
}
