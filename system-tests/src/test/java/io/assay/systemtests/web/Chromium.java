package io.assay.systemtests.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Headless Chromium driven over the DevTools protocol with the JDK's WebSocket client: no driver, no
 * browser library. One browser, one page. It collects what the browser console would show as errors —
 * {@code console.error}, uncaught exceptions, and the browser's own log entries at level error (failed
 * resource loads) — so a test can assert there are none.
 */
public final class Chromium implements AutoCloseable {
    /** Debian's package installs it here. */
    public static final Path BINARY = Path.of("/usr/bin/chromium");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = new ArrayList<>();

    private Chromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Whether the browser is installed. */
    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts the browser with a fresh profile under {@code profile} and a {@code width}×{@code height}
     * window, and attaches to its page.
     */
    public static Chromium start(Path profile, int width, int height) throws IOException, InterruptedException {
        // Fresh: a profile left by an earlier run keeps that run's cached scripts and cookies.
        if (Files.exists(profile)) {
            try (java.util.stream.Stream<Path> old = Files.walk(profile)) {
                old.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(profile);
        Path portFile = profile.resolve("DevToolsActivePort");
        Files.deleteIfExists(portFile);
        Process process = new ProcessBuilder(
                        BINARY.toString(),
                        "--headless=new",
                        "--remote-debugging-port=0",
                        "--user-data-dir=" + profile.toAbsolutePath(),
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--no-first-run",
                        "--no-default-browser-check",
                        "--disable-extensions",
                        "--window-size=" + width + "," + height,
                        "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(
                        profile.resolveSibling(profile.getFileName() + ".log").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("chromium did not open its DevTools port (log: " + profile + ".log)");
                }
                Thread.sleep(100);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String pageSocket = null;
            while (pageSocket == null) {
                String list = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                for (JsonNode target : JSON.readTree(list)) {
                    if ("page".equals(target.path("type").asText())) {
                        pageSocket = target.path("webSocketDebuggerUrl").asText();
                    }
                }
                if (pageSocket == null) {
                    Thread.sleep(100);
                }
            }
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create(pageSocket), listener)
                    .join();
            Chromium chromium = new Chromium(process, socket);
            listener.owner = chromium;
            chromium.call("Runtime.enable", Map.of());
            chromium.call("Log.enable", Map.of());
            chromium.call("Page.enable", Map.of());
            return chromium;
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Navigates to {@code url} and waits until the document has loaded. */
    public void open(String url) {
        call("Page.navigate", Map.of("url", url));
        waitFor("document.readyState === 'complete'", Duration.ofSeconds(30));
    }

    /** The value of a JavaScript expression (promises awaited), as JSON; {@code null} for undefined. */
    public JsonNode evaluate(String expression) {
        JsonNode result =
                call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("evaluating " + expression + ": " + result.get("exceptionDetails"));
        }
        return result.path("result").get("value");
    }

    /** Waits until the expression is truthy; fails with the expression after {@code timeout}. */
    public void waitFor(String expression, Duration timeout) {
        waitFor(expression, JsonNode::asBoolean, timeout);
    }

    /** Waits until {@code ready} holds for the expression's value; returns that value. */
    public JsonNode waitFor(String expression, Predicate<JsonNode> ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = evaluate(expression);
            if (last != null && ready.test(last)) {
                return last;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("not true within " + timeout + ": " + expression + " (last: " + last + ")");
    }

    /** A PNG of the whole page (not only the window) written to {@code file}. */
    public void screenshot(Path file) throws IOException {
        JsonNode size = call("Page.getLayoutMetrics", Map.of()).path("cssContentSize");
        Map<String, Object> clip = Map.of(
                "x",
                0,
                "y",
                0,
                "width",
                size.path("width").asDouble(),
                "height",
                size.path("height").asDouble(),
                "scale",
                1);
        JsonNode shot =
                call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    /** The console errors, exceptions and error log entries seen so far, one line each. */
    public List<String> consoleErrors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /** Sends one DevTools command and waits for its result. */
    public JsonNode call(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        synchronized (socket) {
            socket.sendText(message.toString(), true).join();
        }
        try {
            JsonNode reply = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + ": " + reply.get("error"));
            }
            return reply.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(method + " got no answer", e);
        } finally {
            pending.remove(id);
        }
    }

    /** Closes the page and stops the browser and its helper processes. */
    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the browser goes anyway
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private void onMessage(JsonNode message) {
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.get(message.get("id").asInt());
            if (answer != null) {
                answer.complete(message);
            }
            return;
        }
        JsonNode p = message.path("params");
        String error = switch (message.path("method").asText()) {
            case "Runtime.consoleAPICalled" ->
                "error".equals(p.path("type").asText()) ? "console.error: " + p.path("args") : null;
            case "Runtime.exceptionThrown" ->
                "exception: "
                        + p.path("exceptionDetails")
                                .path("exception")
                                .path("description")
                                .asText(p.path("exceptionDetails").path("text").asText());
            case "Log.entryAdded" ->
                "error".equals(p.path("entry").path("level").asText())
                        ? "log (" + p.path("entry").path("source").asText() + "): "
                                + p.path("entry").path("text").asText() + " "
                                + p.path("entry").path("url").asText()
                        : null;
            default -> null;
        };
        if (error != null) {
            synchronized (errors) {
                errors.add(error);
            }
        }
    }

    /** Reassembles fragmented frames (a screenshot is megabytes) and hands each message to the owner. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();
        private volatile Chromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String text = buffer.toString();
                buffer.setLength(0);
                try {
                    JsonNode message = JSON.readTree(text);
                    while (owner == null) {
                        Thread.onSpinWait();
                    }
                    owner.onMessage(message);
                } catch (IOException e) {
                    // not JSON: the protocol never sends that
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
