package io.assay.systemtests.aggregation;

import io.assay.contracts.Json;
import io.assay.contracts.Keys;
import io.assay.contracts.Topics;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The freshness benchmark, not a test: it asserts nothing and runs only when asked
 * ({@code -Dassay.bench=freshness}). It starts the packaged aggregator as its own process, publishes
 * judgments at {@code assay.bench.rate} per second (default 1,000) for {@code assay.bench.seconds}
 * (default 20) after a 3 s warm-up at the same rate, and prints p50/p99 of the time from a judgment's publication to its being visible
 * over SSE ({@code /leaderboard/stream}), over REST (polled every 10 ms) and in the accuracy snapshots the
 * aggregator publishes to {@code assay.leaderboards} (TOPIC). Judgment i counts as
 * visible at the first observation whose {@code judgments} count reaches i (the aggregator's three
 * partitions are folded by one stream thread, so the count tracks publication order closely).
 *
 * <p>With {@code -Dassay.bench.history=N} the benchmark first gets a history of N reference judgments of
 * 100 models (10 per item, 5 categories, about 1% unparseable), published as fast as the producer goes
 * and folded before the measurement starts; the measured judgments then land on top of it (the same
 * models, new items). It prints how long the history took to fold, and the aggregator's heap and RSS
 * after it. The aggregator's heap cap is {@code -Dassay.bench.xmx} (default 384m, the chart's sizing,
 * or 3g with a history: the figures in the README were measured so, when the slot mirror held every
 * judgment); {@code -Dassay.bench.jvm-args}
 * adds options to its JVM (e.g. {@code -XX:StartFlightRecording=filename=/tmp/agg.jfr} for a profile).
 *
 * <p>With {@code -Dassay.bench.cutoffs=true} the 100 models are registered first with knowledge cutoffs spread over
 * the history's items, which are published one day apart over 300 days (the measured ones now), so the {@code
 * post-cutoff} view the snapshot publisher computes counts about half the history; after the history it times three
 * {@code GET}s of that view. {@code -Dassay.bench.settle-ms} (default 2000) is how long it waits after the history
 * (and before the subscribers start) for the views the publisher computes first.
 *
 * <pre>
 * ./mvnw -o verify -pl system-tests -am -Dit.test=FreshnessBenchmarkIT -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dassay.bench=freshness [-Dassay.bench.history=1000000]
 * </pre>
 */
@RequiresBroker
class FreshnessBenchmarkIT {
    private static final int PORT = 8080 + 13_000 + 10;
    /** Whether the models declare knowledge cutoffs and the items a publication day ({@code assay.bench.cutoffs}). */
    private static final boolean CUTOFFS = Boolean.getBoolean("assay.bench.cutoffs");
    /** The first history item's publication day, and the first model's cutoff. */
    private static final java.time.LocalDate FIRST_DAY = java.time.LocalDate.of(2025, 12, 1);

