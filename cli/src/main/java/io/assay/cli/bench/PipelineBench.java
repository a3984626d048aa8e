package io.assay.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.assay.cli.DemoSetup;
import io.assay.cli.api.AggregatorClient;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.kafka.Publisher;
import io.assay.cli.kafka.TopicReader;
import io.assay.cli.stack.Component;
import io.assay.cli.stack.LocalStack;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.Json;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Protocol;
import io.assay.contracts.Provider;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.Topic;
import io.assay.contracts.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code assay bench pipeline}: N items × M zero-latency simulated models through the four packaged
 * services, on a fresh local stack this bench starts (as {@code assay up} does, in its own directory)
 * and stops; then, on the same broker, the {@link Relay} with messages of the sizes Assay's topics
 * held, once to warm it up and {@link #RELAY_RUNS} times measured (the ratio is taken against the median run).
 * Figures: {@link PipelineFigures}.
 */
public final class PipelineBench {
    private static final Duration POLL = Duration.ofMillis(100);
    /**
     * Runs of the relay measured, one after the other on fresh topics, after one run that warms it up (not
     * counted: it compiles the relay's code in this JVM, as the warm-up items do for the services). One run lasts
     * seconds; the single, unwarmed runs of two benches minutes apart moved 7,910 and 12,924 records/s on a quiet
     * machine, and a first run 8,375 where the next two moved 18,157 and 15,417.
     */
    static final int RELAY_RUNS = 3;

    /**
     * Runs of Assay measured, one after the other after the warm-up, each on a benchmark of its own; the figures are
     * the median run's. After the warm-up until quiet, single runs of the same bench moved 4,213–5,809 evaluations/s.
     */
    static final int ASSAY_RUNS = 3;

    /** Attempts at each relay run ({@link #relayRun}). */
    static final int RELAY_ATTEMPTS = 3;

    /**
     * What to run.
     *
     * @param items items to feed
     * @param models simulated models to register
     * @param warmup how the services are warmed before the measured runs
     * @param jfr where to write one JFR recording per service of the measured runs, or null
     * @param timeout how long to wait for each run's evaluations
     * @param judging how each evaluation is judged
     */
    public record Options(int items, int models, Warmup warmup, Path jfr, Duration timeout, Judging judging) {}

    /**
     * How the services are warmed before the measured run, on benchmarks of their own: a fixed number of items, or
     * rounds of {@link #ROUND_ITEMS} until their JIT compiler threads are quiet. On this 2-core machine the
     * services' one C2 thread each was busy for the whole of a 10,000-item warm-up (34 s) and of the measured run
     * after it, and took 38–45% of the services' CPU there: the figures were those of code still being compiled
     * (BENCHMARKS.md, "Pipeline throughput", session 49).
     *
     * @param items the items of a fixed warm-up (0 for none), or of each round until quiet
     * @param untilQuiet whether to feed rounds until the compiler threads took at most {@link #QUIET_SHARE} of
     *     the services' CPU in a round, or {@link #MAX_ROUNDS} rounds
     */
    public record Warmup(int items, boolean untilQuiet) {
        /** Items a round of the warm-up until quiet. */
        public static final int ROUND_ITEMS = 10_000;
        /** The compiler threads' share of the services' CPU in a round at which the JIT counts as quiet. */
        public static final double QUIET_SHARE = 0.10;
        /** Rounds after which the warm-up until quiet ends whatever the compilers' share. */
        public static final int MAX_ROUNDS = 10;

        /** Until the compilers are quiet, in rounds of {@link #ROUND_ITEMS}. */
        public static Warmup quiet() {
            return new Warmup(ROUND_ITEMS, true);
        }

        /** A fixed warm-up of {@code items} (0 for none). */
        public static Warmup fixed(int items) {
            if (items < 0) {
                throw new IllegalArgumentException("warm-up items must not be negative, was " + items);
            }
            return new Warmup(items, false);
        }

        /** {@code quiet}, or a number of items. */
        public static Warmup parse(String text) {
            if (text.equals("quiet")) {
                return quiet();
            }
            try {
                return fixed(Integer.parseInt(text.replace("_", "").replace(",", "")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("must be quiet or a number of items (0 or more), was " + text);
            }
        }
    }

    /**
     * What the warm-up did, printed with the figures.
     *
     * @param items items fed in all
     * @param rounds rounds fed (one for a fixed warm-up)
     * @param seconds how long they took, to the last judgment on the leaderboard
     * @param lastJitShare the compiler threads' share of the services' CPU in the last round (NaN if not read)
     * @param quiet whether the warm-up ended because that share was at most {@link Warmup#QUIET_SHARE}
     */
    public record WarmupFigures(int items, int rounds, double seconds, double lastJitShare, boolean quiet) {
        /** No warm-up. */
        public static final WarmupFigures NONE = new WarmupFigures(0, 0, 0, Double.NaN, false);
    }

    /** How the bench's evaluations are judged. */
    public enum Judging {
        /** Against the item's reference answer, in the judge (the demo's benchmark): one model call an evaluation. */
        REFERENCE,
        /**
         * By a zero-latency simulated LLM judge (protocol {@code score}, WildBench's): a second call through the
         * invoker an evaluation, and two hops more (judge → invoker → judge).
         */
        LLM
    }

    /** The simulated LLM judge's model id ({@link Judging#LLM}). */
    private static final String JUDGE_MODEL = "bench-sim-judge";

    /** How long the bench waits for every stage to drain after the last judgment was counted. */
    private static final Duration DRAIN = Duration.ofSeconds(60);

    private final LocalStack stack;
    private final PrintWriter out;

    /** A bench on {@code stack} (not yet started), printing to {@code out}. */
    public PipelineBench(LocalStack stack, PrintWriter out) {
        this.stack = stack;
        this.out = out;
    }

    /** Starts the stack, runs Assay and the relay, stops the stack; returns the figures. */
    public PipelineFigures run(Options options) throws InterruptedException {
        return FreshStack.around(stack, out, () -> measure(options));
    }

    private PipelineFigures measure(Options o) throws InterruptedException {
        String bootstrap = stack.bootstrapServers();
        AggregatorClient api = new AggregatorClient(stack.url(Component.AGGREGATOR));
        String benchmark = "bench-pipeline";
        try (Publisher publisher = new Publisher(bootstrap)) {
            List<ModelSpec> models = new ArrayList<>(models(o.models()));
            if (o.judging() == Judging.LLM) {
                models.add(judgeModel());
            }
            for (ModelSpec m : models) {
                publisher.sendAndWait(Topics.MODELS, m.modelId(), m);
            }
            WarmupFigures warmup = warmUp(publisher, api, benchmark + "-warmup", o);
            if (o.jfr() != null) {
                jcmd(o.jfr(), "JFR.start", "name=assay-bench", "settings=profile");
            }
            List<PipelineFigures.AssayRun> runs = new ArrayList<>();
            for (int r = 1; r <= ASSAY_RUNS; r++) {
                String measured = benchmark + "-run-" + r;
                Map<String, Double> cpu0 = cpu();
                Map<String, Double> jit0 = jitCpu();
                BrokerWrites logs0 = BrokerWrites.read(bootstrap);
                out.printf(
                        "Measured run %d of %d: %,d items × %d models on benchmark %s...%n",
                        r, ASSAY_RUNS, o.items(), o.models(), measured);
                out.flush();
                Run run = feedAndWait(publisher, api, measured, o.items(), o.models(), o.judging(), o.timeout());
                Map<String, Long> lag = lag(api);
                double drain = drain(api);
                runs.add(new PipelineFigures.AssayRun(
                        run.feedSeconds,
                        run.seconds,
                        run.afterFeed,
                        minus(cpu(), cpu0),
                        minus(jitCpu(), jit0),
                        lag,
                        drain,
                        BrokerWrites.read(bootstrap).since(logs0)));
            }
            if (o.jfr() != null) {
                jcmd(o.jfr(), "JFR.stop", "name=assay-bench");
            }
            Relay.Sizes sizes = sizes(bootstrap, benchmark + "-run-");
            out.printf(
                    "Relay: the same number of records, message sizes %s, a warm-up run and %d measured...%n",
                    sizes, RELAY_RUNS);
            out.flush();
            List<PipelineFigures.RelayRun> relayRuns = new ArrayList<>();
            for (int r = 0; r <= RELAY_RUNS; r++) {
                relayRuns.add(relayRun(bootstrap, r, sizes, o));
            }
            return new PipelineFigures(
                    warmup, o.items(), o.models(), o.judging(), runs, sizes, Topics.PARTITIONS, relayRuns);
        }
    }

    private record Run(double feedSeconds, double seconds, long afterFeed) {}

    /**
     * One run of the relay on topics of its own, run again on fresh topics when it fails, at most {@link
     * #RELAY_ATTEMPTS} times in all, each failure printed: once in some fifteen benches a relay's idempotent producer
     * was refused every batch of one partition with {@code OutOfOrderSequenceException} (its sequence back at 0,
     * the broker's at 3,385) until its delivery timeout, and the bench lost Assay's figures with it. That is the
     * retry loop of KAFKA-14359 by its look (a first batch refused with a retriable error on a topic just created, later
     * ones written, the first retried against a sequence that has moved on); not reproduced.
     */
    private PipelineFigures.RelayRun relayRun(String bootstrap, int run, Relay.Sizes sizes, Options o)
            throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            double broker0 = brokerCpu();
            BrokerWrites logs0 = BrokerWrites.read(bootstrap);
            try {
                Relay.Result relay = new Relay(
                                bootstrap, Topics.PARTITIONS, "bench-relay-" + run + "-" + System.currentTimeMillis())
                        .run(o.items(), o.models(), sizes, o.timeout());
                return new PipelineFigures.RelayRun(
                        relay,
                        brokerCpu() - broker0,
                        BrokerWrites.read(bootstrap).since(logs0));
            } catch (IllegalStateException e) {
                if (attempt == RELAY_ATTEMPTS) {
                    throw e;
                }
                out.printf("  relay run %d failed (%s); running it again on fresh topics%n", run, e.getMessage());
                out.flush();
            }
        }
    }

    /**
     * Feeds the warm-up's items, each round on a benchmark of its own ({@code prefix-<round>}), and prints each
     * round's rate and the compiler threads' share of the services' CPU in it.
     */
    private WarmupFigures warmUp(Publisher publisher, AggregatorClient api, String prefix, Options o)
            throws InterruptedException {
        Warmup w = o.warmup();
        if (w.items() == 0) {
            return WarmupFigures.NONE;
        }
        int maxRounds = w.untilQuiet() ? Warmup.MAX_ROUNDS : 1;
        out.printf(
                Locale.ROOT,
                w.untilQuiet()
                        ? "Warm-up: rounds of %,d items until the services' JIT compiler threads take at most %.0f%%"
                                + " of their CPU in a round (at most %d rounds)...%n"
                        : "Warm-up: %,d items...%n",
                w.items(),
                100 * Warmup.QUIET_SHARE,
                maxRounds);
        out.flush();
        double seconds = 0;
        double share = Double.NaN;
        for (int round = 1; round <= maxRounds; round++) {
            double cpu0 = PipelineFigures.servicesSum(cpu());
            double jit0 = PipelineFigures.servicesSum(jitCpu());
            Run r = feedAndWait(publisher, api, prefix + "-" + round, w.items(), o.models(), o.judging(), o.timeout());
            double cpu = PipelineFigures.servicesSum(cpu()) - cpu0;
            double jit = PipelineFigures.servicesSum(jitCpu()) - jit0;
            share = jit / cpu;
            seconds += r.seconds;
            out.printf(
                    Locale.ROOT,
                    "  round %d: %,d items in %.1f s, %,.0f evaluations/s; the compiler threads took %.0f%% of the"
                            + " services' CPU (%.1f of %.1f s)%n",
                    round,
                    w.items(),
                    r.seconds,
                    (double) w.items() * o.models() / r.seconds,
                    100 * share,
                    jit,
                    cpu);
            out.flush();
            if (w.untilQuiet() && share <= Warmup.QUIET_SHARE) {
                return new WarmupFigures(round * w.items(), round, seconds, share, true);
            }
        }
        return new WarmupFigures(maxRounds * w.items(), maxRounds, seconds, share, false);
    }

    /**
     * Feeds the items as fast as the producer takes them and waits until a snapshot of the benchmark on
     * {@code assay.leaderboards} counts every evaluation ({@link LeaderboardWatch}: nothing asked of the
     * aggregator meanwhile); the API's count is checked once at the end.
     */
    private Run feedAndWait(
            Publisher publisher,
            AggregatorClient api,
            String benchmark,
            int items,
            int models,
            Judging judging,
            Duration timeout)
            throws InterruptedException {
        publisher.sendAndWait(Topics.BENCHMARKS, benchmark, spec(benchmark, judging));
        long expected = (long) items * models;
        ItemGenerator generator = new ItemGenerator(benchmark, 1);
        try (LeaderboardWatch watch = new LeaderboardWatch(stack.bootstrapServers(), benchmark, expected)) {
            long start = System.nanoTime();
            for (int i = 0; i < items; i++) {
                BenchmarkItem item = generator.item(i, Instant.now());
                publisher.send(Topics.ITEMS, item.key(), item, item.key());
            }
            if (!publisher.awaitDelivery().isEmpty()) {
                throw new IllegalStateException("some items were not delivered to the broker");
            }
            long feedEnd = System.nanoTime();
            long atFeedEnd = watch.judgments();
            long end = watch.awaitTarget(Duration.ofNanos(start + timeout.toNanos() - feedEnd));
            if (end < 0) {
                throw new IllegalStateException("the leaderboard counted " + watch.judgments() + " of " + expected
                        + " evaluations within " + timeout.toSeconds() + " s; see "
                        + stack.home().resolve("logs"));
            }
            long shown = judgments(api, benchmark);
            for (int i = 0; i < 50 && shown < expected; i++) {
                Thread.sleep(POLL.toMillis());
                shown = judgments(api, benchmark);
            }
            if (shown != expected) {
                throw new IllegalStateException(
                        "the leaderboard shows " + shown + " judgments of " + benchmark + ", expected " + expected);
            }
            return new Run((feedEnd - start) / 1e9, (end - start) / 1e9, expected - atFeedEnd);
        }
    }

    /** The judgments the API counts for {@code benchmark} (what the leaderboard shows). */
    private static long judgments(AggregatorClient api, String benchmark) {
        try {
            for (JsonNode b : Json.tree(api.benchmarksJson().getBytes(StandardCharsets.UTF_8))) {
                if (b.path("benchmark").asText().equals(benchmark)) {
                    return b.path("judgments").asLong();
                }
            }
        } catch (AggregatorClient.ApiException e) {
            // Not ready yet: counted as none.
        }
        return 0;
    }

    /**
     * Waits until every stage has consumed its input (its lag at most one per partition: the commit marker a
     * transactional producer leaves after its last record), at most {@link #DRAIN}: the services' CPU is
     * sampled then, so work still queued when the last judgment was counted (the aggregator's responses,
     * say) is in it. Returns the seconds waited, NaN when the stages did not drain in time.
     */
    private static double drain(AggregatorClient api) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < DRAIN.toNanos()) {
            Map<String, Long> lag = lag(api);
            if (!lag.isEmpty() && lag.values().stream().allMatch(l -> l <= Topics.PARTITIONS)) {
                return (System.nanoTime() - start) / 1e9;
            }
            Thread.sleep(500);
        }
        return Double.NaN;
    }

    private static Map<String, Long> lag(AggregatorClient api) {
        Map<String, Long> lag = new LinkedHashMap<>();
        try {
            for (JsonNode stage : api.status().path("stages")) {
                lag.put(stage.path("stage").asText(), stage.path("lag").asLong());
            }
        } catch (AggregatorClient.ApiException e) {
            // Printed as not reported.
        }
        return lag;
    }

    /** Mean value size in bytes of the records on the four per-item topics whose key starts with {@code prefix}. */
    private static Relay.Sizes sizes(String bootstrap, String prefix) {
        return new Relay.Sizes(
                meanSize(bootstrap, Topics.ITEMS, prefix),
                meanSize(bootstrap, Topics.PROMPTS, prefix),
                meanSize(bootstrap, Topics.RESPONSES, prefix),
                meanSize(bootstrap, Topics.JUDGMENTS, prefix));
    }

    private static int meanSize(String bootstrap, Topic<String, ?> topic, String prefix) {
        long[] sum = new long[2];
        TopicReader.readAll(bootstrap, topic.name(), r -> {
            if (r.key() != null && r.key().startsWith(prefix) && r.value() != null) {
                sum[0] += r.value().length;
                sum[1]++;
            }
        });
        return sum[1] == 0 ? 0 : (int) (sum[0] / sum[1]);
    }

    private Map<String, Double> cpu() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (Component c : Component.ALL) {
            cpu.put(c.name(), stack.process(c).map(BenchCpu::cpuSeconds).orElse(Double.NaN));
        }
        return cpu;
    }

    /** The services' JIT compiler threads' CPU seconds (the broker's are its own business: not split). */
    private Map<String, Double> jitCpu() {
        Map<String, Double> jit = new LinkedHashMap<>();
        for (Component c : Component.services()) {
            jit.put(c.name(), stack.process(c).map(BenchCpu::jitCpuSeconds).orElse(Double.NaN));
        }
        return jit;
    }

    private double brokerCpu() {
        return stack.process(Component.KAFKA).map(BenchCpu::cpuSeconds).orElse(Double.NaN);
    }

    private static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> d = new LinkedHashMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, Double.NaN)));
        return d;
    }

    /** Runs {@code jcmd} on every service: JFR.start before the measured runs, JFR.stop (writing the file) after. */
    private void jcmd(Path dir, String command, String... args) {
        for (Component c : Component.services()) {
            ProcessHandle p = stack.process(c).orElseThrow();
            List<String> cmd = new ArrayList<>(List.of(jcmdPath(), Long.toString(p.pid()), command));
            cmd.addAll(List.of(args));
            if (command.equals("JFR.stop")) {
                cmd.add("filename=" + dir.toAbsolutePath().resolve(c.name() + ".jfr"));
            }
            try {
                Files.createDirectories(dir);
                Process jcmd = new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                    out.println("  (jcmd " + command + " on " + c.name() + " failed)");
                }
            } catch (IOException e) {
                out.println("  (jcmd " + command + " on " + c.name() + ": " + e.getMessage() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (command.equals("JFR.stop")) {
            out.println("JFR recordings of the measured runs: " + dir.toAbsolutePath() + "/<service>.jfr");
            out.println("  (JFR's own cost, and the recompilation it sets off, are in this run's CPU figures: "
                    + "compare figures of runs without --jfr)");
        }
    }

    private static String jcmdPath() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    }

    /**
     * The generated benchmark of the demo: one prompt format, one sample, reference judging; or, with {@link
     * Judging#LLM}, the same judged by {@link #JUDGE_MODEL} alone.
     */
    private static BenchmarkSpec spec(String benchmark, Judging judging) {
        BenchmarkSpec demo = DemoSetup.benchmark(benchmark, Instant.now());
        if (judging == Judging.REFERENCE) {
            return demo;
        }
        return new BenchmarkSpec(
                demo.benchmark(),
                demo.description(),
                demo.templates(),
                demo.samplesPerItem(),
                demo.shuffleChoices(),
                List.of(new JudgeSpec("bench-score", Protocol.SCORE, null, null, JUDGE_MODEL, null, null, null, null)),
                demo.categoryWeights(),
                demo.baselines(),
                demo.updatedAt());
    }

    /**
     * The zero-latency simulated judge of {@link Judging#LLM}, without transient errors. It judges and is not judged:
     * its one benchmark, {@code judges-only}, is none the bench feeds (as the fault tests' judge).
     */
    private static ModelSpec judgeModel() {
        return new ModelSpec(
                JUDGE_MODEL,
                "Zero-latency simulated judge",
                Provider.SIM,
                null,
                null,
                null,
                null,
                null,
                null,
                new ModelSpec.Price(0.0, 0.0),
                null,
                List.of("judges-only"),
                new ModelSpec.SimSpec(0.0, 50, 0, 0.0, 99L),
                Instant.now());
    }

    /** Zero-latency sim models without transient errors, so every call is answered at once. */
    static List<ModelSpec> models(int n) {
        List<ModelSpec> models = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double skill = n == 1 ? 0 : 1.5 - 3.0 * i / (n - 1);
            models.add(new ModelSpec(
                    "bench-sim-" + (i + 1),
                    "Zero-latency simulated model (skill " + skill + ")",
                    Provider.SIM,
                    null,
                    null,
                    null,
                    new SamplingParams(0.0, null, 1024, null, null, null, null),
                    null,
                    null,
                    new ModelSpec.Price(0.0, 0.0),
                    null,
                    List.of(),
                    new ModelSpec.SimSpec(skill, 400, 0, 0.0, 100L + i),
                    Instant.now()));
        }
        return models;
    }

    /** The load averages (1, 5, 15 min) from {@code /proc/loadavg}, printed next to the figures. */
    public static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
