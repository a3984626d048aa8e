package io.assay.cli.bench;

import io.assay.cli.api.ServiceHttp;
import io.assay.cli.kafka.Publisher;
import io.assay.cli.kafka.TopicReader;
import io.assay.contracts.AnswerFormat;
import io.assay.contracts.EventType;
import io.assay.contracts.Ids;
import io.assay.contracts.Message;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Provider;
import io.assay.contracts.Purpose;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.SimHints;
import io.assay.contracts.Topics;
import io.assay.contracts.Variant;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Benchmarks of the running model-invoker through Kafka, end to end: prompts in, responses out.
 * Each run registers its own models (restricted to its own benchmark, so nothing is back-filled)
 * and retires them afterwards.
 */
public final class InvokerBench {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Pattern METRIC = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? ([0-9.eE+-]+|NaN)$");

    private final String bootstrap;
    private final PrintWriter out;
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    /** Throttled-endpoint runs made so far: each registers a model of its own, new to the invoker. */
    private int throttledRuns;

    /** Against the broker at {@code bootstrap}, printing to {@code out}. */
    public InvokerBench(String bootstrap, PrintWriter out) {
        this.bootstrap = bootstrap;
        this.out = out;
    }

    /**
     * Figures of the throttled-endpoint run.
     *
     * @param rate the endpoint's quota R
     * @param window how the endpoint counts it
     * @param headers whether the endpoint sent rate-limit headers
     * @param throughput answered calls per second at the endpoint
     * @param answered calls answered
     * @param refused 429s provoked
     * @param failedResponses responses that were failures
     */
    public record Throttled(
            double rate,
            RateLimitedEndpoint.Window window,
            boolean headers,
            double throughput,
            int answered,
            int refused,
            int failedResponses) {
        /** Achieved throughput / R. */
        public double ratio() {
            return throughput / rate;
        }

        /** The share of requests that were refused. */
        public double refusedShare() {
            int sent = answered + refused;
            return sent == 0 ? 0 : (double) refused / sent;
        }
    }

    /**
     * Against a local endpoint answering in {@code latencyMs} and refusing above {@code rate} per
     * second (counted as {@code window} says, with or without rate-limit headers): the achieved
     * throughput / R and the share of requests refused. The model declares no rate limit (only a
     * concurrency cap), so the invoker has to find the quota from the headers or from the 429s.
     */
    public Throttled throttled(
            double rate,
            int seconds,
            long latencyMs,
            int maxConcurrency,
            RateLimitedEndpoint.Window window,
            boolean headers,
            Duration timeout)
            throws IOException {
        int n = (int) Math.round(rate * seconds);
        try (RateLimitedEndpoint endpoint = new RateLimitedEndpoint(latencyMs, rate, window, headers)) {
            int nth = ++throttledRuns;
            String suffix = window.name().toLowerCase(Locale.ROOT) + (headers ? "-headers" : "") + "-" + nth;
            String benchmark = "bench-invoker-" + run + "-" + suffix;
            String modelId = "bench-openai-" + run + "-" + suffix;
            ModelSpec model = new ModelSpec(
                    modelId,
                    "benchmark endpoint (local fake)",
                    Provider.OPENAI,
                    endpoint.baseUrl(),
                    "fake",
                    null,
                    new SamplingParams(0.7, null, 16, null, null, null, null),
                    null,
                    null,
                    null,
                    new ModelSpec.Limits(maxConcurrency, null, null),
                    List.of(benchmark),
                    null,
                    Instant.now());
            out.printf(
                    Locale.ROOT,
                    "throttled endpoint (%s, %s): %d prompts, %.0f ms latency, quota R = %.1f req/s, "
                            + "max concurrency %d; this bench's run %d, a model new to the invoker%n",
                    window == RateLimitedEndpoint.Window.SLIDING
                            ? "sliding 1 s window, no burst, 429 + Retry-After: 1"
                            : "token bucket of R/10",
                    headers ? "with rate-limit headers" : "no rate-limit headers",
                    n,
                    (double) latencyMs,
                    rate,
                    maxConcurrency,
                    nth);
            out.flush();
            Map<String, ModelResponse> responses = runPrompts(
                    model,
                    benchmark,
                    n,
                    i -> prompt(benchmark, modelId, "q" + i, "Benchmark prompt " + run + "/" + suffix + "/" + i, null),
                    timeout);
            int failed = (int)
                    responses.values().stream().filter(ModelResponse::failed).count();
            Throttled t = new Throttled(
                    rate, window, headers, endpoint.throughput(), endpoint.answered(), endpoint.refused(), failed);
            out.printf(
                    Locale.ROOT,
                    "  quota ratio %.3f (accepted %.2f req/s / R; goal >= 0.95); refused %.2f%% (%d of %d requests; "
                            + "goal < 1%%); answered %d; failed responses %d; load average %s%n",
                    t.ratio(),
                    t.throughput(),
                    100 * t.refusedShare(),
                    t.refused(),
                    t.answered() + t.refused(),
                    t.answered(),
                    failed,
                    PipelineBench.load());
            if (t.refused() > 0) {
                out.printf(
                        Locale.ROOT,
                        "  refused at (s after the first request): %s%n",
                        endpoint.refusalTimes().stream()
                                .map(x -> String.format(Locale.ROOT, "%.2f", x))
                                .collect(Collectors.joining(" ")));
            }
            out.flush();
            return t;
        }
    }