    @Test
    void freshness() throws Exception {
        Assumptions.assumeTrue(
                "freshness".equals(System.getProperty("assay.bench")), "a benchmark: run with -Dassay.bench=freshness");
        int rate = Integer.getInteger("assay.bench.rate", 1000);
        int seconds = Integer.getInteger("assay.bench.seconds", 20);
        int n = rate * seconds;
        int history = Integer.getInteger("assay.bench.history", 0);
        String xmx = System.getProperty("assay.bench.xmx", history > 0 ? "3g" : "384m");
        Path repo =
                Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
        Path home = repo.resolve("system-tests/target/freshness-bench");
        Files.createDirectories(home);
        String bootstrap = TestBroker.get().bootstrapServers();
        List<String> jvmArgs = new ArrayList<>(List.of("-Xmx" + xmx));
        String extra = System.getProperty("assay.bench.jvm-args", "");
        if (!extra.isBlank()) {
            jvmArgs.addAll(List.of(extra.trim().split("\\s+")));
        }
        AggregatorProcess agg = new AggregatorProcess(
                        repo, bootstrap, "assay-agg-bench-" + UUID.randomUUID(), home, PORT, jvmArgs)
                .start();
        String b = "fresh-" + System.currentTimeMillis();
        HttpClient http = HttpClient.newHttpClient();
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
            // Given: the benchmark exists (one judgment, then its history if asked), an SSE subscriber and a
            // REST poller
            if (CUTOFFS) {
                registerModelsWithCutoffs();
            }
            producer.send(record(b, -1)).get();
            if (history > 0) {
                foldHistory(producer, http, agg, b, history, query);
            }
            if (CUTOFFS) {
                timePostCutoff(http, agg, b);
            }
            Thread sseReader = new Thread(
                    () -> {
                        try {
                            http.send(
                                            HttpRequest.newBuilder(URI.create(agg.url()
                                                            + query.replace("/leaderboard?", "/leaderboard/stream?")))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofLines())
                                    .body()
                                    .takeWhile(line -> !done.get())
                                    .filter(line -> line.startsWith("data:"))
                                    .forEach(line ->
                                            sse.add(new long[] {System.nanoTime(), judgments(line.substring(5))}));
                        } catch (Exception e) {
                            // the benchmark reports what it saw
                        }
                    },
                    "sse");
            sseReader.setDaemon(true);
            sseReader.start();
            Thread poller = new Thread(
                    () -> {
                        while (!done.get()) {
                            try {
                                HttpResponse<String> r = http.send(
                                        HttpRequest.newBuilder(URI.create(agg.url() + query))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                                if (r.statusCode() == 200) {
                                    rest.add(new long[] {System.nanoTime(), judgments(r.body())});
                                }
                                Thread.sleep(10);
                            } catch (Exception e) {
                                return;
                            }
                        }
                    },
                    "rest");
            poller.setDaemon(true);
            Thread snapshots =
                    new Thread(() -> follow(bootstrap, Keys.leaderboard(b, "accuracy"), done, topic), "topic");
            snapshots.setDaemon(true);
            snapshots.start();
            Thread.sleep(Long.getLong("assay.bench.settle-ms", 2000));
            poller.start();

            // And: a 3 s warm-up at the same rate (JIT, caches), not measured
            int warm = rate * 3;
            long warmStart = System.nanoTime();
            for (int i = 0; i < warm; i++) {
                long wait = warmStart + i * (1_000_000_000L / rate) - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                producer.send(record(b, n + i));
            }
            producer.flush();
            while (last(rest) < history + warm + 1) {
                Thread.sleep(50);
            }
            Map<String, double[]> costsBefore = viewCosts(http, agg, b);
            sse.clear();
            rest.clear();
            topic.clear();

            // When: n judgments at the given rate, each stamped when it is handed to the producer
            long start = System.nanoTime();
            long periodNanos = 1_000_000_000L / rate;
            for (int i = 0; i < n; i++) {
                long due = start + i * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                published[i] = System.nanoTime();
                producer.send(record(b, i));
            }
            producer.flush();
            double actualRate = n / ((System.nanoTime() - start) / 1e9);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long all = history + n + warm + 1;
            while (System.nanoTime() < deadline && (last(sse) < all || last(rest) < all || last(topic) < all)) {
                Thread.sleep(100);
            }
            done.set(true);

            // Then: the figures
            System.out.printf(
                    Locale.ROOT,
                    "freshness: %d judgments at %.0f/s (asked %d/s) into the packaged "
                            + "aggregator (separate JVM, -Xmx%s, exactly-once v2, commit.interval.ms 100) on top "
                            + "of %,d judgments of history; load average %s%n",
                    n,
                    actualRate,
                    rate,
                    xmx,
                    history,
                    load());
            print("SSE ", published, history + warm, new ArrayList<>(sse));
            print("REST", published, history + warm, new ArrayList<>(rest));
            print("TOPIC", published, history + warm, new ArrayList<>(topic));
            printViewCosts(http, agg, b, costsBefore);
        } finally {
            done.set(true);
            agg.stop();
        }
    }

