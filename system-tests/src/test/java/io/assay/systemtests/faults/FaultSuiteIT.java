package io.assay.systemtests.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.aggregator.leaderboard.View;
import io.assay.cli.DemoSetup;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.kafka.Publisher;
import io.assay.cli.stack.Component;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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
import org.junit.jupiter.api.Test;

/**
 * The fault suite: the same benchmark run twice on the packaged services and a standalone broker
 * (ports + 20000). First with faults: items fed at a steady rate, and at spread-out points (every
 * {@link #SPACING} items after the previous recovery) each service killed with SIGKILL and restarted,
 * and the broker killed with SIGKILL and restarted on its data. Then the same items again on a fresh
 * broker and fresh service state, without faults. Every view of the aggregator equals the fault-free
 * run's, no answered request was paid again, and every consumer group has read everything. Prints the
 * recovery time of every fault (kill to ready, kill to the first new output of what was killed).
 *
 * <p>The fault-free reference is a run of the same benchmark name on a fresh broker and fresh service
 * state (after the faulted run, which decides how many items there are), because the simulated models and judges are deterministic per (seed, model, benchmark, item,
 * variant) and per judge request id (which hashes the benchmark too): a second benchmark with the same
 * items would get other answers. The items are the same (ItemGenerator with one seed).
 *
 * <p>What is compared: every view's snapshot with its default parameters, row by row and exactly,
 * intervals included (the bootstraps are seeded and fold slots in key order). Left out, because they
 * are defined over ledger order (judgedAt, the judge's clock) and so differ between any two runs:
 * {@code asOf}, the stability tau and its lag, and the online Elo ratings (its set of models and
 * battle counts are compared).
 */
class FaultSuiteIT {
    private static final int PORT_OFFSET = 20_000;
    /** Items per second while the faults are injected: 4 answers and 10 judge calls each. */
    private static final double FEED_RATE = Double.parseDouble(System.getProperty("assay.faults.rate", "4"));
    /** Items fed between one recovery and the next fault, and after the last. */
    private static final long SPACING = Long.getLong("assay.faults.spacing", 60);

    private static final double REFERENCE_RATE = 200;
    private static final Duration PATIENCE = Duration.ofSeconds(240);
    private static final String BENCHMARK = "faults";
    private static final String JUDGE_MODEL = "flt-judge";
    private static final String BASELINE = "sim-charlie";

    /** The faults, in order; each at its own share of the feed. */
    private static final List<String> FAULTS =
            List.of("model-invoker", "prompt-generator", "kafka", "judge", "aggregator");