    /** Invocations per second of a zero-latency {@code sim} model, from the responses' answer times. */
    public double sim(int n, Duration timeout) {
        String benchmark = "bench-sim-" + run;
        String modelId = "bench-sim-" + run;
        ModelSpec model = new ModelSpec(
                modelId,
                "benchmark sim model (simulated)",
                Provider.SIM,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(benchmark),
                new ModelSpec.SimSpec(0.0, 40, 0, 0.0, 1L),
                Instant.now());
        out.printf(Locale.ROOT, "zero-latency sim (simulated): %d prompts%n", n);
        out.flush();
        long start = System.nanoTime();
        Map<String, ModelResponse> responses = runPrompts(
                model,
                benchmark,
                n,
                i -> prompt(
                        benchmark, modelId, "s" + i, "Sim prompt " + i, new SimHints(0, "A", AnswerFormat.CHOICE, 4)),
                timeout);
        double wall = (System.nanoTime() - start) / 1e9;
        Instant first = responses.values().stream()
                .map(ModelResponse::answeredAt)
                .min(Instant::compareTo)
                .orElseThrow();
        Instant last = responses.values().stream()
                .map(ModelResponse::answeredAt)
                .max(Instant::compareTo)
                .orElseThrow();
        double span = Duration.between(first, last).toNanos() / 1e9;
        double perSecond = span <= 0 ? n : (n - 1) / span;
        out.printf(
                Locale.ROOT,
                "  %.0f invocations/s in the invoker (first to last answer, %.2f s); %.0f/s end to "
                        + "end including publishing (%.2f s)%n",
                perSecond,
                span,
                n / wall,
                wall);
        out.flush();
        return perSecond;
    }

