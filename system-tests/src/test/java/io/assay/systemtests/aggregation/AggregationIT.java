package io.assay.systemtests.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.assay.cli.Assay;
import io.assay.cli.api.ServiceHttp;
import io.assay.contracts.Json;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.systemtests.faults.Ledger;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged aggregator as separate processes (port offset 13000) against the real in-JVM broker:
 * {@code assay import judgments} of an unregistered benchmark yields the hand-worked views; a hard
 * kill mid-stream plus redelivered judgments leave every view identical to a fresh aggregator that
 * replays the ledger from offset 0 without interruption.
 */
@RequiresBroker
class AggregationIT {
    private static final int PORT = 8080 + 13_000;
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final double EXACT = 1e-9;
    private static final List<String> VIEWS = List.of(
            "accuracy",
            "score",
            "wb-score",
            "wb-reward",
            "winrate",
            "lc-winrate",
            "bt",
            "elo",
            "format-spread",
            "post-cutoff",
            "regression");

    private static Path repo;
    private static Path home;
    private static TestClient kafka;
    private static final HttpClient HTTP = ServiceHttp.client();
    private static final List<AggregatorProcess> STARTED = new ArrayList<>();

    @BeforeAll
    static void setUp() throws IOException {
        repo = Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
        home = repo.resolve("system-tests/target/aggregation-it");
        Files.createDirectories(home);
        kafka = TestBroker.get().client();
    }

