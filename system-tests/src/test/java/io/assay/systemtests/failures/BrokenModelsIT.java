package io.assay.systemtests.failures;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.Assay;
import io.assay.cli.DemoSetup;
import io.assay.cli.api.AggregatorClient;
import io.assay.cli.api.ModelCalls;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.stack.Component;
import io.assay.cli.stack.LocalStack;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Failing;
import io.assay.contracts.Topics;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Issue 14's three broken models — a dead port, an unset key variable, a {@code baseUrl} ending in
 * {@code /chat/completions} — against the four packaged services: {@code models add} refuses each with
 * its cause; registered anyway ({@code --no-check}), each shows its cause in {@code GET /api/models},
 * in {@code assay models list} and in every leaderboard's {@code failing} list, next to the simulated
 * models' rows. Ports 23,000 above the demo's.
 */
@RequiresBroker
class BrokenModelsIT {
    private static final int ITEMS = 12;
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final String BENCHMARK = "broken-" + System.currentTimeMillis();
    private static final String DEAD_PORT = "gpt-dead-port";
    private static final String NO_KEY = "gpt-no-key";
    private static final String SUFFIXED = "gpt-suffixed";
    private static final String UNSET = "ASSAY_KEY_BROKEN_IT_NEVER_SET";

    private static LocalStack services;
    private static TestClient kafka;
    private static AggregatorClient api;

    @BeforeAll
    static void startServices() {
        Path repo =
                Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
        services = new LocalStack(repo, repo.resolve("system-tests/target/broken-models-it"), 23_000);
        services.startServices(TestBroker.get().bootstrapServers(), System.out);
        kafka = TestBroker.get().client();
        api = new AggregatorClient(services.url(Component.AGGREGATOR));
    }

    @AfterAll
    static void stopServices() {
        if (kafka != null) {
            kafka.close();
        }
        if (services != null) {
            services.stop();
        }
    }

    private static String spec(String id, String baseUrl, String credentialEnv) {
        return "{\"modelId\":\"" + id + "\",\"provider\":\"openai\",\"baseUrl\":\"" + baseUrl
                + "\",\"providerModel\":\"gpt-4o-mini\",\"benchmarks\":[\"" + BENCHMARK + "\"]"
                + (credentialEnv == null ? "" : ",\"credentialEnv\":\"" + credentialEnv + "\"") + "}";
    }

    private static final Map<String, String> SPECS = Map.of(
            DEAD_PORT, spec(DEAD_PORT, "http://127.0.0.1:9/v1", null),
            NO_KEY, spec(NO_KEY, "http://127.0.0.1:7/v1", UNSET),
            SUFFIXED, spec(SUFFIXED, "http://127.0.0.1:5/v1/chat/completions", null));

