package io.assay.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.cli.api.ServiceHttp;
import io.assay.cli.stack.Component;
import io.assay.cli.stack.LocalStack;
import io.assay.contracts.Json;
import io.assay.contracts.Judgment;
import io.assay.contracts.Keys;
import io.assay.contracts.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Freshness on a long history, through a packaged aggregator that is already running (its own process, on a real
 * broker): {@code assay bench views --freshness} runs it on a fresh local stack, {@code FreshnessBenchmarkIT} on
 * an aggregator it starts beside an in-JVM broker. It publishes a history of N judgments of M models (P per item,
 * C categories, about 1% unparseable; of a {@link ViewsBench.Kind}: the {@link SyntheticHistory} that {@code assay
 * bench views} folds in-process) as fast as the producer goes and waits until the aggregator has folded them
 * (printing the time, the aggregator's CPU per judgment while folding, its heap and RSS), then publishes the
 * history's next judgments (new items, judged now) at R per second for S seconds after a warm-up at the same rate,
 * and prints p50/p99/max of the time from a judgment's publication to its being visible over SSE ({@code
 * /leaderboard/stream}), over REST (polled every 10 ms) and in the snapshots on {@code assay.leaderboards}, of the
 * kind's streamed view ({@link #streamedView}). Judgment i counts as visible at the first observation whose {@code
 * judgments} count reaches i (one stream thread folds the three partitions, so the count tracks publication order
 * closely). Then what the snapshot publisher spent per view.
 *
 * <p>The snapshot publisher computes every view of the benchmark as it changes, so the window holds its computations
 * from the history's slots too ({@code lc-winrate} of preferences, its fits made from scratch after the history: its
 * time is in the publisher's figures). After the window three {@code GET}s of such views are timed over REST. With
 * {@code cutoffs} the models are registered first with knowledge cutoffs spread over the history's items, which are
 * published one day apart over 300 days (the measured ones now), so {@code post-cutoff} counts about half the
 * history, and that view is timed likewise.
 */
public final class FreshnessBench {
    /** Issue 15's goal for the p99 at 1,000 judgments/s on a history of 1,000,000. */
    public static final Duration GOAL_P99 = Duration.ofMillis(500);

    private static final LocalDate FIRST_DAY = LocalDate.of(2025, 12, 1);

    private final Options options;
    private final String bootstrap;
    private final String url;
    private final ProcessHandle aggregator;
    private final PrintWriter out;
    private final HttpClient http = ServiceHttp.client();

    /**
     * What to measure.
     *
     * @param history judgments of history folded first (0: only the one that makes the benchmark)
     * @param models the history's models
     * @param perItem models judged on each history item
     * @param categories the items' categories
     * @param seed the seed of the verdicts
     * @param kind the verdicts' kind
     * @param rate judgments per second measured
     * @param seconds how long the measured judgments are published
     * @param cutoffs whether the models declare knowledge cutoffs and the items publication days
     * @param settle how long to wait after the history, before the subscribers start (for the publisher's first
     *     computations)
     * @param warmUp how long judgments are published at the rate before the measured ones, with every reader
     *     running: the code of the REST, SSE and snapshot paths is compiled then, not in the measured window
     */
    public record Options(
            int history,
            int models,
            int perItem,
            int categories,
            long seed,
            ViewsBench.Kind kind,
            int rate,
            int seconds,
            boolean cutoffs,
            Duration settle,
            Duration warmUp) {
        /** Checks the sizes. */
        public Options {
            if (history < 0
                    || models < 1
                    || perItem < 1
                    || perItem > models
                    || categories < 1
                    || rate < 1
                    || seconds < 1
                    || warmUp.isNegative()) {
                throw new IllegalArgumentException("freshness: history " + history + ", models " + models
                        + ", per item " + perItem + ", categories " + categories + ", rate " + rate + ", seconds "
                        + seconds + ", warm-up "
                        + warmUp);
            }
        }
    }