    static {
        // The test's own Kafka clients log their whole configuration at INFO each time one is made.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyViewAfterKillingEachServiceAndTheBrokerEqualsAFaultFreeRun() throws Exception {
        Path home = Path.of(System.getProperty("assay.repo", ".."))
                .toAbsolutePath()
                .normalize()
                .resolve("system-tests/target/fault-suite");
        long start = System.nanoTime();

        // Given a benchmark fed at a steady rate, with each fault injected once along the way
        Map<String, JsonNode> faulted;
        List<String> lags;
        Ledger.Answers answers;
        List<String> figures = new ArrayList<>();
        long items;
        try (FaultStack stack = FaultStack.start(home.resolve("faults"), PORT_OFFSET)) {
            System.out.printf("fault suite: stack ready in %.0f s%n", seconds(System.nanoTime() - start));
            long feedStart = System.nanoTime();
            register(stack);
            items = feed(stack, FEED_RATE, 0, (fed, outputs) -> {
                long next = SPACING;
                for (String victim : FAULTS) {
                    while (fed.get() < next) {
                        Thread.sleep(100);
                    }
                    figures.add(inject(stack, victim, fed.get(), outputs));
                    System.out.println("fault suite: " + figures.get(figures.size() - 1));
                    next = fed.get() + SPACING;
                }
                while (fed.get() < next) {
                    Thread.sleep(100);
                }
            });
            System.out.printf("fault suite: %d items fed in %.0f s%n", items, seconds(System.nanoTime() - feedStart));
            faulted = awaitDrained(stack, items);
            System.out.printf(
                    "fault suite: drained %.0f s after the feed began%n", seconds(System.nanoTime() - feedStart));
            lags = Ledger.lags(stack.bootstrapServers());
            answers = Ledger.answers(stack.bootstrapServers(), BENCHMARK);
            System.out.println("fault suite: consumer groups " + Ledger.groups(stack.bootstrapServers()));
        }
        double faultSeconds = seconds(System.nanoTime() - start);

        // When the same items of the same benchmark run again on a fresh stack, without faults
        long referenceStart = System.nanoTime();
        Map<String, JsonNode> reference;
        try (FaultStack stack = FaultStack.start(home.resolve("fault-free"), PORT_OFFSET)) {
            register(stack);
            feed(stack, REFERENCE_RATE, items, null);
            reference = awaitDrained(stack, items);
        }
        double referenceSeconds = seconds(System.nanoTime() - referenceStart);
        System.out.printf(
                "fault suite: %d items x 4 models, run with faults %.0f s, fault-free run %.0f s, total %.0f s%n",
                items, faultSeconds, referenceSeconds, seconds(System.nanoTime() - start));
        figures.forEach(f -> System.out.println("fault suite: " + f));
        System.out.printf(
                "fault suite: %d requests answered, %d response records, %d paid twice%n",
                answers.requests(), answers.records(), answers.paidTwice().size());

        // Then every view equals the fault-free run's, row by row
        assertThat(faulted.keySet()).containsExactlyElementsOf(reference.keySet());
        assertThat(reference.keySet()).containsExactlyInAnyOrderElementsOf(View.names());
        for (String view : reference.keySet()) {
            assertThat(comparable(view, faulted.get(view)))
                    .as("view %s after the faults", view)
                    .isEqualTo(comparable(view, reference.get(view)));
        }
        // and every item was judged for every model
        assertThat(faulted.get("accuracy").get("rows"))
                .allSatisfy(row -> assertThat(row.get("n").asLong()).isEqualTo(items));
        // and no answered request was paid again
        assertThat(answers.paidTwice())
                .as("requests answered twice by the provider")
                .isEmpty();
        // and every consumer group has read every partition to its end
        assertThat(lags).as("consumer group lags").isEmpty();
    }

    /** What the feed does while it runs: the faults. */
    private interface DuringFeed {
        void run(AtomicLong fed, StageOutputs outputs) throws Exception;
    }

