package io.assay.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.assay.contracts.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local OpenAI-compatible endpoint for benchmarks and tests: answers {@code POST
 * /v1/chat/completions} after a fixed latency, and refuses at once with 429 every request above its
 * quota, as a provider does. Two kinds of quota ({@link Window}): a strict sliding window (at most R
 * requests accepted in any second, the rest refused with {@code Retry-After: 1}: no burst allowance
 * at all), or a token bucket holding a tenth of a second of requests (with {@code retry-after-ms}).
 * Optionally it sends OpenAI's rate-limit headers ({@code x-ratelimit-limit-requests}, {@code
 * -remaining-requests}, {@code -reset-requests}: the time until the whole budget is back). It counts
 * answered and refused calls and how often each prompt (the last user message) was answered.
 */
public final class RateLimitedEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-endpoint");
        t.setDaemon(true);
        return t;
    });
    private static final long SECOND = 1_000_000_000L;

    private final long latencyMs;
    private final double rate;
    private final Window window;
    private final boolean headers;
    private final double capacity;
    private double tokens;
    private long updated = System.nanoTime();
    private final ArrayDeque<Long> admitted = new ArrayDeque<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicLong firstAnswerNanos = new AtomicLong();
    private final AtomicLong lastAnswerNanos = new AtomicLong();
    private final Map<String, AtomicInteger> answersPerPrompt = new ConcurrentHashMap<>();
    private long firstRequestNanos = -1;
    private final List<Long> refusedAt = new ArrayList<>();

    /** How the quota is counted. */
    public enum Window {
        /** At most R requests accepted in any sliding second; the rest refused with {@code Retry-After: 1}. */
        SLIDING,
        /** A token bucket of R per second holding a tenth of a second of requests. */
        BUCKET
    }

    /** A token-bucket endpoint without rate-limit headers. */
    public RateLimitedEndpoint(long latencyMs, double requestsPerSecond) throws IOException {
        this(latencyMs, requestsPerSecond, Window.BUCKET, false);
    }

    /**
     * @param latencyMs time to answer
     * @param requestsPerSecond the quota R; {@code <= 0} for none
     * @param window how the quota is counted
     * @param headers whether to send the rate-limit headers
     */
    public RateLimitedEndpoint(long latencyMs, double requestsPerSecond, Window window, boolean headers)
            throws IOException {
        this.latencyMs = latencyMs;
        this.rate = requestsPerSecond;
        this.window = window;
        this.headers = headers;
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

    /** When the calls were refused, seconds after the first request came in (where the refusals come from). */
    public synchronized List<Double> refusalTimes() {
        return refusedAt.stream().map(t -> (t - firstRequestNanos) / 1e9).toList();
    }

    /** How many times each prompt text was answered. */
    public Map<String, Integer> answersPerPrompt() {
        Map<String, Integer> copy = new ConcurrentHashMap<>();
        answersPerPrompt.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /**
     * The wait until a request would be admitted, or 0 if admitted now (then it is counted); sets the
     * rate-limit headers when they are sent.
     */
    private synchronized long admit(HttpExchange exchange) {
        if (rate <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        if (firstRequestNanos < 0) {
            firstRequestNanos = now;
        }
        long wait = window == Window.SLIDING ? admitSliding(exchange, now) : admitBucket(now);
        if (wait > 0) {
            refusedAt.add(now);
        }
        return wait;
    }

    private long admitBucket(long now) {
        tokens = Math.min(capacity, tokens + (now - updated) / 1e9 * rate);
        updated = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / rate * 1000);
    }

    private long admitSliding(HttpExchange exchange, long now) {
        while (!admitted.isEmpty() && admitted.peekFirst() <= now - SECOND) {
            admitted.pollFirst();
        }
        long quota = (long) Math.floor(rate);
        boolean admit = admitted.size() < quota;
        if (admit) {
            admitted.addLast(now);
        }
        if (headers) {
            // OpenAI's meaning of reset: until the whole budget is back, i.e. the newest admission leaves.
            long reset = admitted.isEmpty() ? 0 : admitted.peekLast() + SECOND - now;
            exchange.getResponseHeaders().add("x-ratelimit-limit-requests", Long.toString(quota));
            exchange.getResponseHeaders().add("x-ratelimit-remaining-requests", Long.toString(quota - admitted.size()));
            exchange.getResponseHeaders().add("x-ratelimit-reset-requests", goDuration(reset));
        }
        return admit ? 0 : 1000;
    }

    /** {@code 20ms} below a second, else seconds as Go prints them ({@code 1s}, {@code 1.5s}). */
    static String goDuration(long nanos) {
        long ms = Math.max(0, (nanos + 999_999) / 1_000_000);
        if (ms < 1000) {
            return ms + "ms";
        }
        return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
            long waitMs = admit(exchange);
            if (waitMs > 0) {
                refused.incrementAndGet();
                if (window == Window.BUCKET) {
                    exchange.getResponseHeaders().add("retry-after-ms", Long.toString(waitMs));
                }
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
