package io.assay.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.assay.aggregator.messaging.PipelineStatus;
import io.assay.cli.Assay;
import io.assay.contracts.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ./assay status} against an HTTP server answering {@code /api/status} with the aggregator's own
 * record (so the CLI reads the shape the aggregator writes); the aggregator's reading of the broker is
 * tested in the aggregator's StatusAndSchemasTest.
 */
class StatusCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private HttpServer server;

    @BeforeEach
    void serve() throws IOException {
        PipelineStatus.Status status = new PipelineStatus.Status(
                Instant.parse("2026-12-01T09:00:00Z"),
                List.of(
                        new PipelineStatus.StageLag(
                                "prompt-generator", "assay-prompt-generator", List.of("assay.items"), 0, true),
                        new PipelineStatus.StageLag(
                                "model-invoker", "assay-model-invoker", List.of("assay.prompts"), 1234, true),
                        new PipelineStatus.StageLag(
                                "judge", "assay-judge", List.of("assay.items", "assay.responses"), 7, false)),
                new PipelineStatus.DeadLetterSummary(
                        2,
                        false,
                        List.of(new PipelineStatus.DeadLetter(
                                Instant.parse("2026-12-01T08:59:00Z"),
                                "judge",
                                "assay.items",
                                "missing field\n benchmark"))),
                List.of(new PipelineStatus.BreakerOpen(
                        "gpt-dead",
                        "dyval",
                        Instant.parse("2026-12-01T08:59:30Z"),
                        "circuit breaker of 127.0.0.1:9 is open after consecutive failures")));
        byte[] body = Json.writeBytes(status);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/status", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
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
        return cli.execute(args);
    }

    @Test
    void printsLagDeadLettersAndTheirReasons() {
        run("status", "--api", "http://127.0.0.1:" + server.getAddress().getPort());

        assertThat(out.toString())
                .containsPattern("model-invoker +assay-model-invoker +1234")
                .containsPattern("judge +assay-judge +7 \\(never ran\\)")
                .contains("dead letters in the last hour: 2")
                .contains("2026-12-01T08:59:00Z  judge  assay.items: missing field benchmark")
                .contains("circuit breakers open: 1")
                .contains("gpt-dead  since 2026-12-01T08:59:30Z  circuit breaker of 127.0.0.1:9 is open");
    }

    @Test
    void jsonCarriesTheAggregatorsStatusWhole() throws IOException {
        run(
                "status",
                "--json",
                "--api",
                "http://127.0.0.1:" + server.getAddress().getPort());

        var tree = Json.mapper().readTree(out.toString());
        assertThat(tree.path("pipeline").path("stages").size()).isEqualTo(3);
        assertThat(tree.path("pipeline").path("deadLetters").path("lastHour").asLong())
                .isEqualTo(2);
        assertThat(tree.path("processes").isArray()).isTrue();
    }

    @Test
    void anUnreachableAggregatorIsSaidAndExitsOne() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        assertThat(run("status", "--api", "http://127.0.0.1:" + port)).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach the aggregator");
        assertThat(out.toString().getBytes(StandardCharsets.UTF_8)).isNotEmpty();
    }

    @Test
    void anAggregatorThatCannotReadThePipelineIsQuotedAndExitsOne() throws IOException {
        // Given an aggregator whose broker is down: /api/status answers 503 with its reason
        HttpServer down = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        down.createContext("/api/status", exchange -> {
            byte[] body = "{\"status\":503,\"message\":\"status unavailable: the broker did not answer within 5 s\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(503, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        });
        down.start();
        try {
            String api = "http://127.0.0.1:" + down.getAddress().getPort();
            assertThat(run("status", "--api", api)).isEqualTo(1);
            // Then the reason, not the JSON it came in, and not "cannot reach the aggregator"
            assertThat(err.toString())
                    .contains("Pipeline: GET " + api + "/api/status: status unavailable: the broker did not answer"
                            + " within 5 s")
                    .doesNotContain("{")
                    .doesNotContain("cannot reach");
        } finally {
            down.stop(0);
        }
    }
}