    @AfterAll
    static void tearDown() throws InterruptedException {
        for (AggregatorProcess p : STARTED) {
            p.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static AggregatorProcess aggregator(String applicationId, int port) throws Exception {
        AggregatorProcess p =
                new AggregatorProcess(repo, TestBroker.get().bootstrapServers(), applicationId, home, port);
        STARTED.add(p);
        return p.start();
    }

    @Test
    void importedJudgmentsOfAnUnregisteredBenchmarkYieldTheViewsWithDefaults() throws Exception {
        // Given: a running aggregator and a file of score, pairwise and preference judgments for a
        // benchmark and models nobody registered, one invalid line (no kind) and one unparseable verdict
        AggregatorProcess agg = aggregator("assay-agg-it-import-" + UUID.randomUUID(), PORT);
        String b = "imported-" + System.currentTimeMillis();
        List<String> lines = new ArrayList<>();
        lines.add(score(b, "s1", "Creative Tasks", "m1", 8, false));
        lines.add(inCategories(score(b, "s2", "Coding & Debugging", "m1", 9, false), "Planning & Reasoning"));
        lines.add(score(b, "s3", "Coding & Debugging", "m1", 3, true));
        lines.add(score(b, "s1", "Creative Tasks", "m2", 6, false));
        lines.add(score(b, "s2", "Coding & Debugging", "m2", 5, false));
        lines.add(score(b, "s3", "Coding & Debugging", "m2", 4, false));
        lines.add("{\"judgmentId\":\"bad\",\"benchmark\":\"" + b + "\",\"itemId\":\"x\"}");
        lines.add(unparseableScore(b, "s4", "m2"));
        lines.add(pairwise(b, "p1", "Creative Tasks", "m1", "much_better", "base-a", 100, 100, false));
        lines.add(pairwise(b, "p2", "Coding & Debugging", "m1", "better", "base-a", 700, 100, false));
        lines.add(pairwise(b, "p3", "Coding & Debugging", "m1", "worse", "base-a", 100, 200, false));
        lines.add(pairwise(b, "p1", "Creative Tasks", "m1", "better", "base-b", 100, 100, true));
        lines.add(pairwise(b, "p1", "Creative Tasks", "m2", "much_worse", "base-a", 100, 100, false));
        lines.add(preference(b, "a1", "m1", 2.0));
        lines.add(preference(b, "a2", "m1", 1.5));
        lines.add(preference(b, "a3", "m1", 0));
        lines.add(preference(b, "a1", "m2", 1.0));
        lines.add(preference(b, "a2", "m2", 1.2));
        Path file = home.resolve(b + ".jsonl");
        Files.write(file, lines);

        // When: imported with the CLI
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Assay.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(
                        "import",
                        "judgments",
                        file.toString(),
                        "--bootstrap",
                        TestBroker.get().bootstrapServers());

        // Then: the invalid line is reported by file and line, the others are published and counted as
        // judgments of an unregistered benchmark and unregistered models
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains(file + ":7: ");
        assertThat(out.toString())
                .contains("Published: 17 Judgment(s)")
                .contains("Unregistered benchmarks: 17 judgment(s) [" + b + "]")
                .contains("unregistered models: 17 judgment(s) [m1, m2]");

        // Then: WB-Score, by hand with WildBench's formula: m1 (20/3 − 5)·20, Creative (8 − 5)·20 = 60, Coding
        // 80 (the truncated 3 left out), Planning & Reasoning 80 (s2 is in both groups), task macro over all
        // five weights (0.5·60 + 1.25·80 + 1.25·80)/4.75; m2 0, Creative 20, Coding −10, no Planning, task
        // macro (0.5·20 − 1.25·10)/4.75; its unparseable verdict counted
        LeaderboardSnapshot wb = await(agg, b, "wb-score", s -> s.judgments() == 7);
        Row m1 = row(wb, "m1");
        assertThat(m1.value()).isCloseTo((20.0 / 3 - 5) * 20, within(EXACT));
        assertThat(number(m1, "WB_score.task_macro")).isCloseTo(230 / 4.75, within(EXACT));
        assertThat(number(m1, "WB_score.Coding & Debugging")).isCloseTo(80.0, within(EXACT));
        assertThat(number(m1, "WB_score.Planning & Reasoning")).isCloseTo(80.0, within(EXACT));
        Row m2 = row(wb, "m2");
        assertThat(m2.value()).isCloseTo(0.0, within(EXACT));
        assertThat(number(m2, "WB_score.task_macro")).isCloseTo((0.5 * 20 - 1.25 * 10) / 4.75, within(EXACT));
        assertThat(m2.metrics().get("unparseable")).isEqualTo(1);
        assertThat(wb.rows()).extracting(Row::modelId).containsExactly("m1", "m2");

        // Then: WB-Reward, K = 500 by default: m1 vs base-a 100·(1 − 0.5)/3 (the +600 better is a tie),
        // vs base-b 0 (its one pair truncated: in total, in no bucket); mixture over both baselines
        LeaderboardSnapshot reward = await(agg, b, "wb-reward", s -> s.judgments() == 5);
        Row r1 = row(reward, "m1");
        assertThat(r1.value()).isCloseTo(100.0 * 0.5 / 3 / 2, within(EXACT));
        assertThat(number(r1, "mixture_of_rewards")).isCloseTo(100.0 * 0.5 / 3 / 2, within(EXACT));
        assertThat(number(r1, "task_macro_reward")).isCloseTo((0.5 * 100 - 1.25 * 25) / 4.75 / 2, within(EXACT));
        assertThat(row(reward, "m2").value()).isCloseTo(-50.0, within(EXACT));
        assertThat(reward.params()).containsEntry("K", 500);

        // Then: AlpacaEval win rate against base-a: m1 p − 1 = 1, .5, .5 (0 is a draw) → 66.67, se 16.67
        LeaderboardSnapshot wr = await(agg, b, "winrate", s -> s.judgments() == 5);
        Row w1 = row(wr, "m1");
        assertThat(w1.value()).isCloseTo(200.0 / 3, within(EXACT));
        assertThat(number(w1, "standard_error")).isCloseTo(16.666666666666668, within(EXACT));
        assertThat(w1.metrics())
                .containsEntry("n_wins", 1)
                .containsEntry("n_draws", 2)
                .containsEntry("n_wins_base", 0);
        Row w2 = row(wr, "m2");
        assertThat(w2.value()).isCloseTo(10.0, within(EXACT));
        assertThat(number(w2, "standard_error")).isCloseTo(10.0, within(EXACT));

        // Then: the CLI prints the same JSON as the API
        StringWriter json = new StringWriter();
        Assay.commandLine()
                .setOut(new PrintWriter(json))
                .execute("leaderboard", b, "--view", "winrate", "--json", "--api", agg.url());
        LeaderboardSnapshot printed = Json.read(json.toString(), LeaderboardSnapshot.class);
        assertThat(withoutTime(printed)).isEqualTo(withoutTime(wr));
        StringWriter table = new StringWriter();
        Assay.commandLine()
                .setOut(new PrintWriter(table))
                .execute("leaderboard", b, "--view", "wb-reward", "--api", agg.url());
        assertThat(table.toString())
                .contains("mixture_of_rewards")
                .contains("task_macro_reward")
                .doesNotContain("NaN");
    }

    @Test
    void aHardKillAndRedeliveriesLeaveEveryViewAsAFreshReplayComputesIt() throws Exception {
        // Given: a live aggregator and a stream of mixed judgments
        String b = "restart-" + System.currentTimeMillis();
        String live = "assay-agg-it-live-" + UUID.randomUUID();
        // models with knowledge cutoffs (post-cutoff) and a version lineage (regression), evaluated on
        // this benchmark only so no other test's pipeline prompts them
        registerModel("r-a", b, "2026-01-05", null);
        registerModel("r-b", b, "2026-01-10", "r-a");
        registerModel("r-c", b, "2026-01-03", null);
        registerModel("r-d", b, null, null);
        AggregatorProcess first = aggregator(live, PORT + 1);
        List<Map.Entry<String, byte[]>> ledger = ledger(b, 1200);

        // When: a third is sent and folded, the process is killed with SIGKILL while the rest streams in
        sendAll(ledger.subList(0, 400));
        await(first, b, "accuracy", s -> s.judgments() > 0);
        Thread sender = new Thread(() -> sendAll(ledger.subList(400, 800)));
        sender.start();
        Thread.sleep(150);
        first.kill();
        sender.join();
        // and the first 250 are delivered again, as a producer retry would
        sendAll(ledger.subList(0, 250));
        AggregatorProcess restarted =
                new AggregatorProcess(repo, TestBroker.get().bootstrapServers(), live, home, PORT + 1);
        STARTED.add(restarted);
        restarted.start();
        sendAll(ledger.subList(800, 1200));
        sendAll(ledger.subList(750, 850));

        // Then: once everything is folded, a fresh aggregator replaying assay.judgments from offset 0
        // computes every view identically
        long distinct = 1200;
        awaitCount(restarted, b, distinct);
        AggregatorProcess replay = aggregator("assay-agg-it-replay-" + UUID.randomUUID(), PORT + 2);
        awaitCount(replay, b, distinct);
        for (String view : VIEWS) {
            LeaderboardSnapshot a = withoutTime(get(restarted, b, view));
            LeaderboardSnapshot c = withoutTime(get(replay, b, view));
            assertThat(a).as(view).isEqualTo(c);
            assertThat(a.rows()).as(view + " has rows").isNotEmpty();
        }
        // And: redelivered judgments are not counted twice
        assertThat(get(restarted, b, "accuracy").judgments()).isEqualTo(300);
    }

    @Test
    void aClientPollingThroughARestartSeesOnly503sAndThenCompleteLeaderboards() throws Exception {
        // Given: an aggregator that folded 4,800 judgments of a benchmark, spread over every partition
        String b = "polled-" + System.currentTimeMillis();
        String app = "assay-agg-it-polled-" + UUID.randomUUID();
        registerModel("r-a", b, null, null);
        registerModel("r-b", b, null, null);
        registerModel("r-c", b, null, null);
        registerModel("r-d", b, null, null);
        AggregatorProcess first = aggregator(app, PORT + 3);
        List<Map.Entry<String, byte[]>> ledger = ledger(b, 4800);
        sendAll(ledger);
        LeaderboardSnapshot complete = await(first, b, "accuracy", s -> s.judgments() == 1200);
        // and committed: the board reads the open transaction's writes too, and a kill before its commit
        // would make the restarted board show the committed count first and then the reprocessed rest
        // (n 1188, then 1200: docs/aggregation.md, "REST semantics")
        awaitCommitted(app);

        // When: it is killed, its disk is lost (so it restores every store from the changelogs), and it
        // restarts, while a client polls the leaderboard every 100 ms
        first.kill();
        deleteTree(home.resolve("state-" + app));
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean polling = new AtomicBoolean(true);
        AggregatorProcess restarted =
                new AggregatorProcess(repo, TestBroker.get().bootstrapServers(), app, home, PORT + 3);
        STARTED.add(restarted);
        Thread poller = new Thread(() -> {
            while (polling.get()) {
                seen.add(poll(restarted.url() + "/api/benchmarks/" + b + "/leaderboard?view=accuracy"));
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        poller.start();
        restarted.start();
        await(restarted, b, "accuracy", s -> s.judgments() == complete.judgments());
        Thread.sleep(2000);
        polling.set(false);
        poller.join();

        // Then: it saw no answer (process down), then only 503s with Retry-After, then the complete board
        String full = "200 n=" + complete.judgments();
        List<String> answers = seen.stream().filter(a -> !a.equals("down")).toList();
        System.out.printf(
                "restart polled: %d polls, %d while down, %d x 503, %d complete%n",
                seen.size(),
                seen.size() - answers.size(),
                answers.stream().filter(a -> a.startsWith("503")).count(),
                answers.stream().filter(full::equals).count());
        assertThat(answers)
                .as("every answer after the restart")
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a).isIn("503 retry-after", full));
        int firstComplete = answers.indexOf(full);
        assertThat(answers.subList(firstComplete, answers.size()))
                .as("once complete, always complete")
                .containsOnly(full);
    }

    /** One poll: {@code down} when nothing answers, else the status with Retry-After or the judgments counted. */
    private static String poll(String url) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return switch (r.statusCode()) {
                case 200 ->
                    "200 n=" + Json.read(r.body(), LeaderboardSnapshot.class).judgments();
                case 503 -> r.headers().firstValue("Retry-After").isPresent() ? "503 retry-after" : "503";
                default -> r.statusCode() + " " + r.body();
            };
        } catch (java.io.IOException e) {
            return "down";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    // ---- the ledger of the restart test ----------------------------------------------------------

    /** 1200 deterministic judgments: 300 each of reference, score, pairwise and preference, 4 models, 75 items. */
    private static List<Map.Entry<String, byte[]>> ledger(String b, int n) {
        Random random = new Random(42);
        String[] models = {"r-a", "r-b", "r-c", "r-d"};
        String[] categories = {"Creative Tasks", "Coding & Debugging", "Planning & Reasoning"};
        String[] outcomes = {"much_better", "better", "tie", "worse", "much_worse"};
        List<Map.Entry<String, byte[]>> out = new ArrayList<>();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            int kind = i % 4;
            int item = i / 16;
            String model = models[(i / 4) % 4];
            String category = categories[item % 3];
            Instant published = t0.plus(Duration.ofHours(item * 7L));
            Map<String, Object> j = base(b, "it-" + item, category, model, "j-" + b + "-" + i);
            j.put("publishedAt", published.toString());
            j.put("judgedAt", t0.plusSeconds(i).toString());
            // written straight to the topic, so with every flag the Judgment record needs
            j.put("truncated", false);
            j.put("empty", false);
            j.put("unparseable", false);
            if (kind == 0) {
                j.put("judge", Map.of("id", "reference", "protocol", "reference"));
                j.put("kind", "correct");
                j.put("correct", random.nextDouble() < 0.3 + 0.15 * ((i / 4) % 4));
                j.put(
                        "subject",
                        Map.of(
                                "modelId",
                                model,
                                "variant",
                                Map.of("format", item % 2 == 0 ? "plain" : "json", "formatVersion", "1", "sample", 0)));
            } else if (kind == 1) {
                j.put("judge", Map.of("id", "wb-score", "protocol", "score"));
                j.put("kind", "score");
                j.put("score", Map.of("value", 1 + random.nextInt(10), "min", 1, "max", 10));
                j.put("truncated", random.nextDouble() < 0.1);
            } else if (kind == 3) {
                j.put("judge", Map.of("id", "weighted", "protocol", "preference", "baselines", List.of("base")));
                j.put("kind", "preference");
                j.put("preference", random.nextInt(5) == 0 ? 0.0 : 1 + random.nextDouble());
                // Both lengths, so the length-controlled win rate has rows too
                j.put("subject", Map.of("modelId", model, "answerChars", random.nextInt(1500)));
                j.put("details", Map.of("baselineModel", "base", "baselineChars", random.nextInt(1500)));
            } else {
                j.put("judge", Map.of("id", "wb-reward", "protocol", "pairwise", "baselines", List.of("base")));
                j.put("kind", "pairwise");
                j.put("subject", Map.of("modelId", model, "answerChars", random.nextInt(1500)));
                j.put(
                        "pairwise",
                        Map.of(
                                "outcome",
                                outcomes[random.nextInt(5)],
                                "baselineModel",
                                "base",
                                "baselineChars",
                                random.nextInt(1500)));
            }
            out.add(Map.entry(b + "/it-" + item, Json.writeBytes(j)));
        }
        return out;
    }

    private static void registerModel(String id, String b, String cutoff, String previous) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("modelId", id);
        m.put("provider", "replay");
        m.put("benchmarks", List.of(b));
        if (cutoff != null) {
            m.put("knowledgeCutoff", cutoff);
        }
        if (previous != null) {
            m.put("previousVersion", previous);
        }
        kafka.sendRaw(io.assay.contracts.Topics.MODELS.name(), id, Json.writeBytes(m));
    }

    private static void sendAll(List<Map.Entry<String, byte[]>> records) {
        for (Map.Entry<String, byte[]> r : records) {
            kafka.sendRaw(io.assay.contracts.Topics.JUDGMENTS.name(), r.getKey(), r.getValue());
        }
    }

    // ---- the import file's lines -----------------------------------------------------------------

    private static Map<String, Object> base(String b, String item, String category, String model, String id) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("judgmentId", id);
        j.put("benchmark", b);
        j.put("itemId", item);
        if (category != null) {
            j.put("category", category);
        }
        j.put("subject", Map.of("modelId", model));
        return j;
    }

