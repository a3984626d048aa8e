package io.assay.cli.bench;

import io.assay.cli.api.ServiceHttp;
import io.assay.cli.stack.Component;
import io.assay.cli.stack.LocalStack;
import io.assay.contracts.Json;
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
import java.util.SplittableRandom;
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
 * an aggregator it starts beside an in-JVM broker. It publishes a history of N reference judgments of M models (P
 * per item, 5 categories, about 1% unparseable) as fast as the producer goes and waits until the aggregator has
 * folded them (printing the time, the aggregator's CPU per judgment while folding, its heap and RSS), then
 * publishes judgments at R per second for S seconds after a warm-up at the same rate, and prints p50/p99/max of
 * the time from a judgment's publication to its being visible over SSE ({@code /leaderboard/stream}), over REST
 * (polled every 10 ms) and in the {@code accuracy} snapshots on {@code assay.leaderboards}. Judgment i counts as
 * visible at the first observation whose {@code judgments} count reaches i (one stream thread folds the three
 * partitions, so the count tracks publication order closely). Then what the snapshot publisher spent per view.
 *
 * <p>With {@code cutoffs} the models are registered first with knowledge cutoffs spread over the history's items,
 * which are published one day apart over 300 days (the measured ones now), so {@code post-cutoff} counts about half
 * the history; after the history three {@code GET}s of that view are timed.
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
     * @param history judgments of history folded first (0: none)
     * @param models the history's models
     * @param perItem models judged on each history item
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
                    || rate < 1
                    || seconds < 1
                    || warmUp.isNegative()) {
                throw new IllegalArgumentException("freshness: history " + history + ", models " + models
                        + ", per item " + perItem + ", rate " + rate + ", seconds " + seconds + ", warm-up "
                        + warmUp);
            }
        }
    }

    /** One channel's figures: publication to visible, over the measured judgments it saw. */
    public record Latency(String channel, int seen, int published, double p50, double p99, double max) {}

    /** What a run measured. */
    public record Result(double rate, List<Latency> latencies) {
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
        int history = options.history();
        String b = "fresh-" + System.currentTimeMillis();
        long[] published = new long[n];
        ConcurrentLinkedQueue<long[]> sse = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<long[]> rest = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<long[]> topic = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        String query = "/api/benchmarks/" + b + "/leaderboard?view=accuracy&stability=0";
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
            producer.send(record(b, -1)).get();
            if (history > 0) {
                foldHistory(producer, b, query);
            }
            if (options.cutoffs()) {
                timePostCutoff(b);
            }
            Thread sseReader = new Thread(() -> subscribe(query, done, sse), "assay-bench-sse");
            sseReader.setDaemon(true);
            sseReader.start();
            Thread poller = new Thread(() -> poll(query, done, rest), "assay-bench-rest");
            poller.setDaemon(true);
            Thread snapshots =
                    new Thread(() -> follow(Keys.leaderboard(b, "accuracy"), done, topic), "assay-bench-topic");
            snapshots.setDaemon(true);
            snapshots.start();
            Thread.sleep(options.settle().toMillis());
            poller.start();

            // A warm-up at the same rate (JIT, caches), not measured
            int warm = (int) (rate * options.warmUp().toMillis() / 1000);
            long warmStart = System.nanoTime();
            for (int i = 0; i < warm; i++) {
                sleepUntil(warmStart + i * (1_000_000_000L / rate));
                producer.send(record(b, n + i));
            }
            producer.flush();
            long warmDeadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (last(rest) < history + warm + 1 && System.nanoTime() < warmDeadline) {
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
                sleepUntil(start + i * periodNanos);
                published[i] = System.nanoTime();
                producer.send(record(b, i));
            }
            producer.flush();
            double publishedS = (System.nanoTime() - start) / 1e9;
            Map<BenchCpu.ThreadId, Long> threadsAfter = BenchCpu.threadTicks(aggregator);
            double ownS = BenchCpu.ownCpuSeconds() - ownBefore;
            double busy = BenchCpu.busyShare(machineBefore, BenchCpu.machineTicks());
            double actualRate = n / publishedS;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long all = history + n + warm + 1;
            while (System.nanoTime() < deadline && (last(sse) < all || last(rest) < all || last(topic) < all)) {
                Thread.sleep(100);
            }
            done.set(true);

            out.printf(
                    Locale.ROOT,
                    "freshness: %,d judgments at %.0f/s (asked %d/s) into the packaged aggregator on top of %,d "
                            + "judgments of history, after %,d of warm-up (%d s); load average %s%n",
                    n,
                    actualRate,
                    rate,
                    history,
                    warm,
                    options.warmUp().toSeconds(),
                    PipelineBench.load());
            List<Latency> latencies = new ArrayList<>();
            latencies.add(print("SSE", published, startWall, history + warm, new ArrayList<>(sse)));
            latencies.add(print("REST", published, startWall, history + warm, new ArrayList<>(rest)));
            latencies.add(print("TOPIC", published, startWall, history + warm, new ArrayList<>(topic)));
            printWindowCpu(publishedS, n, threadsBefore, threadsAfter, ownS, busy);
            printViewCosts(b, costsBefore);
            Result result = new Result(actualRate, latencies);
            out.printf(
                    Locale.ROOT,
                    "Goal (issue 15): freshness p99 < %d ms over SSE and REST at 1,000 judgments/s on 1,000,000 of "
                            + "history: %s (TOPIC: the snapshot publisher's 1 s tick)%n",
                    GOAL_P99.toMillis(),
                    (result.goalMet() ? "met" : "not met")
                            + (history == 1_000_000 && rate == 1000 ? "" : " at these sizes (not the goal's)"));
            out.flush();
            return result;
        } finally {
            done.set(true);
        }
    }

    /**
     * Publishes the history as fast as the producer goes, waits until the aggregator has folded it all, and prints
     * the time it took, the aggregator's CPU while folding (all its threads, and by thread name) and its memory.
     */
    private void foldHistory(KafkaProducer<String, byte[]> producer, String b, String query)
            throws IOException, InterruptedException {
        int history = options.history();
        long start = System.nanoTime();
        double cpuBefore = BenchCpu.cpuSeconds(aggregator);
        Map<BenchCpu.ThreadId, Long> threadsBefore = BenchCpu.threadTicks(aggregator);
        double gcBefore = gcPauseSeconds();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < history; i++) {
            producer.send(historic(b, i, random));
            if ((i + 1) % 100_000 == 0) {
                out.printf(Locale.ROOT, "history: %,d of %,d published%n", i + 1, history);
                out.flush();
            }
        }
        producer.flush();
        double publishS = (System.nanoTime() - start) / 1e9;
        long seen = 0;
        long lastPrint = System.nanoTime();
        while (seen < history + 1) {
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
                        + "aggregator heap used %s, RSS %s; load average %s%n",
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
     * Judgment {@code i} of the history: item {@code h<i / P>}, judged for the P models from 37 × the item on
     * (modulo M), so each model shares items with its neighbours.
     */
    private ProducerRecord<String, byte[]> historic(String b, int i, SplittableRandom random) {
        int perItem = options.perItem();
        int item = i / perItem;
        int model = (int) (((long) item * 37 + i % perItem) % options.models());
        String itemId = "h-" + item;
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("judgmentId", b + "-h" + i);
        j.put("benchmark", b);
        j.put("itemId", itemId);
        j.put("category", "c" + (item % 5));
        if (options.cutoffs()) {
            j.put(
                    "publishedAt",
                    FIRST_DAY
                            .plusDays(item % 300)
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant()
                            .toString());
        }
        j.put("judge", Map.of("id", "reference", "protocol", "reference"));
        j.put("subject", Map.of("modelId", "m" + model));
        j.put("kind", "correct");
        boolean unparseable = random.nextInt(100) == 0;
        if (!unparseable) {
            j.put("correct", random.nextInt(100) < 20 + model * 60.0 / options.models());
        }
        j.put("truncated", false);
        j.put("empty", false);
        j.put("unparseable", unparseable);
        j.put("judgedAt", Instant.now().toString());
        return new ProducerRecord<>(Topics.JUDGMENTS.name(), b + "/" + itemId, Json.writeBytes(j));
    }

    /** Measured (or warm-up) judgment {@code i}: a new item, one of four models. */
    private ProducerRecord<String, byte[]> record(String b, int i) {
        String item = "q-" + (i + 1);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("judgmentId", b + "-" + i);
        j.put("benchmark", b);
        j.put("itemId", item);
        j.put("category", "c" + (i % 3));
        if (options.cutoffs()) {
            j.put("publishedAt", Instant.now().toString());
        }
        j.put("judge", Map.of("id", "reference", "protocol", "reference"));
        j.put("subject", Map.of("modelId", "m" + Math.floorMod(i, Math.min(4, options.models()))));
        j.put("kind", "correct");
        j.put("correct", i % 3 != 0);
        j.put("truncated", false);
        j.put("empty", false);
        j.put("unparseable", false);
        j.put("judgedAt", Instant.now().toString());
        return new ProducerRecord<>(Topics.JUDGMENTS.name(), b + "/" + item, Json.writeBytes(j));
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
    private void timePostCutoff(String b) throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            HttpResponse<String> r = get("/api/benchmarks/" + b + "/leaderboard?view=post-cutoff");
            out.printf(
                    Locale.ROOT,
                    "post-cutoff over REST: HTTP %d in %.1f ms, %,d judgments counted%n",
                    r.statusCode(),
                    (System.nanoTime() - start) / 1e6,
                    r.statusCode() == 200 ? judgments(r.body()) : -1);
        }
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
            // the benchmark's first judgment, its history and the warm-up were published before the clock started
            while (o < observations.size() && observations.get(o)[1] < before + i + 2) {
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