    /**
     * Publishes {@code history} judgments of 100 models on benchmark {@code b} as fast as the producer
     * goes, waits until the aggregator has folded them all, and prints the time it took and the
     * aggregator's memory after it.
     */
    private static void foldHistory(
            KafkaProducer<String, byte[]> producer,
            HttpClient http,
            AggregatorProcess agg,
            String b,
            int history,
            String query)
            throws Exception {
        long start = System.nanoTime();
        double cpuBefore = cpuSeconds(agg);
        Map<String, Long> threadsBefore = threadTicks(agg);
        double gcBefore = gcPauseSeconds(http, agg);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < history; i++) {
            producer.send(historic(b, i, random));
            if ((i + 1) % 100_000 == 0) {
                System.out.printf(Locale.ROOT, "history: %,d of %,d published%n", i + 1, history);
            }
        }
        producer.flush();
        double publishS = (System.nanoTime() - start) / 1e9;
        long seen = 0;
        long lastPrint = System.nanoTime();
        while (seen < history + 1) {
            Thread.sleep(500);
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(agg.url() + query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            seen = r.statusCode() == 200 ? judgments(r.body()) : seen;
            if (System.nanoTime() - lastPrint > 10e9) {
                lastPrint = System.nanoTime();
                System.out.printf(Locale.ROOT, "history: %,d folded; load average %s%n", seen, load());
            }
        }
        double foldS = (System.nanoTime() - start) / 1e9;
        double cpuS = cpuSeconds(agg) - cpuBefore;
        Map<String, Long> threadsAfter = threadTicks(agg);
        double gcS = gcPauseSeconds(http, agg) - gcBefore;
        System.out.printf(
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
                heapUsed(http, agg),
                rss(agg),
                load());
        System.out.println("history: the aggregator's CPU while folding, by thread name (15 characters, /proc)"
                + threadCpu(threadsBefore, threadsAfter));
    }

    /** Judgment {@code i} of the history: item {@code h<i/10>}, 10 models per item out of 100. */
    private static ProducerRecord<String, byte[]> historic(String b, int i, SplittableRandom random) {
        int item = i / 10;
        int model = (item * 37 + i % 10) % 100;
        String itemId = "h-" + item;
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("judgmentId", b + "-h" + i);
        j.put("benchmark", b);
        j.put("itemId", itemId);
        j.put("category", "c" + (item % 5));
        if (CUTOFFS) {
            j.put(
                    "publishedAt",
                    FIRST_DAY
                            .plusDays(item % 300)
                            .atStartOfDay(java.time.ZoneOffset.UTC)
                            .toInstant()
                            .toString());
        }
        j.put("judge", Map.of("id", "reference", "protocol", "reference"));
        j.put("subject", Map.of("modelId", "m" + model));
        j.put("kind", "correct");
        boolean unparseable = random.nextInt(100) == 0;
        if (!unparseable) {
            j.put("correct", random.nextInt(100) < 20 + model * 0.6);
        }
        j.put("truncated", false);
        j.put("empty", false);
        j.put("unparseable", unparseable);
        j.put("judgedAt", Instant.now().toString());
        return new ProducerRecord<>(Topics.JUDGMENTS.name(), b + "/" + itemId, Json.writeBytes(j));
    }

    /** Registers models m0 to m99, model k with knowledge cutoff {@link #FIRST_DAY} plus 3k days. */
    private static void registerModelsWithCutoffs() {
        try (io.assay.testing.TestClient client = TestBroker.get().client()) {
            for (int k = 0; k < 100; k++) {
                client.send(
                        Topics.MODELS,
                        "m" + k,
                        Json.read("""
                        {"modelId": "m%d", "provider": "sim", "params": {"temperature": 0.0}, "knowledgeCutoff": "%s",
                         "sim": {"skill": 0.5}, "registeredAt": "2026-11-28T08:00:00Z"}
                        """.formatted(k, FIRST_DAY.plusDays(3L * k)), io.assay.contracts.ModelSpec.class));
            }
        }
        System.out.println("models: m0 to m99 registered with knowledge cutoffs from " + FIRST_DAY + ", 3 days apart");
    }