    private static String score(String b, String item, String category, String model, double score, boolean truncated) {
        Map<String, Object> j = base(b, item, category, model, "s-" + item + "-" + model);
        j.put("judge", Map.of("id", "wb-score", "protocol", "score"));
        j.put("kind", "score");
        j.put("score", Map.of("value", score, "min", 1, "max", 10));
        j.put("truncated", truncated);
        return Json.write(j);
    }

    /** The judgment line in its category and in {@code more}, as an item with a secondary WildBench tag. */
    @SuppressWarnings("unchecked")
    private static String inCategories(String line, String more) {
        Map<String, Object> j = Json.read(line, Map.class);
        j.put("categories", List.of(j.get("category"), more));
        return Json.write(j);
    }

    private static String unparseableScore(String b, String item, String model) {
        Map<String, Object> j = base(b, item, "Creative Tasks", model, "u-" + item + "-" + model);
        j.put("judge", Map.of("id", "wb-score", "protocol", "score"));
        j.put("kind", "score");
        j.put("unparseable", true);
        return Json.write(j);
    }

    private static String pairwise(
            String b,
            String item,
            String category,
            String model,
            String outcome,
            String baseline,
            int chars,
            int baselineChars,
            boolean truncated) {
        Map<String, Object> j = base(b, item, category, model, "p-" + item + "-" + model + "-" + baseline);
        j.put("subject", Map.of("modelId", model, "answerChars", chars));
        j.put("judge", Map.of("id", "wb-reward", "protocol", "pairwise"));
        j.put("kind", "pairwise");
        j.put("pairwise", Map.of("outcome", outcome, "baselineModel", baseline, "baselineChars", baselineChars));
        j.put("truncated", truncated);
        return Json.write(j);
    }

