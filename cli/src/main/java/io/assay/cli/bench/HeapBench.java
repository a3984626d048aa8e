package io.assay.cli.bench;

import io.assay.cli.DemoSetup;
import io.assay.cli.api.ServiceHttp;
import io.assay.cli.console.Progress;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.kafka.FilePublisher;
import io.assay.cli.kafka.Publisher;
import io.assay.cli.stack.Component;
import io.assay.cli.stack.LocalStack;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Json;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Origin;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Protocol;
import io.assay.contracts.Topics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@code assay bench heap}: does every service's heap stay flat as history grows (issue 16)? On a
 * fresh local stack of the four packaged services (each {@code -Xmx384m}, as {@code assay up} starts
 * them), in two phases: (1) import a tenth of the history (verdicts of 100 models, by default of every
 * kind the aggregator tallies ({@link #historic}), through the path {@code assay import judgments} takes) and stream a tenth of the evaluations (generated
 * items through all four services to zero-latency simulated models), then measure; (2) the other nine
 * tenths of each, then measure again. A measurement is, per service, {@code jcmd GC.run} (a full
 * collection) and then {@code jcmd GC.heap_info}; see {@link HeapReading}. A service that dies or logs
 * an OutOfMemoryError is reported with the phase it happened in, and the bench goes on with what can
 * still be measured instead of waiting for what will never come. Figures: {@link HeapFigures}.
 */
public final class HeapBench {
    /** Models of the history; each item of the history is judged for {@link #HISTORY_PER_ITEM} of them. */
    static final int HISTORY_MODELS = 100;

    static final int HISTORY_PER_ITEM = 10;
    /** Judgments per file imported: the import reads a file whole, so this bounds the bench's own heap. */
    private static final int FILE_LINES = 100_000;

    private static final List<String> CATEGORIES = List.of("arithmetic", "logic", "reachability");
    /**
     * Full collections per measurement, the lowest reading kept: the serial collector's full GC leaves up
     * to {@code MarkSweepDeadRatio} (5%) of the old generation as dead objects in place ("dead wood", int[]
     * fillers: 12 MiB of a 384 MB heap) except every {@code MarkSweepAlwaysCompactCount}-th (4th) one, which
     * compacts everything; one reading after a single GC.run can be 12 MiB above what is retained.
     */
    static final int FULL_GCS = 4;

    /** Classes listed per service in what grew between the checkpoints. */
    private static final int GROWN_CLASSES = 6;

    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(120);
    private static final long POLL_MS = 1000;
    /** A counter that could not be read: not progress, not a reset. */
    private static final long UNREAD = -1;

    private static final long REPORT_EVERY_NS = 10_000_000_000L;

    /**
     * What to run.
     *
     * @param judgments judgments of history to import in all, a multiple of 10 (a tenth in phase 1)
     * @param evaluations evaluations to stream in all, a multiple of 10 × models
     * @param models zero-latency simulated models the items go to
     * @param timeout how long each wait (the fold of a phase's history, its evaluations) may take
     * @param stall how long a wait may see no progress at all before the phase is given up
     * @param kinds the kinds of the history's judgments, item by item in turn ({@link #historic})
     */
    public record Options(
            long judgments, long evaluations, int models, Duration timeout, Duration stall, List<JudgmentKind> kinds) {
        /** Every kind the aggregator tallies, the default history. */
        public static final List<JudgmentKind> ALL_KINDS =
                List.of(JudgmentKind.CORRECT, JudgmentKind.SCORE, JudgmentKind.PAIRWISE, JudgmentKind.PREFERENCE);

        /** Checks the sizes and kinds; throws {@link IllegalArgumentException} naming the option at fault. */
        public Options {
            if (kinds.isEmpty() || !ALL_KINDS.containsAll(kinds)) {
                throw new IllegalArgumentException("--kinds must name some of "
                        + ALL_KINDS.stream().map(JudgmentKind::wireName).toList() + ", was "
                        + kinds.stream().map(JudgmentKind::wireName).toList());
            }
            kinds = List.copyOf(kinds);
            if (models < 1) {
                throw new IllegalArgumentException("--models must be at least 1, was " + models);
            }
            if (judgments < 10 || judgments % 10 != 0) {
                throw new IllegalArgumentException("--judgments must be a positive multiple of 10 (a tenth is "
                        + "imported in phase 1), was " + judgments);
            }
            if (evaluations < 10L * models || evaluations % (10L * models) != 0) {
                throw new IllegalArgumentException("--evaluations must be a positive multiple of 10 × --models = "
                        + 10L * models + " (items × models, a tenth streamed in phase 1), was " + evaluations);
            }
        }

        /** Judgments of history imported in phase 1 (1-based) or 2. */
        long history(int phase) {
            return phase == 1 ? judgments / 10 : judgments - judgments / 10;
        }

        /** Items streamed in phase 1 or 2 (each to every model). */
        long items(int phase) {
            long items = evaluations / models;
            return phase == 1 ? items / 10 : items - items / 10;
        }
    }

    private final LocalStack stack;
    private final PrintWriter out;
    private final HttpClient http = ServiceHttp.client(Duration.ofSeconds(2));
    private final String benchmark = "bench-heap";
    private final Map<Component, Watch> watches = new LinkedHashMap<>();

    /** A bench on {@code stack} (not yet started), printing to {@code out}. */
    public HeapBench(LocalStack stack, PrintWriter out) {
        this.stack = stack;
        this.out = out;
    }

    /** Starts the stack, runs both phases, stops the stack; returns the figures. */
    public HeapFigures run(Options options) throws InterruptedException {
        return FreshStack.around(stack, out, () -> measure(options));
    }

    private HeapFigures measure(Options o) throws InterruptedException {
        for (Component c : Component.services()) {
            watches.put(c, new Watch(c));
        }
        Map<Component, String> flags = new LinkedHashMap<>();
        for (Component c : Component.services()) {
            String text = jcmd(c, "VM.flags");
            flags.put(c, text == null ? "" : text);
        }
        out.println("Checkpoint 0 (the stack ready, nothing imported or streamed): full GC, heap_info...");
        out.flush();
        Map<Component, long[]> start = checkpoint("start", null);
        Map<Component, Map<String, long[]>> histogramFirst = new LinkedHashMap<>();
        Map<Component, Map<String, long[]>> histogramEnd = new LinkedHashMap<>();
        List<HeapFigures.Phase> phases = new ArrayList<>();
        Map<Component, long[]> first = Map.of();
        Map<Component, long[]> end = Map.of();
        try (Publisher publisher = new Publisher(stack.bootstrapServers())) {
            publisher.sendAndWait(Topics.BENCHMARKS, benchmark, DemoSetup.benchmark(benchmark, Instant.now()));
            for (ModelSpec m : PipelineBench.models(o.models())) {
                publisher.sendAndWait(Topics.MODELS, m.modelId(), m);
            }
            long history = 0;
            long items = 0;
            for (int phase = 1; phase <= 2; phase++) {
                HeapFigures.Phase p = phase(publisher, o, phase, history, items);
                phases.add(p);
                history = p.historyTotal();
                items = p.evaluationsTotal() / o.models();
                out.printf(
                        "Checkpoint %d (%,d judgments of history, %,d evaluations): full GC, heap_info...%n",
                        phase, p.historyTotal(), p.evaluationsTotal());
                out.flush();
                Map<Component, long[]> taken = checkpoint("phase " + phase, phase == 1 ? histogramFirst : histogramEnd);
                if (phase == 1) {
                    first = taken;
                } else {
                    end = taken;
                }
                if (p.stopped() != null) {
                    break;
                }
            }
        }
        List<HeapFigures.Service> services = new ArrayList<>();
        Map<String, List<HeapFigures.Growth>> grown = new LinkedHashMap<>();
        for (Component c :
                List.of(Component.PROMPT_GENERATOR, Component.MODEL_INVOKER, Component.JUDGE, Component.AGGREGATOR)) {
            String f = flags.get(c);
            long cap = f.isEmpty() ? HeapFigures.NONE : safe(() -> HeapReading.maxHeapBytes(f));
            services.add(new HeapFigures.Service(
                    c.name(),
                    cap,
                    HeapReading.collector(f),
                    figure(start, c, 0),
                    figure(first, c, 0),
                    figure(end, c, 0),
                    figure(first, c, 1),
                    figure(end, c, 1),
                    watches.get(c).failure()));
            if (histogramFirst.containsKey(c) && histogramEnd.containsKey(c)) {
                grown.put(c.name(), HeapReading.grown(histogramFirst.get(c), histogramEnd.get(c), GROWN_CLASSES));
            }
        }
        return new HeapFigures(
                o.judgments(),
                o.kinds().stream().map(JudgmentKind::wireName).toList(),
                o.evaluations(),
                o.models(),
                phases,
                services,
                grown);
    }

    /** Phase {@code n}: its history imported and folded, then its items streamed and judged. */
    private HeapFigures.Phase phase(Publisher publisher, Options o, int n, long historyBefore, long itemsBefore)
            throws InterruptedException {
        long history = o.history(n);
        long items = o.items(n);
        String label = "phase " + n;
        out.printf(
                "Phase %d: importing %,d judgments of history (%,d to %,d; %s)...%n",
                n,
                history,
                historyBefore,
                historyBefore + history,
                String.join(", ", o.kinds().stream().map(JudgmentKind::wireName).toList()));
        out.flush();
        setPhase(label + " (history import)");
        long t0 = System.nanoTime();
        String stopped = importHistory(historyBefore, history, o.kinds());
        double importSeconds = (System.nanoTime() - t0) / 1e9;
        long imported = stopped == null ? historyBefore + history : historyBefore;
        double foldSeconds = Double.NaN;
        if (stopped == null && watches.get(Component.AGGREGATOR).check() == null) {
            long t1 = System.nanoTime();
            String why = await(
                    "the aggregator's fold of the history", this::folded, imported, List.of(Component.AGGREGATOR), o);
            if (why == null) {
                foldSeconds = (System.nanoTime() - t1) / 1e9;
            } else {
                // The aggregator's own verdict: the other services are still streamed to and measured.
                watches.get(Component.AGGREGATOR).fail(why);
            }
        }
        long streamed = 0;
        double streamSeconds = Double.NaN;
        if (stopped == null) {
            out.printf(
                    "Phase %d: streaming %,d items × %d models = %,d evaluations...%n",
                    n, items, o.models(), items * o.models());
            out.flush();
            setPhase(label + " (streaming)");
            long t2 = System.nanoTime();
            feed(publisher, itemsBefore, items);
            long judgedBefore = itemsBefore * o.models();
            long target = judgedBefore + items * o.models();
            stopped = await(
                    "the judge's judgments of the streamed items",
                    this::judged,
                    target,
                    List.of(Component.PROMPT_GENERATOR, Component.MODEL_INVOKER, Component.JUDGE),
                    o);
            if (stopped == null && watches.get(Component.AGGREGATOR).check() == null) {
                String why = await(
                        "the aggregator's count of history and evaluations",
                        this::folded,
                        imported + target,
                        List.of(Component.AGGREGATOR),
                        o);
                if (why != null) {
                    watches.get(Component.AGGREGATOR).fail(why);
                }
            }
            streamSeconds = (System.nanoTime() - t2) / 1e9;
            streamed = stopped == null ? items * o.models() : Math.max(0, judged() - judgedBefore);
        }
        return new HeapFigures.Phase(
                n,
                imported - historyBefore,
                imported,
                streamed,
                itemsBefore * o.models() + streamed,
                importSeconds,
                foldSeconds,
                streamSeconds,
                PipelineBench.load(),
                stopped);
    }

    /**
     * Publishes judgments {@code from} to {@code from + count} of the history as {@code assay import
     * judgments FILE...} does ({@link FilePublisher#run}: each line validated against the Judgment schema,
     * then published keyed benchmark/itemId), in files of {@link #FILE_LINES} lines written to the stack's
     * directory and deleted once published. Returns null, or why the import failed.
     */
    private String importHistory(long from, long count, List<JudgmentKind> kinds) {
        Path dir = stack.home().resolve("history");
        SplittableRandom random = new SplittableRandom(from + 1);
        long done = 0;
        long lastReport = System.nanoTime();
        try {
            Files.createDirectories(dir);
            while (done < count) {
                int lines = (int) Math.min(FILE_LINES, count - done);
                Path file = dir.resolve("judgments-" + (from + done) + ".jsonl");
                try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    for (int i = 0; i < lines; i++) {
                        w.write(Json.write(historic(benchmark, from + done + i, random, kinds)));
                        w.write('\n');
                    }
                }
                try (PrintWriter err = new PrintWriter(new java.io.StringWriter())) {
                    FilePublisher.Result r = FilePublisher.run(
                            List.of(file),
                            Topics.JUDGMENTS,
                            Judgment.class,
                            Judgment::key,
                            (j, bytes) -> bytes,
                            j -> {},
                            stack.bootstrapServers(),
                            Publisher.DEFAULT_DELIVERY_TIMEOUT,
                            err,
                            Progress.none());
                    if (r.exitCode() != FilePublisher.OK || r.published() != lines) {
                        return "the import of " + file + " failed: " + r.text();
                    }
                }
                Files.delete(file);
                done += lines;
                String failed = failedWatch();
                if (System.nanoTime() - lastReport > REPORT_EVERY_NS || done == count) {
                    lastReport = System.nanoTime();
                    long folded = folded();
                    out.printf(
                            "  imported %,d of %,d; aggregator counted %s; load average %s%n",
                            done,
                            count,
                            folded == UNREAD ? "(no answer)" : String.format(Locale.ROOT, "%,d", folded),
                            PipelineBench.load());
                    out.flush();
                }
                if (failed != null) {
                    out.println("  " + failed);
                }
            }
            return null;
        } catch (IOException e) {
            return "cannot write the history to " + dir + ": " + e.getMessage();
        }
    }

    /** The history's first judgedAt; judgment {@code i} is judged {@code i} ms after it, in ledger order. */
    static final Instant HISTORY_START = Instant.parse("2026-01-01T00:00:00Z");

    /** The baselines of the pairwise history (the preference history's is the first). */
    static final List<String> BASELINES = List.of("hist-base-a", "hist-base-b", "hist-base-c");

    private static final JudgeSpec GRADER = new JudgeSpec(
            "grader", Protocol.SCORE, "llm", "1", "hist-judge", "1", null, null, null, null, null, null, null);
    private static final JudgeSpec PAIRWISE_JUDGE = new JudgeSpec(
            "wb-judge", Protocol.PAIRWISE, "llm", "1", "hist-judge", "1", BASELINES, 500, null, null, null, null, null);
    private static final JudgeSpec PREFERENCE_JUDGE = new JudgeSpec(
            "alpaca-judge",
            Protocol.PREFERENCE,
            "llm",
            "1",
            "hist-judge",
            "1",
            BASELINES.subList(0, 1),
            null,
            null,
            null,
            null,
            null,
            null);

    /**
     * Judgment {@code i} of the history: item {@code h-<i/10>} of category {@code i/10 mod 3}, of kind
     * {@code kinds[item mod kinds]}, judged for 10 of the 100 models {@code hist-m0..hist-m99}, model k the
     * better the greater k; 1% unparseable (no verdict); origin {@code import}; judged {@code i} ms after
     * {@link #HISTORY_START}. By kind: the reference judge, correct with probability 0.2 + 0.006 k; judge
     * {@code grader}, a score on 1–10; judge {@code wb-judge}, a pairwise outcome against baseline {@code
     * i mod 3} with both answers' lengths; judge {@code alpaca-judge}, a preference in [1, 2] against the
     * first baseline.
     */
    static Judgment historic(String benchmark, long i, SplittableRandom random, List<JudgmentKind> kinds) {
        long item = i / HISTORY_PER_ITEM;
        int model = (int) ((item * 37 + i % HISTORY_PER_ITEM) % HISTORY_MODELS);
        JudgmentKind kind = kinds.get((int) (item % kinds.size()));
        boolean unparseable = random.nextInt(100) == 0;
        double skill = 0.2 + 0.006 * model;
        Boolean correct = null;
        Judgment.Score score = null;
        Judgment.Pairwise pairwise = null;
        Double preference = null;
        JudgeSpec judge = JudgeSpec.REFERENCE_AUTO;
        Integer answerChars = null;
        switch (kind) {
            case CORRECT -> correct = unparseable ? null : random.nextInt(1000) < skill * 1000;
            case SCORE -> {
                judge = GRADER;
                score = unparseable ? null : new Judgment.Score(1 + random.nextInt(1 + (int) (9 * skill)), 1, 10);
            }
            case PAIRWISE -> {
                judge = PAIRWISE_JUDGE;
                answerChars = 200 + random.nextInt(1600);
                double d = 4 * skill - 2 + random.nextGaussian();
                PairwiseOutcome outcome = d > 1.5
                        ? PairwiseOutcome.MUCH_BETTER
                        : d > 0.3
                                ? PairwiseOutcome.BETTER
                                : d >= -0.3
                                        ? PairwiseOutcome.TIE
                                        : d >= -1.5 ? PairwiseOutcome.WORSE : PairwiseOutcome.MUCH_WORSE;
                // An unparseable verdict has no comparison to carry (the schema wants an outcome in one).
                pairwise = unparseable
                        ? null
                        : new Judgment.Pairwise(
                                outcome,
                                BASELINES.get((int) (i % BASELINES.size())),
                                null,
                                200 + random.nextInt(1600),
                                "subject_first",
                                null);
            }
            case PREFERENCE -> {
                judge = PREFERENCE_JUDGE;
                answerChars = 200 + random.nextInt(1600);
                preference = unparseable ? null : 1 + 1 / (1 + Math.exp(2 - 4 * skill - random.nextGaussian()));
            }
            default -> throw new IllegalArgumentException("no history of kind " + kind);
        }
        return new Judgment(
                benchmark + "-h" + i,
                benchmark,
                "h-" + item,
                null,
                CATEGORIES.get((int) (item % CATEGORIES.size())),
                null,
                judge,
                new Judgment.Subject("hist-m" + model, null, null, answerChars),
                kind,
                correct,
                score,
                pairwise,
                preference,
                null,
                false,
                false,
                unparseable,
                null,
                null,
                Origin.IMPORT,
                HISTORY_START.plusMillis(i));
    }

    /** Sends items {@code from} to {@code from + count} of the generated benchmark as fast as the producer takes them. */
    private void feed(Publisher publisher, long from, long count) {
        ItemGenerator generator = new ItemGenerator(benchmark, 1);
        for (long i = from; i < from + count; i++) {
            BenchmarkItem item = generator.item(i, Instant.now());
            publisher.send(Topics.ITEMS, item.key(), item, item.key());
        }
        if (!publisher.awaitDelivery().isEmpty()) {
            throw new IllegalStateException("some items were not delivered to the broker");
        }
    }

    /**
     * Waits until {@code progress} reaches {@code target}. Returns null when it does, else why not: one of
     * {@code needed} died or logged an OutOfMemoryError, no progress for {@link Options#stall}, or the
     * {@link Options#timeout} passed. Prints the progress every 10 s.
     */
    private String await(String what, LongSupplier progress, long target, List<Component> needed, Options o)
            throws InterruptedException {
        long start = System.nanoTime();
        long last = Math.max(0, progress.getAsLong());
        long lastChange = start;
        long lastReport = start;
        while (last < target) {
            for (Component c : needed) {
                String failure = watches.get(c).check();
                if (failure != null) {
                    return "waiting for " + what + " (" + String.format(Locale.ROOT, "%,d of %,d", last, target) + "): "
                            + c.name() + " " + failure;
                }
            }
            long now = System.nanoTime();
            if (now - start > o.timeout().toNanos()) {
                return String.format(
                        Locale.ROOT,
                        "%s reached %,d of %,d within %d s",
                        what,
                        last,
                        target,
                        o.timeout().toSeconds());
            }
            if (now - lastChange > o.stall().toNanos()) {
                return String.format(
                        Locale.ROOT,
                        "%s stalled at %,d of %,d: no progress for %d s",
                        what,
                        last,
                        target,
                        o.stall().toSeconds());
            }
            if (now - lastReport > REPORT_EVERY_NS) {
                lastReport = now;
                out.printf(
                        Locale.ROOT, "  %s: %,d of %,d; load average %s%n", what, last, target, PipelineBench.load());
                out.flush();
            }
            Thread.sleep(POLL_MS);
            long p = progress.getAsLong();
            if (p != UNREAD && p != last) {
                last = p;
                lastChange = System.nanoTime();
            }
        }
        return null;
    }

    /**
     * Heap after a full GC and RSS of every live service: {@code [heap, rss]}, absent for a dead one; with
     * {@code histograms}, each live service's class histogram is put there too.
     */
    private Map<Component, long[]> checkpoint(String label, Map<Component, Map<String, long[]>> histograms) {
        Map<Component, long[]> taken = new LinkedHashMap<>();
        for (Component c : Component.services()) {
            watches.get(c).check();
            if (!alive(c)) {
                continue;
            }
            long rss = stack.process(c).map(HeapBench::rss).orElse(HeapFigures.NONE);
            List<String> readings = new ArrayList<>();
            for (int i = 0; i < FULL_GCS; i++) {
                String gc = jcmd(c, "GC.run");
                String info = gc == null ? null : jcmd(c, "GC.heap_info");
                if (info == null) {
                    break;
                }
                readings.add(info);
            }
            long heap = readings.isEmpty() ? HeapFigures.NONE : safe(() -> HeapReading.retainedBytes(readings));
            taken.put(c, new long[] {heap, rss});
            if (histograms != null) {
                String histogram = jcmd(c, "GC.class_histogram");
                if (histogram != null) {
                    histograms.put(c, HeapReading.histogram(histogram));
                }
            }
            out.printf("  %-17s heap after GC %s, RSS %s%n", c.name(), HeapReading.mib(heap), HeapReading.mib(rss));
        }
        out.printf("  (%s; load average %s)%n", label, PipelineBench.load());
        out.flush();
        return taken;
    }

    /** The output of {@code jcmd <pid> command}, or null (printed why) when it fails or the service is gone. */
    private String jcmd(Component c, String command) {
        ProcessHandle p = stack.process(c).orElse(null);
        if (p == null) {
            return null;
        }
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            // Output to a file, so that a jcmd that hangs (a JVM out of heap may not answer) is given up on time.
            Path text = Files.createTempFile(stack.home(), "jcmd-", ".txt");
            try {
                Process process = new ProcessBuilder(jcmd, Long.toString(p.pid()), command)
                        .redirectErrorStream(true)
                        .redirectOutput(text.toFile())
                        .start();
                boolean exited = process.waitFor(JCMD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (!exited) {
                    process.destroyForcibly();
                }
                String output = Files.readString(text);
                if (!exited || process.exitValue() != 0) {
                    out.println("  (jcmd " + command + " on " + c.name() + " failed"
                            + (exited ? ": " + output.strip() : ": no answer within " + JCMD_TIMEOUT.toSeconds() + " s")
                            + ")");
                    return null;
                }
                return output;
            } finally {
                Files.deleteIfExists(text);
            }
        } catch (IOException e) {
            out.println("  (jcmd " + command + " on " + c.name() + ": " + e.getMessage() + ")");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static long rss(ProcessHandle p) {
        try {
            return HeapReading.rssBytes(Files.readString(Path.of("/proc", Long.toString(p.pid()), "status")));
        } catch (IOException e) {
            return HeapFigures.NONE;
        }
    }

    /** Judgments the aggregator has counted on the benchmark (history and evaluations), from its {@code /q/metrics}. */
    private long folded() {
        return metric(
                Component.AGGREGATOR,
                "assay_aggregator_judgments_total{",
                "benchmark=\"" + benchmark + "\"",
                "outcome=\"counted\"");
    }

    /** Judgments the judge has emitted (only streamed items reach it: the history is imported). */
    private long judged() {
        return metric(Component.JUDGE, "assay_judge_judgments_total{");
    }

    /**
     * The sum of a service's Prometheus samples whose line starts with {@code prefix} and contains every
     * filter, or {@link #UNREAD} when the service did not answer (a heap near its cap can make it too slow).
     */
    private long metric(Component c, String prefix, String... filters) {
        if (!alive(c)) {
            return UNREAD;
        }
        try {
            String text = http.send(
                            HttpRequest.newBuilder(URI.create(stack.url(c) + "/q/metrics"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            return PrometheusText.sum(text, prefix, filters);
        } catch (IOException | RuntimeException e) {
            return UNREAD;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNREAD;
        }
    }

    private boolean alive(Component c) {
        return stack.process(c).isPresent();
    }

    private void setPhase(String phase) {
        watches.values().forEach(w -> w.phase = phase);
    }

    /** Checks every service; the first failure newly seen, or null. */
    private String failedWatch() {
        for (Watch w : watches.values()) {
            boolean known = w.failure() != null;
            String f = w.check();
            if (f != null && !known) {
                return w.component.name() + " " + f;
            }
        }
        return null;
    }

    private static long figure(Map<Component, long[]> taken, Component c, int index) {
        long[] f = taken.get(c);
        return f == null ? HeapFigures.NONE : f[index];
    }

    private static long safe(LongSupplier s) {
        try {
            return s.getAsLong();
        } catch (IllegalArgumentException e) {
            return HeapFigures.NONE;
        }
    }

    /**
     * Whether a service died or logged an OutOfMemoryError, and in which phase it was first seen: its log
     * is read from where the last check stopped, so each line is read once.
     */
    private final class Watch {
        private final Component component;
        private volatile String phase = "start-up";
        private long logOffset;
        private volatile String failure;

        Watch(Component component) {
            this.component = component;
        }

        /** The failure, once seen. */
        String failure() {
            return failure;
        }

        /** Records a failure seen from outside (it did not keep up), unless one was seen before. */
        void fail(String why) {
            if (failure == null) {
                failure = "did not keep up during " + phase + ": " + why;
            }
        }

        /** Looks again; returns the failure (the first one seen stays), or null. */
        String check() {
            if (failure != null) {
                return failure;
            }
            String oom = newOutOfMemoryLine();
            if (oom != null) {
                failure = "logged an OutOfMemoryError during " + phase + ": " + oom;
            } else if (!alive(component)) {
                failure = "died during " + phase + "; the end of its log:\n" + stack.tail(component, 15);
            }
            return failure;
        }

        private String newOutOfMemoryLine() {
            Path log = stack.logFile(component);
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                long length = f.length();
                if (length <= logOffset) {
                    return null;
                }
                f.seek(logOffset);
                byte[] bytes = new byte[(int) Math.min(length - logOffset, 64L << 20)];
                f.readFully(bytes);
                String text = new String(bytes, StandardCharsets.UTF_8);
                // Only whole lines: a line being written is read on the next check.
                int lastNewline = text.lastIndexOf('\n');
                if (lastNewline < 0) {
                    return null;
                }
                logOffset += text.substring(0, lastNewline + 1).getBytes(StandardCharsets.UTF_8).length;
                for (String line : text.substring(0, lastNewline).split("\n")) {
                    if (line.contains("OutOfMemoryError")) {
                        return line.strip();
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }
    }
}