    /**
     * Publishes {@code n} prompts for a sim model with {@code latencyMs} latency and samples the
     * invoker's heap, in-flight prompts and consumer lag while it drains them.
     */
    public void backpressure(int n, int latencyMs, String invokerUrl, Duration timeout) throws InterruptedException {
        String benchmark = "bench-queue-" + run;
        String modelId = "bench-queue-" + run;
        ModelSpec model = new ModelSpec(
                modelId,
                "backpressure sim model (simulated)",
                Provider.SIM,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(benchmark),
                new ModelSpec.SimSpec(0.0, 40, latencyMs, 0.0, 1L),
                Instant.now());
        HttpClient http = ServiceHttp.client();
        Map<String, Double> idle = metrics(http, invokerUrl);
        out.printf(
                Locale.ROOT,
                "backpressure: %d prompts queued for a sim model with %d ms mean latency (simulated)%n",
                n,
                latencyMs);
        out.printf(Locale.ROOT, "  before: heap used %.1f MB%n", idle.getOrDefault("heap", 0.0) / 1e6);
        out.flush();
        Stats stats = new Stats();
        Thread sampler = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        stats.add(metrics(http, invokerUrl));
                        try {
                            Thread.sleep(500);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "bench-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        try {
            runPrompts(
                    model,
                    benchmark,
                    n,
                    i -> prompt(
                            benchmark,
                            modelId,
                            "b" + i,
                            "Queued prompt " + i + " " + "x".repeat(400),
                            new SimHints(0, "A", AnswerFormat.CHOICE, 4)),
                    timeout);
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        out.printf(
                Locale.ROOT,
                "  drained in %.1f s; while queued: heap used max %.1f MB (mean %.1f MB), "
                        + "in-flight prompts max %.0f, consumer lag max %.0f records (%d samples)%n",
                (System.nanoTime() - start) / 1e9,
                stats.maxHeap / 1e6,
                stats.meanHeap() / 1e6,
                stats.maxInflight,
                stats.maxLag,
                stats.samples);
        out.flush();
    }

    private Map<String, ModelResponse> runPrompts(
            ModelSpec model, String benchmark, int n, IntFunction<PromptRequest> prompt, Duration timeout) {
        Map<String, ModelResponse> responses = new HashMap<>();
        try (Publisher publisher = new Publisher(bootstrap);
                KafkaConsumer<String, byte[]> consumer = TopicReader.consumer(bootstrap)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.RESPONSES.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            publisher.sendAndWait(Topics.MODELS, model.modelId(), model);
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < n; i++) {
                PromptRequest p = prompt.apply(i);
                expected.add(p.requestId());
                publisher.send(Topics.PROMPTS, p.key(), p);
            }
            publisher.flush();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (responses.size() < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    if (r.key() != null && r.key().startsWith(benchmark + "/") && r.value() != null) {
                        ModelResponse response = EventType.MODEL_RESPONSE.parse(r.value(), ModelResponse.class);
                        if (expected.contains(response.requestId())) {
                            responses.putIfAbsent(response.requestId(), response);
                        }
                    }
                }
            }
            publisher.sendBytes(Topics.MODELS, model.modelId(), null);
            publisher.flush();
        }
        if (responses.size() < n) {
            throw new IllegalStateException("only " + responses.size() + " of " + n + " responses within "
                    + timeout.toSeconds() + " s; is the model-invoker running (./assay status)?");
        }
        return responses;
    }

    private static PromptRequest prompt(String benchmark, String modelId, String itemId, String text, SimHints hints) {
        Variant variant = new Variant("plain", "1", 0, null);
        SamplingParams params = SamplingParams.DEFAULTS;
        return new PromptRequest(
                Ids.requestId(benchmark, itemId, 1, modelId, variant, params),
                Purpose.EVALUATE,
                benchmark,
                itemId,
                1,
                modelId,
                variant,
                List.of(Message.user(text)),
                params,
                "bench",
                Instant.now(),
                AnswerFormat.CHOICE,
                null,
                hints,
                null,
                null,
                Instant.now());
    }

    /** heap (bytes used, all heap pools), inflight and lag (max over the invoker's consumers). */
    private static Map<String, Double> metrics(HttpClient http, String invokerUrl) {
        Map<String, Double> m = new HashMap<>();
        try {
            String text = http.send(
                            HttpRequest.newBuilder(URI.create(invokerUrl + "/q/metrics"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            for (String line : text.split("\n")) {
                Matcher matcher = METRIC.matcher(line.trim());
                if (!matcher.matches() || "NaN".equals(matcher.group(3))) {
                    continue;
                }
                String name = matcher.group(1);
                String labels = matcher.group(2) == null ? "" : matcher.group(2);
                double value = Double.parseDouble(matcher.group(3));
                if (name.equals("jvm_memory_used_bytes") && labels.contains("area=\"heap\"")) {
                    m.merge("heap", value, Double::sum);
                } else if (name.equals("assay_model_invoker_inflight")) {
                    m.put("inflight", value);
                } else if (name.equals("kafka_consumer_fetch_manager_records_lag")
                        && labels.contains("assay.prompts")
                        && labels.contains("partition=")) {
                    m.merge("lag", value, Double::sum);
                }
            }
        } catch (IOException e) {
            // A missed sample.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return m;
    }

    private static final class Stats {
        private double maxHeap;
        private double sumHeap;
        private double maxInflight;
        private double maxLag;
        private int samples;

        synchronized void add(Map<String, Double> m) {
            if (!m.containsKey("heap")) {
                return;
            }
            samples++;
            maxHeap = Math.max(maxHeap, m.get("heap"));
            sumHeap += m.get("heap");
            maxInflight = Math.max(maxInflight, m.getOrDefault("inflight", 0.0));
            maxLag = Math.max(maxLag, m.getOrDefault("lag", 0.0));
        }

        synchronized double meanHeap() {
            return samples == 0 ? 0 : sumHeap / samples;
        }
    }
}