    /** One channel's figures: publication to visible, over the measured judgments it saw. */
    public record Latency(String channel, int seen, int published, double p50, double p99, double max) {}

    /** One {@code GET} of a view timed after the window: its status and how long it took. */
    public record Timed(String view, int status, double millis) {}

    /** What a run measured: the rate, each channel's latencies, the views timed after the window. */
    public record Result(double rate, List<Latency> latencies, List<Timed> timed) {
        /**
         * Whether SSE and REST, where a reader sees the leaderboard, saw every measured judgment with a p99 under
         * {@link #GOAL_P99}. The snapshots on {@code assay.leaderboards} (TOPIC) are published on the publisher's
         * one-second tick, so their latency is that tick's and not the goal's.
         */
        public boolean goalMet() {
            return latencies.stream()
                    .filter(l -> !l.channel().equals("TOPIC"))
                    .allMatch(l -> l.seen() == l.published() && l.p99() < GOAL_P99.toMillis());
        }
    }

    /**
     * @param options what to measure
     * @param bootstrap the broker the aggregator reads
     * @param url the aggregator's base URL
     * @param pid the aggregator's process (its CPU, threads and RSS are read from {@code /proc})
     * @param out where the figures go
     */
    public FreshnessBench(Options options, String bootstrap, String url, long pid, PrintWriter out) {
        this.options = options;
        this.bootstrap = bootstrap;
        this.url = url;
        this.aggregator =
                ProcessHandle.of(pid).orElseThrow(() -> new IllegalArgumentException("freshness: no process " + pid));
        this.out = out;
    }

    /**
     * Starts {@code stack} fresh, runs the bench on its aggregator, stops the stack (also when interrupted).
     *
     * @return the figures
     */
    public static Result onFreshStack(LocalStack stack, Options options, PrintWriter out) throws InterruptedException {
        return FreshStack.around(stack, out, () -> {
            long pid = stack.process(Component.AGGREGATOR)
                    .orElseThrow(() -> new IllegalStateException("the aggregator is not running"))
                    .pid();
            out.println("freshness: the packaged aggregator of the stack (-Xmx384m, serial GC, exactly-once v2, "
                    + "commit.interval.ms 100) on the stack's broker");
            return new FreshnessBench(options, stack.bootstrapServers(), stack.url(Component.AGGREGATOR), pid, out)
                    .run();
        });
    }

    /** Folds the history, measures, prints; returns the figures. */
    public Result run() throws InterruptedException {
        try {
            return measure();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("freshness: a publication failed: " + e.getCause(), e.getCause());
        }
    }