    private static String preference(String b, String item, String model, double p) {
        Map<String, Object> j = base(b, item, null, model, "a-" + item + "-" + model);
        j.put("judge", Map.of("id", "weighted", "protocol", "preference", "baselines", List.of("base-a")));
        j.put("kind", "preference");
        j.put("preference", p);
        j.put("origin", "human");
        return Json.write(j);
    }

    // ---- reading the API -------------------------------------------------------------------------

    private static LeaderboardSnapshot get(AggregatorProcess agg, String b, String view) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(agg.url() + "/api/benchmarks/" + b + "/leaderboard?view=" + view))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return null;
        }
        return Json.read(r.body(), LeaderboardSnapshot.class);
    }

    private static LeaderboardSnapshot await(
            AggregatorProcess agg, String b, String view, Predicate<LeaderboardSnapshot> done) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        LeaderboardSnapshot last = null;
        while (System.nanoTime() < deadline) {
            last = get(agg, b, view);
            if (last != null && done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(
                "the " + view + " view of " + b + " did not arrive; last: " + last + "\n" + agg.tail());
    }

    /** Waits until the consumer group {@code group} has committed every record it reads. */
    private static void awaitCommitted(String group) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<String> behind = List.of();
        while (System.nanoTime() < deadline) {
            behind = Ledger.lags(TestBroker.get().bootstrapServers()).stream()
                    .filter(l -> l.startsWith(group + " "))
                    .toList();
            if (behind.isEmpty()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(group + " did not commit what it read: " + behind);
    }

    private static void awaitCount(AggregatorProcess agg, String b, long judgments) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(agg.url() + "/api/benchmarks"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                for (JsonNode n : Json.mapper().readTree(r.body())) {
                    if (n.get("benchmark").asText().equals(b)) {
                        last = n.get("judgments").asLong();
                    }
                }
                if (last == judgments) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(b + " has " + last + " judgments, expected " + judgments + "\n" + agg.tail());
    }

    private static Row row(LeaderboardSnapshot s, String model) {
        return s.rows().stream()
                .filter(r -> r.modelId().equals(model))
                .findFirst()
                .orElseThrow();
    }

    private static double number(Row row, String metric) {
        return ((Number) row.metrics().get(metric)).doubleValue();
    }

    private static LeaderboardSnapshot withoutTime(LeaderboardSnapshot s) {
        return new LeaderboardSnapshot(
                s.benchmark(),
                s.view(),
                Instant.EPOCH,
                s.judgments(),
                s.rows(),
                s.params(),
                s.kendallTau(),
                s.kendallTauLag());
    }
}
