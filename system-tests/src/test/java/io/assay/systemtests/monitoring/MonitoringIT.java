package io.assay.systemtests.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.DemoSetup;
import io.assay.cli.api.AggregatorClient;
import io.assay.cli.api.ServiceHttp;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.stack.Component;
import io.assay.cli.stack.LocalStack;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Protocol;
import io.assay.contracts.Provider;
import io.assay.contracts.Topics;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitoring files under {@code deploy/} against the real thing: the four packaged services as
 * separate processes (ports + 12000) on the in-JVM broker, with items, models and a few invalid
 * events fed through them. Checks that the services export what the dashboards and alert rules
 * query, and that Debian's {@code prometheus}, run with the shipped scrape config, reads the
 * {@code assay_*} series back.
 */
@RequiresBroker
class MonitoringIT {
    private static final int PORT_OFFSET = 12_000;
    private static final int PROMETHEUS_PORT = 9090 + PORT_OFFSET;
    private static final int ITEMS = 20;
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final String BENCHMARK = "monitoring-" + System.currentTimeMillis();
    /** A benchmark judged by a sim judge, pairwise in both orders, with a real-provider model that cannot be reached. */
    private static final String JUDGED = "monitoring-judged-" + System.currentTimeMillis();
    /** A benchmark whose reference judge changes version, so the judge measures its drift on the canaries. */
    private static final String DRIFTED = "monitoring-drifted-" + System.currentTimeMillis();
    /** Series names of the services, the JVM and the Kafka clients, as PromQL spells them. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:assay|kafka|jvm|process|http_server)_[a-zA-Z0-9_]+)");

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private static Path repo;
    private static LocalStack services;
    private static final HttpClient HTTP = ServiceHttp.client(Duration.ofSeconds(2));

    @BeforeAll
    static void startServicesAndFeedThem() {
        repo = Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
        services = new LocalStack(repo, repo.resolve("system-tests/target/monitoring-it"), PORT_OFFSET);
        services.startServices(TestBroker.get().bootstrapServers(), System.out);
        try (TestClient kafka = TestBroker.get().client()) {
            List<ModelSpec> models = DemoSetup.models(Instant.now());
            kafka.send(Topics.BENCHMARKS, BENCHMARK, DemoSetup.benchmark(BENCHMARK, Instant.now()));
            models.forEach(m -> kafka.send(Topics.MODELS, m.modelId(), m));
            ItemGenerator generator = new ItemGenerator(BENCHMARK, 21);
            for (int i = 0; i < ITEMS; i++) {
                BenchmarkItem item = generator.item(i, Instant.now());
                kafka.send(Topics.ITEMS, item.key(), item);
            }
            // One event no stage can parse, on each stage's input: the dead-letter meters come to exist.
            for (String topic :
                    List.of(Topics.Names.ITEMS, Topics.Names.PROMPTS, Topics.Names.RESPONSES, Topics.Names.JUDGMENTS)) {
                kafka.sendRaw(topic, BENCHMARK + "/broken", "{not json");
            }
            awaitBoard(models.size());
            feedTheJudgedBenchmark(kafka, models.get(0).modelId());
            changeAJudge(kafka);
            // A judgment delivered twice: the aggregator's duplicate meter comes to exist.
            ConsumerRecord<String, byte[]> judgment = kafka.readAllRaw(Topics.Names.JUDGMENTS).stream()
                    .filter(r -> r.key().startsWith(BENCHMARK + "/") && !r.key().endsWith("/broken"))
                    .findFirst()
                    .orElseThrow();
            kafka.sendRaw(Topics.Names.JUDGMENTS, judgment.key(), judgment.value());
            awaitMetric(Component.AGGREGATOR, "assay_aggregator_duplicates_total");
            for (Component c : Component.services()) {
                awaitMetric(c, "assay_" + c.name().replace('-', '_') + "_dead_letters_total");
            }
        }
    }

    @AfterAll
    static void stopServices() {
        if (services != null) {
            List<ProcessHandle> processes = services.processes();
            services.stop();
            assertThat(processes).as("no service process is left running").noneMatch(ProcessHandle::isAlive);
        }
    }

    @Test
    void everyServiceExportsItsOwnMetersAndItsConsumerLag() {
        for (Component c : Component.services()) {
            // When a service's /q/metrics is scraped after real traffic
            String body = get(services.url(c) + "/q/metrics");
            writeQuietly(services.home().resolve(c.name() + ".prom"), body);

            // Then it has its own assay_<service>_* series and the Kafka consumer lag
            assertThat(body)
                    .as(c.name())
                    .contains("assay_" + c.name().replace('-', '_') + "_")
                    .contains("kafka_consumer_fetch_manager_records_lag_max");
        }
        // and the provider latency timer has histogram buckets (quantiles across replicas in Prometheus)
        assertThat(get(services.url(Component.MODEL_INVOKER) + "/q/metrics"))
                .contains("assay_model_invoker_latency_seconds_bucket{");
    }

    @Test
    void readinessCoversKafkaAndStreamsStateAndTheApiIsDescribedByOpenApi() {
        // When each running service's health and the aggregator's API document are read
        for (Component c : Component.services()) {
            String ready = get(services.url(c) + "/q/health/ready");
            String live = get(services.url(c) + "/q/health/live");

            // Then readiness is UP and includes the kit's check (broker, config read, and for the three
            // Kafka Streams services their topology RUNNING), the invoker's also its answer store; liveness is UP
            assertThat(ready)
                    .as(c.name())
                    .contains("\"status\": \"UP\"")
                    .contains("kafka consuming")
                    .contains("\"broker\": \"READY\"")
                    .contains("\"config\": \"read\"");
            if (c == Component.MODEL_INVOKER) {
                assertThat(ready).contains("answer-store");
            } else {
                assertThat(ready).as(c.name()).contains("\"streams\": \"RUNNING\"");
            }
            assertThat(live).as(c.name()).contains("\"status\": \"UP\"").contains("kafka clients");
        }
        assertThat(get(services.url(Component.AGGREGATOR) + "/q/openapi?format=json"))
                .contains("/api/benchmarks/{benchmark}/leaderboard");
    }

    @Test
    void everyMetricTheDashboardsAndAlertRulesQueryIsExported() throws IOException {
        // Given every series name the services export after real traffic
        Set<String> exported = new TreeSet<>();
        for (Component c : Component.services()) {
            exported.addAll(seriesNames(get(services.url(c) + "/q/metrics")));
        }

        // When the dashboards and alert rules are read
        Map<String, Set<String>> used = new TreeMap<>();
        try (Stream<Path> files = Stream.concat(
                Files.list(repo.resolve("deploy/grafana/dashboards")),
                Files.list(repo.resolve("deploy/prometheus/rules")))) {
            for (Path f : files.toList()) {
                Matcher m = METRIC.matcher(Files.readString(f));
                while (m.find()) {
                    used.computeIfAbsent(m.group(1), k -> new TreeSet<>())
                            .add(f.getFileName().toString());
                }
            }
        }

        // Then each of them is one the services export
        assertThat(used).as("metric names in deploy/").isNotEmpty();
        Map<String, Set<String>> missing = new TreeMap<>(used);
        missing.keySet().removeAll(exported);
        assertThat(missing).as("queried in deploy/ but exported by no service").isEmpty();
    }

    @Test
    void theAlertRulesAreValid() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(PROMTOOL),
                "promtool not installed (Debian package prometheus; .ci/run installs it): rules not checked");
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString(), "check", "rules"));
        try (Stream<Path> rules = Files.list(repo.resolve("deploy/prometheus/rules"))) {
            rules.map(Path::toString).sorted().forEach(command::add);
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void prometheusWithTheShippedScrapeConfigReadsTheAssaySeriesBack() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(PROMETHEUS),
                "prometheus not installed (Debian package prometheus; .ci/run installs it): scrape not checked");
        // Given the shipped scrape config, pointed at this test's ports and scraping every second
        Path dir = repo.resolve("system-tests/target/monitoring-it/prometheus");
        Files.createDirectories(dir);
        String config = Files.readString(repo.resolve("deploy/prometheus/prometheus.yml"));
        for (Component c : Component.services()) {
            config = config.replace("127.0.0.1:" + c.port(), "127.0.0.1:" + services.port(c));
        }
        config = config.replaceAll("scrape_interval: \\w+", "scrape_interval: 1s")
                .replaceAll("evaluation_interval: \\w+", "evaluation_interval: 1s")
                .replace("rules/", repo.resolve("deploy/prometheus/rules") + "/");
        Path configFile = dir.resolve("prometheus.yml");
        Files.writeString(configFile, config);

        // When Prometheus runs with it
        Process prometheus = new ProcessBuilder(
                        PROMETHEUS.toString(),
                        "--config.file=" + configFile,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + PROMETHEUS_PORT)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        try {
            // Then every service's own series can be queried through its HTTP API, labelled service=<name>
            // (as the dashboards group them), and the alert rules are loaded
            for (Component c : Component.services()) {
                String query = "count({__name__=~\"assay_.+\",service=\"" + c.name() + "\"})";
                String result = awaitQuery(query);
                assertThat(result)
                        .as(c.name())
                        .contains("\"status\":\"success\"")
                        .contains("\"value\"");
            }
            String rules = get("http://127.0.0.1:" + PROMETHEUS_PORT + "/api/v1/rules");
            assertThat(rules).contains("\"type\":\"alerting\"").doesNotContain("\"health\":\"err\"");
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
    }

    private static String awaitQuery(String query) {
        String url = "http://127.0.0.1:" + PROMETHEUS_PORT + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = get(url);
                if (last.contains("\"value\"")) {
                    return last;
                }
            } catch (AssertionError notYet) {
                last = notYet.getMessage();
            }
            sleep(500);
        }
        throw new AssertionError("no answer to " + query + " within 60 s: " + last);
    }

    /** The series names in Prometheus text exposition format. */
    private static Set<String> seriesNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static String get(String url) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(url + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new AssertionError(url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Keeps a scrape for whoever reads a failure. */
    private static void writeQuietly(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            // only a debugging aid
        }
    }

    /**
     * Three items of a benchmark with a position-swapped pairwise sim judge (the judge's verdict and
     * consistency meters, the aggregator's freshness) and an {@code openai} model whose endpoint refuses
     * connections (the invoker's typed failures and its endpoint's breaker).
     */
    private static void feedTheJudgedBenchmark(TestClient kafka, String baseline) {
        ModelSpec judge = new ModelSpec(
                "mon-judge",
                "Simulated judge",
                Provider.SIM,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of("judges-only"),
                new ModelSpec.SimSpec(0.0, 50, 1, 0.0, 12L, null, null, 1.0, 0.5, 0.5),
                Instant.now());
        ModelSpec unreachable = new ModelSpec(
                "mon-unreachable",
                "An endpoint nobody listens on",
                Provider.OPENAI,
                "http://127.0.0.1:" + unusedPort() + "/v1",
                "none",
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(JUDGED),
                null,
                Instant.now());
        kafka.send(Topics.MODELS, judge.modelId(), judge);
        kafka.send(Topics.MODELS, unreachable.modelId(), unreachable);
        JudgeSpec pairwise = new JudgeSpec(
                "pairwise", Protocol.PAIRWISE, null, null, judge.modelId(), null, List.of(baseline), 500, true);
        kafka.send(
                Topics.BENCHMARKS,
                JUDGED,
                new BenchmarkSpec(
                        JUDGED,
                        null,
                        null,
                        1,
                        false,
                        List.of(JudgeSpec.REFERENCE_AUTO, pairwise),
                        Map.of(),
                        List.of(baseline),
                        Instant.now()));
        ItemGenerator generator = new ItemGenerator(JUDGED, 22);
        for (int i = 0; i < 3; i++) {
            BenchmarkItem item = generator.item(i, Instant.now());
            kafka.send(Topics.ITEMS, item.key(), item);
        }
        awaitMetric(Component.JUDGE, "assay_judge_swapped_pairs_total");
        awaitMetric(Component.JUDGE, "assay_judge_verdicts_total");
        awaitMetric(Component.MODEL_INVOKER, "assay_model_invoker_breaker_open");
        awaitMetric(Component.MODEL_INVOKER, "assay_model_invoker_failures_total");
        awaitMetric(Component.AGGREGATOR, "assay_aggregator_freshness_seconds_bucket");
    }

    /**
     * A benchmark judged by the reference judge, whose version then changes: the judge's canary task judges
     * the canaries again and the drift meters come to exist. Its items include some on the judge input's
     * partition 0, where the canaries are kept.
     */
    private static void changeAJudge(TestClient kafka) {
        BenchmarkSpec spec = DemoSetup.benchmark(DRIFTED, Instant.now());
        kafka.send(Topics.BENCHMARKS, DRIFTED, spec);
        ItemGenerator generator = new ItemGenerator(DRIFTED, 23);
        Set<String> onCanaryPartition = new TreeSet<>();
        for (int i = 0; onCanaryPartition.size() < 2; i++) {
            BenchmarkItem item = generator.item(i, Instant.now());
            kafka.send(Topics.ITEMS, item.key(), item);
            byte[] key = item.key().getBytes(StandardCharsets.UTF_8);
            if (Utils.toPositive(Utils.murmur2(key)) % Topics.PARTITIONS == 0) {
                onCanaryPartition.add(item.key());
            }
        }
        // Once they are judged (at version 1) they are canaries; then the judge changes
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!kafka.readAllRaw(Topics.Names.JUDGMENTS).stream()
                .map(ConsumerRecord::key)
                .collect(java.util.stream.Collectors.toSet())
                .containsAll(onCanaryPartition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the items of " + DRIFTED + " were not judged within " + PATIENCE);
            }
            sleep(300);
        }
        JudgeSpec reference = JudgeSpec.REFERENCE_AUTO;
        JudgeSpec newVersion = new JudgeSpec(
                reference.id(), reference.protocol(), reference.method(), "2", null, null, null, null, null);
        kafka.send(
                Topics.BENCHMARKS,
                DRIFTED,
                new BenchmarkSpec(
                        DRIFTED,
                        spec.description(),
                        spec.templates(),
                        spec.samplesPerItem(),
                        spec.shuffleChoices(),
                        List.of(newVersion),
                        spec.categoryWeights(),
                        spec.tagCategories(),
                        spec.baselines(),
                        Instant.now(),
                        spec.evaluation()));
        awaitMetric(Component.JUDGE, "assay_judge_drift_agreement");
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitMetric(Component c, String name) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!get(services.url(c) + "/q/metrics").contains(name)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(c.name() + " did not export " + name + " within " + PATIENCE);
            }
            sleep(300);
        }
    }

    private static void awaitBoard(int models) {
        AggregatorClient api = new AggregatorClient(services.url(Component.AGGREGATOR));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                LeaderboardSnapshot board =
                        api.leaderboard(BENCHMARK, "accuracy").orElse(null);
                if (board != null
                        && board.rows().size() == models
                        && board.rows().stream().allMatch(r -> r.n() == ITEMS)) {
                    return;
                }
            } catch (AggregatorClient.ApiException notReady) {
                // not yet
            }
            sleep(500);
        }
        throw new AssertionError("leaderboard of " + BENCHMARK + " not complete within " + PATIENCE);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
