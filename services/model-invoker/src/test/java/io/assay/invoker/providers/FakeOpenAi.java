package io.assay.invoker.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.assay.contracts.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP server speaking the Chat Completions protocol, for tests: it records every call
 * (body, headers, arrival time), measures how many calls it serves at once, and answers as a
 * script says — an answer after some latency, an HTTP error with headers, a connection reset, or
 * a hang.
 */
public final class FakeOpenAi implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Function<Call, Reply> script = c -> Reply.ok("Answer: 42");

    /** Starts on a free port of 127.0.0.1. */
    public FakeOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The base URL to put in a ModelSpec. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** {@code host:port}. */
    public String endpoint() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Sets how calls are answered; the call number (from 1) is in {@link Call#number()}. */
    public void script(Function<Call, Reply> script) {
        this.script = script;
    }

    /** Every call received so far. */
    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The most calls served at the same time. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        boolean done = false;
        try {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            Call call;
            synchronized (calls) {
                call = new Call(
                        calls.size() + 1,
                        System.nanoTime(),
                        Json.mapper().readTree(bytes),
                        exchange.getRequestHeaders().getFirst("Authorization"));
                calls.add(call);
            }
            Reply reply = script.apply(call);
            if (reply.delayMs() > 0) {
                Thread.sleep(reply.delayMs());
            }
            // The call stops counting before its answer can reach the client: a client that sends its next
            // call on this answer must not meet this one still counted (whatever the scheduling).
            inFlight.decrementAndGet();
            done = true;
            if (reply.drop()) {
                // Close without a status line: the client sees the connection dropped.
                exchange.close();
                return;
            }
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(reply.status(), out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!done) {
                inFlight.decrementAndGet();
            }
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * One call received.
     *
     * @param number from 1
     * @param arrivedNanos {@link System#nanoTime()} at arrival
     * @param body the JSON body
     * @param authorization the Authorization header, or null
     */
    public record Call(int number, long arrivedNanos, JsonNode body, String authorization) {
        /** The text of the last user message. */
        public String lastUserText() {
            JsonNode messages = body.path("messages");
            JsonNode content = messages.path(messages.size() - 1).path("content");
            return content.isTextual()
                    ? content.asText()
                    : content.path(0).path("text").asText();
        }
    }

    /**
     * How to answer a call.
     *
     * @param status HTTP status
     * @param headers extra response headers
     * @param body response body
     * @param delayMs latency before answering (a hang when longer than the client's timeout)
     * @param drop drop the connection instead of answering
     */
    public record Reply(int status, Map<String, String> headers, String body, long delayMs, boolean drop) {

        /** A 200 with a Chat Completions body: {@code content}, 11 prompt and 7 completion tokens. */
        public static Reply ok(String content) {
            return ok(content, 0);
        }

        /** A 200 after {@code delayMs}. */
        public static Reply ok(String content, long delayMs) {
            return new Reply(200, Map.of(), completion(content, null), delayMs, false);
        }

        /** A 200 after {@code delayMs} with these headers. */
        public static Reply ok(String content, long delayMs, Map<String, String> headers) {
            return new Reply(200, headers, completion(content, null), delayMs, false);
        }

        /** A 200 whose first token carries log-probabilities. */
        public static Reply withLogprobs(String content, Map<String, Double> top) {
            return new Reply(200, Map.of(), completion(content, top), 0, false);
        }

        /** An HTTP error. */
        public static Reply status(int status, Map<String, String> headers) {
            return new Reply(status, headers, "{\"error\":{\"message\":\"status " + status + "\"}}", 0, false);
        }

        /** A dropped connection. */
        public static Reply dropped() {
            return new Reply(0, Map.of(), "", 0, true);
        }

        /** No answer for {@code ms}. */
        public static Reply hang(long ms) {
            return new Reply(200, Map.of(), completion("late", null), ms, false);
        }

        private static String completion(String content, Map<String, Double> top) {
            ObjectNode root = Json.mapper().createObjectNode();
            root.put("id", "chatcmpl-1").put("object", "chat.completion").put("model", "fake");
            ObjectNode choice = root.putArray("choices").addObject();
            choice.put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", content);
            if (top != null) {
                ArrayNode tokens = choice.putObject("logprobs").putArray("content");
                ObjectNode first = tokens.addObject();
                first.put("token", content).put("logprob", top.getOrDefault(content, -0.1));
                ArrayNode alts = first.putArray("top_logprobs");
                top.forEach((t, lp) -> alts.addObject().put("token", t).put("logprob", lp));
            }
            root.putObject("usage")
                    .put("prompt_tokens", 11)
                    .put("completion_tokens", 7)
                    .put("total_tokens", 18);
            return Json.write(root);
        }
    }
}