    @Test
    void eachBrokenModelShowsItsCauseWhereUsersLook() {
        // Given: the demo's benchmark and simulated models
        kafka.send(Topics.BENCHMARKS, BENCHMARK, DemoSetup.benchmark(BENCHMARK, Instant.now()));
        DemoSetup.models(Instant.now()).forEach(m -> kafka.send(Topics.MODELS, m.modelId(), m));

        // When: the three broken models are added with the check, Then: each is refused with its cause
        assertRefused(DEAD_PORT, "connection refused by 127.0.0.1:9");
        assertRefused(NO_KEY, UNSET + " (credentialEnv of " + NO_KEY + ") is not set");
        assertRefused(SUFFIXED, "drop the suffix (baseUrl http://127.0.0.1:5/v1)");

        // When: they are registered anyway and items are published
        for (String id : SPECS.keySet()) {
            Cli add = cli("models", "add", "--no-check", "--json", SPECS.get(id));
            assertThat(add.code).as(add.err).isZero();
        }
        ItemGenerator generator = new ItemGenerator(BENCHMARK, 14);
        for (int i = 0; i < ITEMS; i++) {
            BenchmarkItem item = generator.item(i, Instant.now());
            kafka.send(Topics.ITEMS, item.key(), item);
        }

        // Then: every view lists the three as failing, each with its kind and message, and ranks the sims
        LeaderboardSnapshot board = awaitBoard(
                "accuracy",
                b -> b.failing().size() == 3
                        && b.rows().size() == 4
                        && b.rows().stream().allMatch(r -> r.n() >= ITEMS));
        Map<String, Failing> failing =
                board.failing().stream().collect(Collectors.toMap(Failing::modelId, Function.identity()));
        // (once 5 calls failed the endpoint's breaker fails the rest fast, still naming the refused connection)
        assertThat(failing.get(DEAD_PORT).failures().keySet()).containsAnyOf("connection", "circuit_open");
        assertThat(failing.get(DEAD_PORT).lastError().message()).contains("ConnectException from 127.0.0.1:9");
        assertThat(failing.get(NO_KEY).failures()).containsOnlyKeys("missing_credential");
        assertThat(failing.get(NO_KEY).lastError().message()).contains(UNSET);
        assertThat(failing.get(SUFFIXED).failures()).containsOnlyKeys("bad_spec");
        assertThat(failing.get(SUFFIXED).lastError().message())
                .contains("drop the suffix")
                .contains("Assay appends /chat/completions");
        failing.values().forEach(f -> assertThat(f.answered()).isZero());
        assertThat(awaitBoard("bt", b -> b.failing().size() == 3).rows())
                .as("bt has no pairwise judgments")
                .isEmpty();

        // And: GET /api/models says the same per model and benchmark (calls are folded apart from
        // judgments, so they may trail the leaderboard by a moment)
        Map<String, ModelCalls> models = awaitModels(m -> m.containsKey("sim-alpha")
                && m.get("sim-alpha").answered() >= ITEMS
                && m.containsKey(NO_KEY)
                && m.get(NO_KEY).benchmarks().containsKey(BENCHMARK));
        assertThat(models.get(NO_KEY).benchmarks().get(BENCHMARK).failures()).containsKey("missing_credential");
        assertThat(models.get(SUFFIXED).lastError().kind()).isEqualTo("bad_spec");
        assertThat(models.get(DEAD_PORT).answered()).isZero();
        assertThat(models.get("sim-alpha").answered()).isGreaterThanOrEqualTo(ITEMS);

        // And: assay models list prints each cause
        Cli list = cli("models", "list", "--api", services.url(Component.AGGREGATOR));
        assertThat(list.code).isZero();
        System.out.println("$ assay models list\n" + list.out);
        assertThat(list.out)
                .containsPattern(NO_KEY + " [^\\n]*\\n    calls: 0 answered, \\d+ failed \\(missing_credential \\d+\\)"
                        + " · last error missing_credential at \\S+: credential " + UNSET)
                .containsPattern(SUFFIXED + " [^\\n]*\\n    calls: 0 answered, \\d+ failed \\(bad_spec \\d+\\)[^\\n]*"
                        + "drop the suffix")
                .containsPattern(DEAD_PORT + " [^\\n]*\\n    calls: 0 answered, \\d+ failed \\([^\\n]*"
                        + "ConnectException from 127.0.0.1:9")
                .containsPattern("sim-alpha [^\\n]*\\n    calls: [1-9]\\d* answered, \\d+ failed");

        // And: --json gives each model's spec fields and its calls, one object per line
        Cli json = cli("models", "list", "--json", "--api", services.url(Component.AGGREGATOR));
        assertThat(json.code).isZero();
        assertThat(json.out.lines())
                .anySatisfy(l -> assertThat(l)
                        .startsWith("{\"modelId\":\"" + SUFFIXED + "\"")
                        .contains("\"baseUrl\":\"http://127.0.0.1:5/v1/chat/completions\"")
                        .contains("\"calls\":{")
                        .contains("\"failures\":{\"bad_spec\":"));

        // And: the leaderboard command prints them after the ranked rows
        Cli table = cli("leaderboard", BENCHMARK, "--api", services.url(Component.AGGREGATOR));
        assertThat(table.code).isZero();
        System.out.println("$ assay leaderboard " + BENCHMARK + "\n" + table.out);
        assertThat(table.out).containsPattern("—\\s+" + NO_KEY + " .* 0 answered, \\d+ failed \\(missing_credential");

        // And: assay status shows the four stages, and the dead port's breaker while it refuses calls
        Cli status = cli("status", "--api", services.url(Component.AGGREGATOR));
        System.out.println("$ assay status\n" + status.out + status.err);
        assertThat(status.out)
                .containsPattern("model-invoker +assay-model-invoker +\\d+")
                .contains("dead letters in the last hour:");
        ModelCalls dead = api.models().stream()
                .filter(m -> m.modelId().equals(DEAD_PORT))
                .findFirst()
                .orElseThrow();
        if ("circuit_open".equals(dead.lastError().kind())
                && dead.lastError().at().isAfter(java.time.Instant.now().minusSeconds(50))) {
            assertThat(status.out).containsPattern("circuit breakers open: [1-9][\\s\\S]*" + DEAD_PORT);
        }
    }

    private static void assertRefused(String id, String cause) {
        Cli add = cli("models", "add", "--json", SPECS.get(id));
        assertThat(add.code).as(add.out + add.err).isEqualTo(1);
        assertThat(add.err).contains("--json: check failed: ").contains(cause).contains("Nothing published");
    }

    private static LeaderboardSnapshot awaitBoard(String view, java.util.function.Predicate<LeaderboardSnapshot> ok) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        LeaderboardSnapshot last = null;
        while (System.nanoTime() < deadline) {
            try {
                Optional<LeaderboardSnapshot> board = api.leaderboard(BENCHMARK, view);
                if (board.isPresent()) {
                    last = board.get();
                    if (ok.test(last)) {
                        return last;
                    }
                }
            } catch (AggregatorClient.ApiException e) {
                // not ready yet
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("the " + view + " leaderboard did not get there within " + PATIENCE.toSeconds()
                + " s; last: " + last + "\n" + services.tail(Component.MODEL_INVOKER, 20));
    }

    private static Map<String, ModelCalls> awaitModels(java.util.function.Predicate<Map<String, ModelCalls>> ok) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Map<String, ModelCalls> last = Map.of();
        while (System.nanoTime() < deadline) {
            last = api.models().stream().collect(Collectors.toMap(ModelCalls::modelId, Function.identity()));
            if (ok.test(last)) {
                return last;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(
                "GET /api/models did not get there within " + PATIENCE.toSeconds() + " s; last: " + last);
    }

    private record Cli(int code, String out, String err) {}

    private static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Assay.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--bootstrap";
        all[args.length + 1] = TestBroker.get().bootstrapServers();
        int code = cli.execute(all);
        return new Cli(code, out.toString(), err.toString());
    }
}
