package io.assay.systemtests.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.cli.DemoSetup;
import io.assay.cli.api.ServiceHttp;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.kafka.Publisher;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.CloudEvents;
import io.assay.contracts.Json;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Protocol;
import io.assay.contracts.Provider;
import io.assay.contracts.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark the process-level fault tests run (the fault suite, the replicas test): the demo's four
 * simulated models with a cutoff and a previous version, a simulated LLM judge, the demo's benchmark
 * with every judging protocol; fed item by item at a steady rate from one {@link ItemGenerator} seed,
 * so two runs get the same items; read back as every view of the aggregator, compared without what is
 * defined over ledger order or the clock ({@link #comparable(String, JsonNode)}).
 *
 * <p>Two runs are comparable only under the same benchmark name: the simulated models and judges are
 * deterministic per (seed, model, benchmark, item, variant) and per judge request id (which hashes the
 * benchmark too).
 */
public final class DemoBenchmark {
    /** How long a view, a drain or a recovery is waited for. */
    public static final Duration PATIENCE = Duration.ofSeconds(240);

    private static final String JUDGE_MODEL = "flt-judge";
    private static final String BASELINE = "sim-charlie";

    private final String benchmark;
    private final String source;
    private final HttpClient http = ServiceHttp.client(Duration.ofSeconds(2));

    /**
     * @param benchmark the benchmark's name
     * @param source the CloudEvents source of the items fed (e.g. {@code /assay/fault-suite})
     */
    public DemoBenchmark(String benchmark, String source) {
        this.benchmark = benchmark;
        this.source = source;
    }

    /** What the feed does while it runs (the faults). */
    public interface DuringFeed {
        void run(AtomicLong fed, StageOutputs outputs) throws Exception;
    }

    /** Registers the models (the demo's four, with a cutoff and a previous version) and the benchmark. */
    public void register(String bootstrapServers) {
        LocalDate cutoff = LocalDate.of(2024, 1, 1);
        List<ModelSpec> models = new ArrayList<>();
        for (ModelSpec m : DemoSetup.models(Instant.now())) {
            models.add(new ModelSpec(
                    m.modelId(),
                    m.displayName(),
                    m.provider(),
                    m.baseUrl(),
                    m.providerModel(),
                    m.credentialEnv(),
                    m.params(),
                    cutoff,
                    m.modelId().equals("sim-alpha") ? "sim-bravo" : null,
                    m.price(),
                    m.limits(),
                    m.benchmarks(),
                    m.sim(),
                    m.registeredAt()));
        }
        models.add(new ModelSpec(
                JUDGE_MODEL,
                "Simulated judge",
                Provider.SIM,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new ModelSpec.Limits(32, null, null),
                List.of("judges-only"),
                new ModelSpec.SimSpec(0.0, 50, 1, 0.02, 404L, null, null, 1.0, 0.5, 0.5),
                Instant.now()));
        BenchmarkSpec demo = DemoSetup.benchmark(benchmark, Instant.now());
        BenchmarkSpec spec = new BenchmarkSpec(
                benchmark,
                demo.description(),
                demo.templates(),
                demo.samplesPerItem(),
                demo.shuffleChoices(),
                List.of(
                        JudgeSpec.REFERENCE_AUTO,
                        new JudgeSpec("wb-score", Protocol.SCORE, null, null, JUDGE_MODEL, null, null, null, null),
                        new JudgeSpec(
                                "wb-reward",
                                Protocol.PAIRWISE,
                                null,
                                null,
                                JUDGE_MODEL,
                                null,
                                List.of(BASELINE),
                                500,
                                false),
                        new JudgeSpec(
                                "alpaca",
                                Protocol.PREFERENCE,
                                null,
                                null,
                                JUDGE_MODEL,
                                null,
                                List.of(BASELINE),
                                null,
                                false)),
                demo.categoryWeights(),
                List.of(BASELINE),
                demo.updatedAt());
        try (Publisher publisher = new Publisher(bootstrapServers)) {
            models.forEach(m -> publisher.send(Topics.MODELS, m.modelId(), m));
            publisher.send(Topics.BENCHMARKS, benchmark, spec);
            publisher.flush();
        }
    }

    /**
     * Feeds items at {@code rate} per second: {@code count} of them, or with {@code count} 0 as many as
     * the feed lasts while {@code during} runs; returns how many were fed. The producer waits out a
     * broker restart (2 minutes to block or deliver) where the cli's {@code Publisher} gives up after
     * 15 s, so no item is lost by the test itself.
     */
    public long feed(String bootstrapServers, double rate, long count, DuringFeed during) throws Exception {
        AtomicLong fed = new AtomicLong();
        ItemGenerator generator = new ItemGenerator(benchmark, 12);
        Instant publishedAt = Instant.now();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                                ProducerConfig.ACKS_CONFIG, "all",
                                ProducerConfig.LINGER_MS_CONFIG, 5,
                                ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000,
                                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000),
                        new StringSerializer(),
                        new ByteArraySerializer());
                StageOutputs outputs = new StageOutputs(bootstrapServers, benchmark)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Exception> lost = new AtomicReference<>();
            CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
                long t0 = System.nanoTime();
                for (long i = 0; (count == 0 && !stop.get()) || i < count; i++) {
                    long wait = t0 + (long) (i * 1e9 / rate) - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    BenchmarkItem item = generator.item(i, publishedAt);
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                            Topics.ITEMS.name(),
                            null,
                            item.key(),
                            Json.writeBytes(item),
                            CloudEvents.headers(Topics.ITEMS.type(), item.key() + "/" + i, source));
                    producer.send(record, (metadata, error) -> {
                        if (error != null) {
                            lost.compareAndSet(null, error);
                        }
                    });
                    fed.set(i + 1);
                }
                producer.flush();
            });
            if (during != null) {
                try {
                    during.run(fed, outputs);
                } finally {
                    stop.set(true);
                }
            }
            feeding.get();
            if (lost.get() != null) {
                throw new IllegalStateException("the test's feed lost an item", lost.get());
            }
        }
        return fed.get();
    }

    /** Waits until every group has read everything and the views hold still; returns them. */
    public Map<String, JsonNode> awaitDrained(String bootstrapServers, String aggregator, long items) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Map<String, JsonNode> last = Map.of();
        while (System.nanoTime() < deadline) {
            if (judgmentsOnBoard(aggregator) >= 4L * items
                    && Ledger.lags(bootstrapServers).isEmpty()) {
                Map<String, JsonNode> views = views(aggregator);
                if (comparable(views).equals(comparable(last))) {
                    return views;
                }
                last = views;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("not drained within " + PATIENCE + ": board "
                + judgmentsOnBoard(aggregator) + " of " + 4L * items + ", lags "
                + Ledger.lags(bootstrapServers));
    }

    /** Every view with its default parameters, by name (the aggregator lists them on a 400). */
    public Map<String, JsonNode> views(String aggregator) throws InterruptedException {
        JsonNode unknown = get(aggregator, "no-such-view");
        Map<String, JsonNode> views = new TreeMap<>();
        for (JsonNode name : unknown.get("views")) {
            views.put(name.asText(), get(aggregator, name.asText()));
        }
        return views;
    }

    /**
     * A view's JSON, asked again while the aggregator answers 503 (restoring) or 404 (not there yet). A 422 (a
     * view refused on this history: {@code lc-winrate} estimating difficulties over more than 1,000 items, a
     * slot path above its limit) is an answer too, with its reason: the same items refuse it in every run.
     */
    public JsonNode get(String aggregator, String view) throws InterruptedException {
        URI uri = URI.create(aggregator + "/api/benchmarks/" + benchmark + "/leaderboard?view="
                + URLEncoder.encode(view, StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 || r.statusCode() == 400 || r.statusCode() == 422) {
                    return Json.mapper().readTree(r.body());
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("GET " + uri + " kept answering " + last);
    }

    /** Judgments on the accuracy board; -1 while the aggregator does not answer with one. */
    public long judgmentsOnBoard(String aggregator) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(
                                    aggregator + "/api/benchmarks/" + benchmark + "/leaderboard?view=accuracy"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200
                    ? Json.mapper().readTree(r.body()).get("judgments").asLong()
                    : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits until the accuracy board counts more than {@code before}; returns when (System.nanoTime). */
    public long awaitBoardAbove(String aggregator, long before) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (judgmentsOnBoard(aggregator) > before) {
                return System.nanoTime();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the board did not count more than " + before + " judgments");
    }

    public static Map<String, JsonNode> comparable(Map<String, JsonNode> views) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        views.forEach((view, json) -> out.put(view, comparable(view, json)));
        return out;
    }

    /**
     * A snapshot without what is defined over ledger order or the clock: asOf, the stability tau and
     * its lag; for online Elo, the ratings and so the ranks (the models and battle counts stay).
     */
    public static JsonNode comparable(String view, JsonNode snapshot) {
        ObjectNode copy = snapshot.deepCopy();
        copy.remove(List.of("asOf", "kendallTau", "kendallTauLag"));
        if (view.equals("elo") && copy.get("rows") instanceof ArrayNode rows) {
            Map<String, JsonNode> byModel = new TreeMap<>();
            for (Iterator<JsonNode> it = rows.elements(); it.hasNext(); ) {
                ObjectNode row = (ObjectNode) it.next();
                row.remove(List.of("rank", "value", "lower", "upper"));
                if (row.get("metrics") instanceof ObjectNode metrics) {
                    metrics.remove("rating");
                }
                byModel.put(row.get("modelId").asText(), row);
            }
            rows.removeAll();
            byModel.values().forEach(rows::add);
        }
        return copy;
    }
}