    /** Registers the models (the demo's four, with a cutoff and a previous version) and the benchmark. */
    private static void register(FaultStack stack) {
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
        BenchmarkSpec demo = DemoSetup.benchmark(BENCHMARK, Instant.now());
        BenchmarkSpec spec = new BenchmarkSpec(
                BENCHMARK,
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
        try (Publisher publisher = new Publisher(stack.bootstrapServers())) {
            models.forEach(m -> publisher.send(Topics.MODELS, m.modelId(), m));
            publisher.send(Topics.BENCHMARKS, BENCHMARK, spec);
            publisher.flush();
        }
    }

    /**
     * Feeds items at {@code rate} per second: {@code count} of them, or with {@code count} 0 as many as
     * the feed lasts while {@code during} runs; returns how many were fed. The producer waits out a
     * broker restart (2 minutes to block or deliver) where the cli's {@code Publisher} gives up after
     * 15 s, so no item is lost by the test itself.
     */
    private static long feed(FaultStack stack, double rate, long count, DuringFeed during) throws Exception {
        AtomicLong fed = new AtomicLong();
        ItemGenerator generator = new ItemGenerator(BENCHMARK, 12);
        Instant publishedAt = Instant.now();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                                ProducerConfig.ACKS_CONFIG, "all",
                                ProducerConfig.LINGER_MS_CONFIG, 5,
                                ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000,
                                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000),
                        new StringSerializer(),
                        new ByteArraySerializer());
                StageOutputs outputs = new StageOutputs(stack.bootstrapServers(), BENCHMARK)) {
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
                            CloudEvents.headers(Topics.ITEMS.type(), item.key() + "/" + i, "/assay/fault-suite"));
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

    /** Injects one fault and waits for the recovery; returns the figures as a line. */
    private String inject(FaultStack stack, String victim, long fed, StageOutputs outputs) throws Exception {
        long countedAtKill = judgmentsOnBoard(stack);
        long killed = System.nanoTime();
        StageOutputs.Mark mark;
        if (victim.equals("kafka")) {
            stack.broker().kill();
            stack.broker().start();
            mark = outputs.mark();
        } else {
            stack.service(victim).kill();
            mark = outputs.mark();
            stack.service(victim).start();
        }
        long ready = System.nanoTime();
        OptionalLong output = switch (victim) {
            case "model-invoker" -> outputs.awaitFirstAfter(mark, Topics.RESPONSES, false, PATIENCE);
            case "prompt-generator" -> outputs.awaitFirstAfter(mark, Topics.PROMPTS, true, PATIENCE);
            case "aggregator" -> OptionalLong.of(awaitBoardAbove(stack, countedAtKill));
            default -> outputs.awaitFirstAfter(mark, Topics.JUDGMENTS, false, PATIENCE);
        };
        assertThat(output)
                .as(() -> "new output after restarting " + victim + "\n" + diagnosis(stack, outputs, mark))
                .isPresent();
        String what = switch (victim) {
            case "model-invoker" -> "first new response";
            case "prompt-generator" -> "first new prompt";
            case "aggregator" -> "leaderboard counting more";
            default -> "first new judgment";
        };
        return String.format(
                "%s killed (SIGKILL) at item %d: kill -> ready %.1f s, kill -> %s %.1f s",
                victim, fed, seconds(ready - killed), what, seconds(output.getAsLong() - killed));
    }

    /** What every part was doing when a recovery did not come: the follower, lags, services' errors. */
    private static String diagnosis(FaultStack stack, StageOutputs outputs, StageOutputs.Mark mark) {
        StringBuilder b = new StringBuilder(outputs.describe(mark)).append('\n');
        try {
            b.append("lags: ").append(Ledger.lags(stack.bootstrapServers())).append('\n');
        } catch (Exception e) {
            b.append("lags unknown: ").append(e).append('\n');
        }
        for (Component c : Component.services()) {
            b.append(stack.service(c).errors(5)).append('\n');
        }
        return b.toString();
    }

    /** Waits until every group has read everything and the views hold still; returns them. */
    private Map<String, JsonNode> awaitDrained(FaultStack stack, long items) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Map<String, JsonNode> last = Map.of();
        while (System.nanoTime() < deadline) {
            if (judgmentsOnBoard(stack) >= 4L * items
                    && Ledger.lags(stack.bootstrapServers()).isEmpty()) {
                Map<String, JsonNode> views = views(stack);
                if (comparable(views).equals(comparable(last))) {
                    return views;
                }
                last = views;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("not drained within " + PATIENCE + ": board "
                + judgmentsOnBoard(stack) + " of " + 4L * items + ", lags "
                + Ledger.lags(stack.bootstrapServers()));
    }

    /** Every view with its default parameters, by name (the aggregator lists them on a 400). */
    private Map<String, JsonNode> views(FaultStack stack) throws InterruptedException {
        JsonNode unknown = get(stack, "no-such-view");
        Map<String, JsonNode> views = new TreeMap<>();
        for (JsonNode name : unknown.get("views")) {
            views.put(name.asText(), get(stack, name.asText()));
        }
        return views;
    }

    /** A view's JSON, asked again while the aggregator answers 503 (restoring) or 404 (not there yet). */
    private JsonNode get(FaultStack stack, String view) throws InterruptedException {
        URI uri = URI.create(stack.service(Component.AGGREGATOR).url() + "/api/benchmarks/" + BENCHMARK
                + "/leaderboard?view=" + URLEncoder.encode(view, StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 || r.statusCode() == 400) {
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
    private long judgmentsOnBoard(FaultStack stack) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(stack.service(Component.AGGREGATOR)
                                            .url() + "/api/benchmarks/" + BENCHMARK + "/leaderboard?view=accuracy"))
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
    private long awaitBoardAbove(FaultStack stack, long before) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (judgmentsOnBoard(stack) > before) {
                return System.nanoTime();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the board did not count more than " + before + " judgments");
    }

    private static Map<String, JsonNode> comparable(Map<String, JsonNode> views) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        views.forEach((view, json) -> out.put(view, comparable(view, json)));
        return out;
    }

    /**
     * A snapshot without what is defined over ledger order or the clock: asOf, the stability tau and
     * its lag; for online Elo, the ratings and so the ranks (the models and battle counts stay).
     */
    private static JsonNode comparable(String view, JsonNode snapshot) {
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

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
