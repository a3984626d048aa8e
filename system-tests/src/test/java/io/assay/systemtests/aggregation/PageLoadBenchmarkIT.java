package io.assay.systemtests.aggregation;

import io.assay.cli.api.ServiceHttp;
import io.assay.contracts.Json;
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
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The page-load benchmark, not a test: it asserts nothing and runs only when asked
 * ({@code -Dassay.bench=pages}). It fills a benchmark of {@code assay.bench.models} models (default
 * 100) and {@code assay.bench.items} items (default 100,000), each item judged for
 * {@code assay.bench.per-item} of the models (default 10, so 1,000,000 judgments), into the packaged
 * aggregator, then prints the time of every REST call a page makes (the first call of a view computes
 * it, later ones are served from the cache until a judgment arrives) and, where Chromium is installed,
 * the time the browser takes to load each page until its table is drawn.
 *
 * <pre>
 * ./mvnw -o verify -pl system-tests -am -Dit.test=PageLoadBenchmarkIT -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dassay.bench=pages [-Dassay.bench.per-item=100]
 * </pre>
 */
@RequiresBroker
@Tag("bench") // failsafe's "benches" execution: C2 in the test's JVM and its services (system-tests/pom.xml)
class PageLoadBenchmarkIT {
    private static final int PORT = 8080 + 13_000 + 11;
    private static final String[] CATEGORIES = {"arith", "logic", "code", "reading", "planning"};

    private final HttpClient http = ServiceHttp.client();

    @Test
    void pageLoad() throws Exception {
        Assumptions.assumeTrue(
                "pages".equals(System.getProperty("assay.bench")), "a benchmark: run with -Dassay.bench=pages");
        int models = Integer.getInteger("assay.bench.models", 100);
        int items = Integer.getInteger("assay.bench.items", 100_000);
        int perItem = Math.min(models, Integer.getInteger("assay.bench.per-item", 10));
        long total = (long) items * perItem;
        Path repo =
                Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
        Path home = repo.resolve("system-tests/target/pages-bench");
        Files.createDirectories(home);
        String bootstrap = TestBroker.get().bootstrapServers();
        String b = "pages-" + System.currentTimeMillis();

        // Given: the judgments in the ledger before the aggregator starts (a replay, as after an import)
        long t0 = System.nanoTime();
        publish(bootstrap, b, models, items, perItem);
        double publishS = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "pages: %d models × %d items, %d judged per item = %,d judgments published in %.1f s%n",
                models,
                items,
                perItem,
                total,
                publishS);

        // The heap its figures were measured with, when the slot mirror kept every slot in heap (before SlotTallies)
        String heap = System.getProperty("assay.bench.heap", "6g");
        AggregatorProcess agg = new AggregatorProcess(
                        repo, bootstrap, "assay-agg-pages-" + UUID.randomUUID(), home, PORT, List.of("-Xmx" + heap))
                .start();
        System.out.printf(Locale.ROOT, "pages: aggregator heap cap %s (-Dassay.bench.heap)%n", heap);
        try {
            long f0 = System.nanoTime();
            while (folded(agg, b) < total) {
                Thread.sleep(500);
            }
            double foldS = (System.nanoTime() - f0) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "pages: folded in %.1f s from ready (%.0f judgments/s); aggregator heap used: %s%n",
                    foldS,
                    total / foldS,
                    heapMiB(agg));

            // When: every call the pages make, twice (cold: computes; warm: cached)
            String base = "/api/benchmarks/" + b;
            for (String path : new String[] {
                "/api/benchmarks",
                base + "/leaderboard?view=accuracy",
                base + "/leaderboard?view=bt",
                base + "/history?view=accuracy",
                base + "/items?offset=0&limit=50",
                base + "/items?offset=99950&limit=50",
                base + "/models/m007",
                base + "/items/q-50000",
                "/api/status"
            }) {
                double cold = timeGet(agg, path);
                double warm = timeGet(agg, path);
                System.out.printf(Locale.ROOT, "pages: GET %-60s cold %7.1f ms  warm %6.1f ms%n", path, cold, warm);
            }
            PageLoads.print(agg.url(), b, repo.resolve("system-tests/target/screenshots"));
        } finally {
            agg.stop();
        }
    }

    private double timeGet(AggregatorProcess agg, String path) throws Exception {
        long s = System.nanoTime();
        HttpResponse<byte[]> r = http.send(
                HttpRequest.newBuilder(URI.create(agg.url() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        double ms = (System.nanoTime() - s) / 1e6;
        if (r.statusCode() != 200) {
            System.out.printf(
                    Locale.ROOT,
                    "pages: GET %s answered %d: %s%n",
                    path,
                    r.statusCode(),
                    new String(r.body(), StandardCharsets.UTF_8));
        }
        return ms;
    }

    private long folded(AggregatorProcess agg, String b) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(agg.url() + "/api/benchmarks"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return 0;
        }
        for (var node : Json.mapper().readTree(r.body())) {
            if (node.path("benchmark").asText().equals(b)) {
                return node.path("judgments").asLong();
            }
        }
        return 0;
    }

    private String heapMiB(AggregatorProcess agg) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(agg.url() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        double bytes = r.body()
                .lines()
                .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
        return String.format(Locale.ROOT, "%.0f MiB (as sampled, no GC forced)", bytes / (1 << 20));
    }

    /** Model m's chance of a correct answer rises with m, so the ranking is known. */
    private static void publish(String bootstrap, String b, int models, int items, int perItem) throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        String judgedAt = Instant.now().toString();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "1",
                        ProducerConfig.LINGER_MS_CONFIG,
                        20,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        512 * 1024,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 1; i <= items; i++) {
                String item = "q-" + i;
                String category = CATEGORIES[i % CATEGORIES.length];
                for (int k = 0; k < perItem; k++) {
                    int m = (int) (((long) i * 7 + k) % models);
                    boolean correct = random.nextDouble() < 0.3 + 0.6 * m / Math.max(1, models - 1);
                    String model = String.format(Locale.ROOT, "m%03d", m);
                    String json = "{\"judgmentId\":\"" + b + "-" + i + "-" + model + "\",\"benchmark\":\"" + b
                            + "\",\"itemId\":\"" + item + "\",\"category\":\"" + category
                            + "\",\"judge\":{\"id\":\"reference\",\"protocol\":\"reference\"},"
                            + "\"subject\":{\"modelId\":\"" + model + "\"},\"kind\":\"correct\",\"correct\":"
                            + correct + ",\"rationale\":\"expected 42, the answer says "
                            + (correct ? "42" : "41") + "\",\"truncated\":false,\"empty\":false,"
                            + "\"unparseable\":false,\"judgedAt\":\"" + judgedAt + "\"}";
                    producer.send(new ProducerRecord<>(
                            Topics.JUDGMENTS.name(), b + "/" + item, json.getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
    }
}
