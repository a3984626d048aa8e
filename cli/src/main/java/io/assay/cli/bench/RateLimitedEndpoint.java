package io.assay.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.assay.contracts.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local OpenAI-compatible endpoint for benchmarks and tests: answers {@code POST
 * /v1/chat/completions} after a fixed latency, and refuses with 429 and {@code Retry-After} every
 * request above its rate, as a provider's quota does. The rate is a token bucket holding a tenth
 * of a second of requests, so a client cannot bank a large burst. It counts answered and refused
 * calls and how often each prompt (the last user message) was answered.
 */
public final class RateLimitedEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-endpoint");
        t.setDaemon(true);
        return t;
    });
    private final long latencyMs;
    private final double rate;
    private final double capacity;
    private double tokens;
    private long updated = System.nanoTime();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicLong firstAnswerNanos = new AtomicLong();
    private final AtomicLong lastAnswerNanos = new AtomicLong();
    private final Map<String, AtomicInteger> answersPerPrompt = new ConcurrentHashMap<>();

    /**
     * @param latencyMs time to answer
     * @param requestsPerSecond the quota; {@code <= 0} for none
     */
    public RateLimitedEndpoint(long latencyMs, double requestsPerSecond) throws IOException {
        this.latencyMs = latencyMs;
        this.rate = requestsPerSecond;
        this.capacity = Math.max(1.0, requestsPerSecond / 10);
        this.tokens = capacity;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The base URL for a ModelSpec. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Calls answered with 200. */
    public int answered() {
        return answered.get();
    }

    /** Calls refused with 429. */
    public int refused() {
        return refused.get();
    }

    /** Answered calls per second between the first and the last answer. */
    public double throughput() {
        long span = lastAnswerNanos.get() - firstAnswerNanos.get();
        return span <= 0 ? 0 : (answered.get() - 1) / (span / 1e9);
    }

    /** How many times each prompt text was answered. */
    public Map<String, Integer> answersPerPrompt() {
        Map<String, Integer> copy = new ConcurrentHashMap<>();
        answersPerPrompt.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** The wait until a request would be admitted, or 0 if admitted now (then a token is taken). */
    private synchronized long admit() {
        if (rate <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - updated) / 1e9 * rate);
        updated = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / rate * 1000);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
            long waitMs = admit();
            if (waitMs > 0) {
                refused.incrementAndGet();
                exchange.getResponseHeaders().add("retry-after-ms", Long.toString(waitMs));
                exchange.getResponseHeaders().add("Retry-After", Long.toString((waitMs + 999) / 1000));
                send(exchange, 429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}");
                return;
            }
            if (latencyMs > 0) {
                Thread.sleep(latencyMs);
            }
            JsonNode messages = body.path("messages");
            String prompt = messages.path(messages.size() - 1).path("content").asText();
            answersPerPrompt.computeIfAbsent(prompt, p -> new AtomicInteger()).incrementAndGet();
            long now = System.nanoTime();
            firstAnswerNanos.compareAndSet(0, now);
            lastAnswerNanos.accumulateAndGet(now, Math::max);
            answered.incrementAndGet();
            send(exchange, 200, completion("Answer: " + Math.abs(prompt.hashCode() % 100)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] out = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    private static String completion(String content) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("id", "bench").put("object", "chat.completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        root.putObject("usage").put("prompt_tokens", 20).put("completion_tokens", 5);
        return Json.write(root);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
