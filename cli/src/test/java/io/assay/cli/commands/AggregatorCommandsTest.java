package io.assay.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.assay.cli.Assay;
import io.assay.cli.DemoSetup;
import io.assay.contracts.Json;
import io.assay.contracts.Topics;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Commands that read the aggregator's REST API, against a real HTTP server answering as the aggregator
 * does (AggregatorTest checks the aggregator's side of these answers).
 */
@RequiresBroker
class AggregatorCommandsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    /** Path (with query) → status and body. */
    private final Map<String, Supplier<Answer>> answers = new ConcurrentHashMap<>();

    private HttpServer server;

    private record Answer(int status, String body) {}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().toString();
            Answer a = answers.getOrDefault(path, () -> new Answer(500, "no answer for " + path))
                    .get();
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(a.status(), body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int run(String... args) {
        CommandLine cli = Assay.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--api";
        all[args.length + 1] = "http://127.0.0.1:" + server.getAddress().getPort();
        all[args.length + 2] = "--bootstrap";
        all[args.length + 3] = TestBroker.get().bootstrapServers();
        return cli.execute(all);
    }

    @Test
    void anUnknownJudgeBaselineOrBenchmarkIsAnErrorNamingTheKnownOnes() {
        // Given an aggregator that knows benchmark b with judges a and b and baseline gpt-4
        answers.put(
                "/api/benchmarks/b/leaderboard?view=accuracy&judge=nope",
                () -> new Answer(
                        400,
                        "{\"status\":400,\"message\":\"unknown judge 'nope'; known: a, b\",\"known\":[\"a\",\"b\"]}"));
        answers.put(
                "/api/benchmarks/b/leaderboard?view=wb-reward&baseline=claude",
                () -> new Answer(
                        400,
                        "{\"status\":400,\"message\":\"unknown baseline 'claude'; known: gpt-4\","
                                + "\"known\":[\"gpt-4\"]}"));
        answers.put(
                "/api/benchmarks/nobody/leaderboard?view=accuracy",
                () -> new Answer(
                        404,
                        "{\"status\":404,\"message\":\"unknown benchmark 'nobody'; known: b\",\"known\":[\"b\"]}"));

        // Then each is exit 1 with the aggregator's message, and no table
        assertThat(run("leaderboard", "b", "--judge", "nope")).isEqualTo(1);
        assertThat(err.toString()).contains("assay: unknown judge 'nope'; known: a, b");
        assertThat(run("leaderboard", "b", "--view", "wb-reward", "--baseline", "claude"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("assay: unknown baseline 'claude'; known: gpt-4");
        assertThat(run("leaderboard", "nobody", "--json")).isEqualTo(1);
        assertThat(err.toString()).contains("assay: unknown benchmark 'nobody'; known: b");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void benchmarksListShowsJudgedAndRegisteredBenchmarks() {
        // Given a judged benchmark and one only registered on assay.benchmarks
        String judged = "judged-" + System.nanoTime();
        String registered = "registered-" + System.nanoTime();
        try (TestClient client = TestBroker.get().client()) {
            client.send(Topics.BENCHMARKS, registered, DemoSetup.benchmark(registered, Instant.now()));
        }
        answers.put(
                "/api/benchmarks",
                () -> new Answer(200, "[{\"benchmark\":\"" + judged + "\",\"judgments\":12,\"models\":3}]"));

        // When listed as JSON
        assertThat(run("benchmarks", "list", "--json")).isZero();

        // Then both are there, the registered one with zero judgments
        JsonNode list = Json.tree(out.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(list.isArray()).isTrue();
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        list.forEach(b -> byName.put(b.get("benchmark").asText(), b));
        assertThat(byName.get(judged).get("judgments").asLong()).isEqualTo(12);
        assertThat(byName.get(judged).get("models").asLong()).isEqualTo(3);
        assertThat(byName.get(judged).get("registered").asBoolean()).isFalse();
        assertThat(byName.get(registered).get("judgments").asLong()).isZero();
        assertThat(byName.get(registered).get("registered").asBoolean()).isTrue();

        // And as a table
        out.getBuffer().setLength(0);
        assertThat(run("benchmarks", "list")).isZero();
        assertThat(out.toString())
                .containsPattern(judged + " +- +3 +12 +no")
                .containsPattern(registered + " +- +0 +0 +yes");
    }

    @Test
    void modelsAddWaitFollowsTheBackFillUntilComplete() {
        // Given a benchmark where two models have 6 judgments (3 each), and a new model judged 0, 1, then 3
        String id = "wait-" + System.nanoTime();
        answers.put("/api/benchmarks", () -> new Answer(200, "[{\"benchmark\":\"b\",\"judgments\":6,\"models\":2}]"));
        AtomicInteger polls = new AtomicInteger();
        answers.put("/api/benchmarks/b/models/" + id, () -> switch (polls.incrementAndGet()) {
            case 1 -> new Answer(404, "{\"status\":404,\"message\":\"no judgments\"}");
            case 2 -> new Answer(200, "{\"judgments\":1}");
            default -> new Answer(200, "{\"judgments\":3}");
        });

        // When it is added with --wait
        int exit = run(
                "models",
                "add",
                "--wait",
                "--json",
                "{\"modelId\":\"" + id + "\",\"provider\":\"sim\",\"sim\":{\"skill\":1.0}}");

        // Then it returns once the back-fill is complete, with the summary on stderr
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Back-fill complete: " + id + " on b.");
        assertThat(err.toString()).containsPattern("back-fill: 3 judgments in [0-9.]+ s");
        assertThat(polls.get()).isEqualTo(3);
    }

    @Test
    void modelsAddWaitGivesUpAfterItsTimeoutWithExitCode4() {
        String id = "stuck-" + System.nanoTime();
        answers.put("/api/benchmarks", () -> new Answer(200, "[{\"benchmark\":\"b\",\"judgments\":6,\"models\":2}]"));
        answers.put("/api/benchmarks/b/models/" + id, () -> new Answer(200, "{\"judgments\":1}"));

        int exit = run(
                "models",
                "add",
                "--wait",
                "--wait-timeout",
                "2s",
                "--quiet",
                "--json",
                "{\"modelId\":\"" + id + "\",\"provider\":\"sim\",\"sim\":{\"skill\":1.0}}");

        assertThat(exit).isEqualTo(BackfillWait.INCOMPLETE);
        assertThat(err.toString())
                .contains("Back-fill not complete within 2 s; judgments still missing: {" + id + " on b=2}")
                .doesNotContain("back-fill:");
    }
}