    private Result measure() throws IOException, InterruptedException, ExecutionException {
        int rate = options.rate();
        int n = rate * options.seconds();
        // Judgments 0 .. first - 1 are the history (the first alone makes the benchmark), then the warm-up's, then
        // the measured ones: each the history's next.
        int first = Math.max(1, options.history());
        String b = "fresh-" + System.currentTimeMillis();
        SyntheticHistory verdicts = new SyntheticHistory(
                b, options.models(), options.perItem(), options.categories(), options.seed(), options.kind());
        String view = streamedView(options.kind());
        long[] published = new long[n];
        ConcurrentLinkedQueue<long[]> sse = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<long[]> rest = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<long[]> topic = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        String query = "/api/benchmarks/" + b + "/leaderboard?view=" + view + "&stability=0";
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        0),
                new StringSerializer(),
                new ByteArraySerializer())) {
            // The benchmark exists (one judgment, then its history), an SSE subscriber, a REST poller, a follower
            if (options.cutoffs()) {
                registerModelsWithCutoffs(producer);
            }
            producer.send(historic(verdicts, 0)).get();
            if (first > 1) {
                foldHistory(producer, verdicts, first, query);
            }
            Thread sseReader = new Thread(() -> subscribe(query, done, sse), "assay-bench-sse");
            sseReader.setDaemon(true);
            sseReader.start();
            Thread poller = new Thread(() -> poll(query, done, rest), "assay-bench-rest");
            poller.setDaemon(true);
            Thread snapshots = new Thread(() -> follow(Keys.leaderboard(b, view), done, topic), "assay-bench-topic");
            snapshots.setDaemon(true);
            snapshots.start();
            Thread.sleep(options.settle().toMillis());
            poller.start();

            // A warm-up at the same rate (JIT, caches), not measured
            int warm = (int) (rate * options.warmUp().toMillis() / 1000);
            long warmStart = System.nanoTime();
            for (int i = 0; i < warm; i++) {
                sleepUntil(warmStart + i * (1_000_000_000L / rate));
                producer.send(live(verdicts.judgment(first + i)));
            }
            producer.flush();
            long warmDeadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (last(rest) < first + warm && System.nanoTime() < warmDeadline) {
                Thread.sleep(50);
            }
            Map<String, double[]> costsBefore = viewCosts(b);
            sse.clear();
            rest.clear();
            topic.clear();

            // The measured judgments, each stamped when it is handed to the producer
            Map<BenchCpu.ThreadId, Long> threadsBefore = BenchCpu.threadTicks(aggregator);
            double ownBefore = BenchCpu.ownCpuSeconds();
            long[] machineBefore = BenchCpu.machineTicks();
            Instant startWall = Instant.now();
            long start = System.nanoTime();
            long periodNanos = 1_000_000_000L / rate;
            for (int i = 0; i < n; i++) {
                // Made before its turn: the clock starts when it is handed to the producer.
                ProducerRecord<String, byte[]> next = live(verdicts.judgment(first + warm + i));
                sleepUntil(start + i * periodNanos);
                published[i] = System.nanoTime();
                producer.send(next);
            }
            producer.flush();
            double publishedS = (System.nanoTime() - start) / 1e9;
            Map<BenchCpu.ThreadId, Long> threadsAfter = BenchCpu.threadTicks(aggregator);
            double ownS = BenchCpu.ownCpuSeconds() - ownBefore;
            double busy = BenchCpu.busyShare(machineBefore, BenchCpu.machineTicks());
            double actualRate = n / publishedS;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long all = first + warm + n;
            while (System.nanoTime() < deadline && (last(sse) < all || last(rest) < all || last(topic) < all)) {
                Thread.sleep(100);
            }
            done.set(true);

            out.printf(
                    Locale.ROOT,
                    "freshness: %,d %s judgments at %.0f/s (asked %d/s) into the packaged aggregator on top of %,d "
                            + "judgments of history, after %,d of warm-up (%d s), seen in the %s view; load average %s%n",
                    n,
                    options.kind().label(),
                    actualRate,
                    rate,
                    first,
                    warm,
                    options.warmUp().toSeconds(),
                    view,
                    PipelineBench.load());
            List<Latency> latencies = new ArrayList<>();
            latencies.add(print("SSE", published, startWall, first + warm, new ArrayList<>(sse)));
            latencies.add(print("REST", published, startWall, first + warm, new ArrayList<>(rest)));
            latencies.add(print("TOPIC", published, startWall, first + warm, new ArrayList<>(topic)));
            printWindowCpu(publishedS, n, threadsBefore, threadsAfter, ownS, busy);
            printViewCosts(b, costsBefore);
            List<Timed> timed = new ArrayList<>();
            for (String slow : timedViews()) {
                timed.addAll(time(b, slow));
            }
            Result result = new Result(actualRate, latencies, timed);
            out.printf(
                    Locale.ROOT,
                    "Goal (issue 15): freshness p99 < %d ms over SSE and REST at 1,000 judgments/s on 1,000,000 of "
                            + "history: %s (TOPIC: the snapshot publisher's 1 s tick)%n",
                    GOAL_P99.toMillis(),
                    (result.goalMet() ? "met" : "not met")
                            + (first == 1_000_000 && rate == 1000 ? "" : " at these sizes (not the goal's)"));
            out.flush();
            return result;
        } finally {
            done.set(true);
        }
    }

    /**
     * Publishes the history after its first judgment (already folded) as fast as the producer goes, waits until the
     * aggregator has folded it all, and prints the time it took, the aggregator's CPU while folding (all its threads,
     * and by thread name) and its memory.
     */
    private void foldHistory(
            KafkaProducer<String, byte[]> producer, SyntheticHistory verdicts, int history, String query)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        double cpuBefore = BenchCpu.cpuSeconds(aggregator);
        Map<BenchCpu.ThreadId, Long> threadsBefore = BenchCpu.threadTicks(aggregator);
        double gcBefore = gcPauseSeconds();
        for (int i = 1; i < history; i++) {
            producer.send(historic(verdicts, i));
            if ((i + 1) % 100_000 == 0) {
                out.printf(Locale.ROOT, "history: %,d of %,d published%n", i + 1, history);
                out.flush();
            }
        }
        producer.flush();
        double publishS = (System.nanoTime() - start) / 1e9;
        long seen = 0;
        long lastPrint = System.nanoTime();
        while (seen < history) {
            Thread.sleep(500);
            HttpResponse<String> r = get(query);
            seen = r.statusCode() == 200 ? judgments(r.body()) : seen;
            if (System.nanoTime() - lastPrint > 10e9) {
                lastPrint = System.nanoTime();
                out.printf(Locale.ROOT, "history: %,d folded; load average %s%n", seen, PipelineBench.load());
                out.flush();
            }
        }
        double foldS = (System.nanoTime() - start) / 1e9;
        double cpuS = BenchCpu.cpuSeconds(aggregator) - cpuBefore;
        Map<BenchCpu.ThreadId, Long> threadsAfter = BenchCpu.threadTicks(aggregator);
        double gcS = gcPauseSeconds() - gcBefore;
        out.printf(
                Locale.ROOT,
                "history: %,d judgments published in %.1f s, folded in %.1f s (%.0f/s, publication included); "
                        + "aggregator CPU %.1f s (%.0f us per judgment, all its threads), GC pauses %.1f s; "
                        + "aggregator heap used %s (as sampled, garbage included: not what it keeps), RSS %s; "
                        + "load average %s%n",
                history,
                publishS,
                foldS,
                history / foldS,
                cpuS,
                1e6 * cpuS / history,
                gcS,
                heapUsed(),
                rss(),
                PipelineBench.load());
        out.println("history: the aggregator's CPU while folding, by thread name (15 characters, /proc)"
                + threadCpu(threadsBefore, threadsAfter));
        out.flush();
    }

    /**
     * A judgment of the history as published: with {@code cutoffs}, its item published on day {@code item mod 300}
     * after {@link #FIRST_DAY}.
     */
    private ProducerRecord<String, byte[]> historic(SyntheticHistory verdicts, int i) {
        Judgment j = verdicts.judgment(i);
        ObjectNode event = Json.mapper().valueToTree(j);
        if (options.cutoffs()) {
            int item = verdicts.item(i);
            event.put(
                    "publishedAt",
                    FIRST_DAY
                            .plusDays(item % 300)
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant()
                            .toString());
        }
        return new ProducerRecord<>(Topics.JUDGMENTS.name(), j.key(), Json.writeBytes(event));
    }

    /** A measured (or warm-up) judgment: made by the pipeline now, of an item published now. */
    private static ProducerRecord<String, byte[]> live(Judgment j) {
        ObjectNode event = Json.mapper().valueToTree(j);
        String now = Instant.now().toString();
        event.put("publishedAt", now);
        event.put("judgedAt", now);
        event.remove("origin");
        return new ProducerRecord<>(Topics.JUDGMENTS.name(), j.key(), Json.writeBytes(event));
    }

    /**
     * The view a kind's judgments are seen in: the one the reader keeps counted as they are folded (tallied or
     * streamed), whose {@code judgments} count every slot of the benchmark.
     */
    static String streamedView(ViewsBench.Kind kind) {
        return switch (kind) {
            case REFERENCE, CHOICES -> "accuracy";
            case SCORES -> "score";
            case PAIRWISE -> "wb-reward";
            case PREFERENCES -> "winrate";
        };
    }

    /** Registers the models, model k with knowledge cutoff {@link #FIRST_DAY} plus 3k days. */
    private void registerModelsWithCutoffs(KafkaProducer<String, byte[]> producer)
            throws InterruptedException, ExecutionException {
        for (int k = 0; k < options.models(); k++) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("modelId", "m" + k);
            spec.put("provider", "sim");
            spec.put("params", Map.of("temperature", 0.0));
            spec.put("knowledgeCutoff", FIRST_DAY.plusDays(3L * k).toString());
            spec.put("sim", Map.of("skill", 0.5));
            spec.put("registeredAt", "2026-11-28T08:00:00Z");
            producer.send(new ProducerRecord<>(Topics.MODELS.name(), "m" + k, Json.writeBytes(spec)));
        }
        producer.flush();
        out.printf(
                "models: m0 to m%d registered with knowledge cutoffs from %s, 3 days apart%n",
                options.models() - 1, FIRST_DAY);
    }

    /** Times three {@code GET}s of {@code b}'s {@code post-cutoff} view over REST, and prints what they counted. */
    /**
     * The views timed after the window: {@code lc-winrate} over preferences (the reader computes it from every
     * slot; a view above the slot path's limit answers 422 at once) and, with cutoffs, {@code post-cutoff} of the
     * kind's streamed view.
     */
    private List<String> timedViews() {
        List<String> views = new ArrayList<>();
        if (options.kind() == ViewsBench.Kind.PREFERENCES) {
            views.add("lc-winrate");
        }
        if (options.cutoffs()) {
            views.add("post-cutoff&of=" + streamedView(options.kind()));
        }
        return views;
    }

    /**
     * Three {@code GET}s of {@code view} over REST, each timed: the first computes it (or waits for the publisher's
     * computation of it), the others read it kept.
     */
    private List<Timed> time(String b, String view) throws IOException, InterruptedException {
        List<Timed> timed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            HttpResponse<String> r = get("/api/benchmarks/" + b + "/leaderboard?view=" + view);
            double ms = (System.nanoTime() - start) / 1e6;
            out.printf(
                    Locale.ROOT,
                    "%s over REST: HTTP %d in %s, %s%n",
                    view,
                    r.statusCode(),
                    ms >= 10_000
                            ? String.format(Locale.ROOT, "%.1f s", ms / 1e3)
                            : String.format(Locale.ROOT, "%.1f ms", ms),
                    r.statusCode() == 200
                            ? String.format(Locale.ROOT, "%,d judgments counted", judgments(r.body()))
                            : message(r.body()));
            out.flush();
            timed.add(new Timed(view, r.statusCode(), ms));
        }
        return timed;
    }

    private void subscribe(String query, AtomicBoolean done, ConcurrentLinkedQueue<long[]> sse) {
        try {
            http.send(
                            HttpRequest.newBuilder(
                                            URI.create(url + query.replace("/leaderboard?", "/leaderboard/stream?")))
                                    .build(),
                            HttpResponse.BodyHandlers.ofLines())
                    .body()
                    .takeWhile(line -> !done.get())
                    .filter(line -> line.startsWith("data:"))
                    .forEach(line -> sse.add(new long[] {System.nanoTime(), judgments(line.substring(5))}));
        } catch (IOException | UncheckedIOException | InterruptedException e) {
            // the stream ended (the stack stopped): the bench prints what it saw
        }
    }

    private void poll(String query, AtomicBoolean done, ConcurrentLinkedQueue<long[]> rest) {
        while (!done.get()) {
            try {
                HttpResponse<String> r = get(query);
                if (r.statusCode() == 200) {
                    rest.add(new long[] {System.nanoTime(), judgments(r.body())});
                }
                Thread.sleep(10);
            } catch (IOException | InterruptedException e) {
                return;
            }
        }
    }

    /** Follows the published snapshots of {@code key} on {@code assay.leaderboards} until {@code done}. */
    private void follow(String key, AtomicBoolean done, ConcurrentLinkedQueue<long[]> out) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "latest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.LEADERBOARDS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (!done.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    if (key.equals(r.key())) {
                        out.add(new long[] {System.nanoTime(), judgments(new String(r.value(), StandardCharsets.UTF_8))
                        });
                    }
                }
            }
        } catch (RuntimeException e) {
            // the bench prints what it saw
        }
    }

    /**
     * Prints and returns one channel's latencies: measured judgment i is seen at the first count past it. The
     * slowest judgment's publication time is printed too (UTC, to the millisecond), to find its stall in the
     * services' logs.
     */
    private Latency print(String channel, long[] published, Instant startWall, int before, List<long[]> observations) {
        double[] latencies = new double[published.length];
        int seen = 0;
        int o = 0;
        int slowest = 0;
        for (int i = 0; i < published.length; i++) {
            // the history (its first judgment made the benchmark) and the warm-up were published before the clock
            while (o < observations.size() && observations.get(o)[1] < before + i + 1) {
                o++;
            }
            if (o == observations.size()) {
                break;
            }
            latencies[seen] = Math.max(0, (observations.get(o)[0] - published[i]) / 1e6);
            slowest = latencies[seen] > latencies[slowest] ? seen : slowest;
            seen++;
        }
        double[] l = Arrays.copyOf(latencies, seen);
        Arrays.sort(l);
        if (l.length == 0) {
            out.printf("%-5s nothing observed (%d observations)%n", channel, observations.size());
            return new Latency(channel, 0, published.length, Double.NaN, Double.NaN, Double.NaN);
        }
        Latency latency = new Latency(
                channel,
                l.length,
                published.length,
                l[(int) (0.50 * (l.length - 1))],
                l[(int) (0.99 * (l.length - 1))],
                l[l.length - 1]);
        out.printf(
                Locale.ROOT,
                "%-5s publish -> visible: p50 %.0f ms, p99 %.0f ms, max %.0f ms (for the judgment published at %s "
                        + "UTC, %.1f s into the window; %,d of %,d judgments seen, %,d observations)%n",
                channel,
                latency.p50(),
                latency.p99(),
                latency.max(),
                startWall
                        .plusNanos(published[slowest] - published[0])
                        .atOffset(ZoneOffset.UTC)
                        .format(DateTimeFormatter.ofPattern("HH:mm:ss.SSS")),
                (published[slowest] - published[0]) / 1e9,
                latency.seen(),
                latency.published(),
                observations.size());
        return latency;
    }

    /**
     * The snapshot publisher's computations of each view of {@code b} so far: count, total seconds and the timer's
     * max (which covers the last minutes only), from {@code assay_aggregator_snapshot_compute_seconds}.
     */
    private Map<String, double[]> viewCosts(String b) throws IOException, InterruptedException {
        Map<String, double[]> views = new TreeMap<>();
        String prefix = "assay_aggregator_snapshot_compute_seconds_";
        metrics()
                .lines()
                .filter(l -> l.startsWith(prefix) && l.contains("benchmark=\"" + b + "\""))
                .forEach(l -> {
                    String stat = l.substring(prefix.length(), l.indexOf('{'));
                    String view = l.replaceAll(".*view=\"([^\"]*)\".*", "$1");
                    double[] a = views.computeIfAbsent(view, k -> new double[3]);
                    switch (stat) {
                        case "count" -> a[0] = PrometheusText.value(l);
                        case "sum" -> a[1] = PrometheusText.value(l);
                        case "max" -> a[2] = PrometheusText.value(l);
                        default -> {}
                    }
                });
        return views;
    }

    /** Per view: the publisher's computations in the measured window and their mean, and the recent max. */
    private void printViewCosts(String b, Map<String, double[]> before) throws IOException, InterruptedException {
        StringBuilder line = new StringBuilder(
                "snapshot publisher, per view: computations and mean in the measured window; max (last minutes)");
        viewCosts(b).forEach((view, a) -> {
            double[] was = before.getOrDefault(view, new double[3]);
            double n = a[0] - was[0];
            line.append(String.format(
                    Locale.ROOT,
                    "%n  %-16s %5.0f %9.1f ms %9.1f ms",
                    view,
                    n,
                    n > 0 ? 1000 * (a[1] - was[1]) / n : Double.NaN,
                    1000 * a[2]));
        });
        out.println(line);
    }

    /**
     * Prints where the CPU went while the measured judgments were published: the aggregator's (all its threads, and
     * by thread name), this JVM's (the publisher, the SSE reader, the REST poller and the snapshot follower: the
     * bench's own load on the machine, and in the IT the broker's too) and the machine's cores.
     */
    private void printWindowCpu(
            double seconds,
            int n,
            Map<BenchCpu.ThreadId, Long> before,
            Map<BenchCpu.ThreadId, Long> after,
            double ownS,
            double busy) {
        long ticks = after.entrySet().stream()
                .mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L))
                .sum();
        double aggregatorS = ticks / BenchCpu.TICKS_PER_SECOND;
        out.printf(
                Locale.ROOT,
                "window (the %.1f s of publication): aggregator CPU %.1f s (%.0f%% of a core, %.0f us a judgment); "
                        + "this bench's JVM %.1f s (%.0f%%); the machine's cores %.0f%% busy. The aggregator's by "
                        + "thread name (15 characters, /proc):%s%n",
                seconds,
                aggregatorS,
                100 * aggregatorS / seconds,
                1e6 * aggregatorS / n,
                ownS,
                100 * ownS / seconds,
                100 * busy,
                threadCpu(before, after));
    }

    /** The CPU seconds per thread name between two {@link BenchCpu#threadTicks}, the largest first, one line each. */
    private static String threadCpu(Map<BenchCpu.ThreadId, Long> before, Map<BenchCpu.ThreadId, Long> after) {
        Map<String, Long> byName = new TreeMap<>();
        after.forEach((thread, t) -> byName.merge(thread.name(), t - before.getOrDefault(thread, 0L), Long::sum));
        StringBuilder text = new StringBuilder();
        byName.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .forEach(e -> text.append(String.format(
                        Locale.ROOT, "%n  %-16s %7.1f s", e.getKey(), e.getValue() / BenchCpu.TICKS_PER_SECOND)));
        return text.toString();
    }

    private double gcPauseSeconds() throws IOException, InterruptedException {
        return PrometheusText.total(metrics(), "jvm_gc_pause_seconds_sum{");
    }

    private String heapUsed() throws IOException, InterruptedException {
        double bytes = PrometheusText.total(metrics(), "jvm_memory_used_bytes{", "area=\"heap\"");
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (1 << 20));
    }

    private String metrics() throws IOException, InterruptedException {
        return get("/q/metrics").body();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String rss() throws IOException {
        long bytes =
                HeapReading.rssBytes(Files.readString(Path.of("/proc", Long.toString(aggregator.pid()), "status")));
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1 << 20));
    }

    private static long last(ConcurrentLinkedQueue<long[]> q) {
        return q.stream().mapToLong(o -> o[1]).max().orElse(0);
    }

    /** An error answer's {@code message}, else its body. */
    private static String message(String json) {
        try {
            return Json.mapper().readTree(json).path("message").asText(json);
        } catch (IOException | RuntimeException e) {
            return json;
        }
    }

    private static long judgments(String json) {
        try {
            return Json.mapper().readTree(json).get("judgments").asLong();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static void sleepUntil(long due) throws InterruptedException {
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