    /** Times three {@code GET}s of {@code b}'s {@code post-cutoff} view over REST, and prints what they counted. */
    private static void timePostCutoff(HttpClient http, AggregatorProcess agg, String b) throws Exception {
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(
                                    URI.create(agg.url() + "/api/benchmarks/" + b + "/leaderboard?view=post-cutoff"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.printf(
                    Locale.ROOT,
                    "post-cutoff over REST: HTTP %d in %.1f ms, %,d judgments counted%n",
                    r.statusCode(),
                    (System.nanoTime() - start) / 1e6,
                    r.statusCode() == 200 ? judgments(r.body()) : -1);
        }
    }

    /** The aggregator's heap in use now (Micrometer's {@code jvm_memory_used_bytes}, heap areas summed). */
    private static String heapUsed(HttpClient http, AggregatorProcess agg) throws Exception {
        double bytes = sum(http, agg, l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""));
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (1 << 20));
    }

    /**
     * The snapshot publisher's computations of each view of {@code b} so far: count, total seconds and the timer's
     * max (which covers the last minutes only), from {@code assay_aggregator_snapshot_compute_seconds}.
     */
    private static Map<String, double[]> viewCosts(HttpClient http, AggregatorProcess agg, String b) throws Exception {
        Map<String, double[]> views = new java.util.TreeMap<>();
        String prefix = "assay_aggregator_snapshot_compute_seconds_";
        metrics(http, agg)
                .lines()
                .filter(l -> l.startsWith(prefix) && l.contains("benchmark=\"" + b + "\""))
                .forEach(l -> {
                    String stat = l.substring(prefix.length(), l.indexOf('{'));
                    String view = l.replaceAll(".*view=\"([^\"]*)\".*", "$1");
                    double v = value(l);
                    double[] a = views.computeIfAbsent(view, k -> new double[3]);
                    switch (stat) {
                        case "count" -> a[0] = v;
                        case "sum" -> a[1] = v;
                        case "max" -> a[2] = v;
                        default -> {}
                    }
                });
        return views;
    }

    /**
     * The snapshot publisher's computations per view of {@code b}: those in the measured window (since {@code
     * before}) with their mean, and the max over the last minutes (the history's computations included).
     */
    private static void printViewCosts(HttpClient http, AggregatorProcess agg, String b, Map<String, double[]> before)
            throws Exception {
        StringBuilder line = new StringBuilder(
                "snapshot publisher, per view: computations and mean in the measured window; max (last minutes)");
        viewCosts(http, agg, b).forEach((view, a) -> {
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
        System.out.println(line);
    }

    /**
     * The CPU time the aggregator's process has used so far, all threads (user and system, {@code
     * /proc/<pid>/stat} fields 14 and 15, in clock ticks of 1/100 s).
     */
    private static double cpuSeconds(AggregatorProcess agg) throws Exception {
        return ticks(Files.readString(Path.of("/proc/" + agg.pid() + "/stat"))) / 100.0;
    }

    /** User plus system clock ticks of a {@code /proc} {@code stat} line (fields 14 and 15, after the name). */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * The CPU ticks (1/100 s) of each of the aggregator's threads now, keyed by thread id and the name Linux
     * keeps (the first 15 characters of the Java name).
     */
    private static Map<String, Long> threadTicks(AggregatorProcess agg) throws Exception {
        Map<String, Long> byThread = new LinkedHashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + agg.pid() + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    byThread.put(task.getFileName() + " " + name, ticks(stat));
                } catch (java.io.IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return byThread;
    }

    /** The CPU seconds per thread name between two {@link #threadTicks}, the largest first, one line each. */
    private static String threadCpu(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> byName = new java.util.TreeMap<>();
        after.forEach((key, t) ->
                byName.merge(key.substring(key.indexOf(' ') + 1), t - before.getOrDefault(key, 0L), Long::sum));
        StringBuilder out = new StringBuilder();
        byName.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .forEach(e ->
                        out.append(String.format(Locale.ROOT, "%n  %-16s %7.1f s", e.getKey(), e.getValue() / 100.0)));
        return out.toString();
    }

    /** The aggregator's collection pauses so far (Micrometer's {@code jvm_gc_pause_seconds_sum}, summed). */
    private static double gcPauseSeconds(HttpClient http, AggregatorProcess agg) throws Exception {
        return sum(http, agg, l -> l.startsWith("jvm_gc_pause_seconds_sum{"));
    }

    /** The sum of the aggregator's Prometheus samples now whose lines {@code sample} accepts. */
    private static double sum(HttpClient http, AggregatorProcess agg, Predicate<String> sample) throws Exception {
        return metrics(http, agg)
                .lines()
                .filter(sample)
                .mapToDouble(FreshnessBenchmarkIT::value)
                .sum();
    }

    /** The aggregator's {@code /q/metrics} now (Prometheus text). */
    private static String metrics(HttpClient http, AggregatorProcess agg) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(agg.url() + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The value of a Prometheus sample line: its last field. */
    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static String rss(AggregatorProcess agg) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + agg.pid() + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS:"))
                .map(l -> String.format(Locale.ROOT, "%.0f MiB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0))
                .findFirst()
                .orElse("?");
    }

    private static String load() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    /**
     * Follows the published snapshots of {@code key} on {@code assay.leaderboards} (what the judge and
     * the prompt generator read) until {@code done}.
     */
    private static void follow(String bootstrap, String key, AtomicBoolean done, ConcurrentLinkedQueue<long[]> out) {
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
            // the benchmark reports what it saw
        }
    }

    private static long last(ConcurrentLinkedQueue<long[]> q) {
        return q.stream().mapToLong(o -> o[1]).max().orElse(0);
    }

    private static void print(String channel, long[] published, int before, List<long[]> observations) {
        double[] latencies = new double[published.length];
        int seen = 0;
        int o = 0;
        for (int i = 0; i < published.length; i++) {
            // the benchmark's first judgment, its history and the warm-up were published before the clock started
            while (o < observations.size() && observations.get(o)[1] < before + i + 2) {
                o++;
            }
            if (o == observations.size()) {
                break;
            }
            latencies[seen++] = Math.max(0, (observations.get(o)[0] - published[i]) / 1e6);
        }
        double[] l = Arrays.copyOf(latencies, seen);
        Arrays.sort(l);
        if (l.length == 0) {
            System.out.println(channel + ": nothing observed");
            return;
        }
        System.out.printf(
                Locale.ROOT,
                "%s publish → visible: p50 %.0f ms, p99 %.0f ms, max %.0f ms "
                        + "(%d of %d judgments seen, %d observations)%n",
                channel,
                l[(int) (0.50 * (l.length - 1))],
                l[(int) (0.99 * (l.length - 1))],
                l[l.length - 1],
                l.length,
                published.length,
                observations.size());
    }

    private static long judgments(String json) {
        try {
            return Json.mapper().readTree(json).get("judgments").asLong();
        } catch (Exception e) {
            return 0;
        }
    }

    private static ProducerRecord<String, byte[]> record(String b, int i) {
        String item = "q-" + (i + 1);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("judgmentId", b + "-" + i);
        j.put("benchmark", b);
        j.put("itemId", item);
        j.put("category", "c" + (i % 3));
        if (CUTOFFS) {
            j.put("publishedAt", Instant.now().toString());
        }
        j.put("judge", Map.of("id", "reference", "protocol", "reference"));
        j.put("subject", Map.of("modelId", "m" + (i % 4)));
        j.put("kind", "correct");
        j.put("correct", i % 3 != 0);
        j.put("truncated", false);
        j.put("empty", false);
        j.put("unparseable", false);
        j.put("judgedAt", Instant.now().toString());
        return new ProducerRecord<>(Topics.JUDGMENTS.name(), b + "/" + item, Json.writeBytes(j));
    }
}
