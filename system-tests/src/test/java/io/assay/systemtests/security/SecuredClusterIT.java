package io.assay.systemtests.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.assay.cli.DemoSetup;
import io.assay.cli.api.AggregatorClient;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.stack.Component;
import io.assay.cli.stack.LocalStack;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Json;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Topics;
import io.assay.systemtests.Kcat;
import io.assay.systemtests.ServiceProcess;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The four packaged services against a secured broker — SASL_SSL, TLS with the broker's own self-signed
 * certificate (trusted as a PEM file, {@code KAFKA_SSL_TRUSTSTORE_TYPE=PEM}, as the Helm chart trusts a cluster's
 * CA) and the services logging in with SCRAM-SHA-512, as a production cluster is set up — configured
 * as an operator would, through {@code KAFKA_*} variables only: every client of every service (Kafka Streams,
 * the config readers, the invoker's answer log and channel, the aggregator's snapshots) must carry the login
 * and the trust store, or items are never judged. With a wrong password, without the cluster's certificate
 * in its trust store, or with a trust store file that is not there, each service stops at once with a message
 * naming the settings to check. Services on
 * ports 8080 + 16000.
 */
@RequiresBroker
class SecuredClusterIT {
    private static final int PORT_OFFSET = 16_000;
    private static final int ITEMS = 40;
    private static final int KCAT_ITEMS = 10;
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final Duration FAIL_FAST = Duration.ofSeconds(60);
    private static final Path REPO =
            Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
    private static final Path HOME = REPO.resolve("system-tests/target/secured-it");

    private static TestBroker broker;
    private static LocalStack services;
    private static TestClient kafka;

    @BeforeAll
    static void start() {
        broker = TestBroker.startSecured();
        kafka = broker.client();
        services = new LocalStack(REPO, HOME, PORT_OFFSET);
        services.startServices(broker.bootstrapServers(), login(TestBroker.SERVICE_PASSWORD), System.out);
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theDemosItemsAreJudgedEndToEndOnASaslSslScramCluster() {
        // Given the demo's four simulated models and benchmark, registered on the secured cluster
        String benchmark = "secured-" + System.currentTimeMillis();
        List<ModelSpec> models = DemoSetup.models(Instant.now());
        kafka.send(Topics.BENCHMARKS, benchmark, DemoSetup.benchmark(benchmark, Instant.now()));
        models.forEach(m -> kafka.send(Topics.MODELS, m.modelId(), m));

        // When items are published
        ItemGenerator generator = new ItemGenerator(benchmark, 31);
        for (int i = 0; i < ITEMS; i++) {
            BenchmarkItem item = generator.item(i, Instant.now());
            kafka.send(Topics.ITEMS, item.key(), item);
        }

        // Then every model is judged on every item, and the leaderboard says so
        awaitJudged(benchmark, models, ITEMS);
        // And the snapshot publisher, a client of its own, reached the cluster too
        assertThat(kafka.readAll(Topics.LEADERBOARDS))
                .anyMatch(s -> s.benchmark().equals(benchmark));
    }

    @Test
    void itemsPublishedByKcatOverSaslSslAreJudgedWhereItsLibrdkafkaSpeaksKafka4Scram() throws Exception {
        Optional<Path> kcat = Kcat.binary();
        assumeTrue(kcat.isPresent(), Kcat.MISSING);
        // Given the demo's models and a benchmark on the secured cluster, and items as lines key|value
        String benchmark = "secured-kcat-" + System.currentTimeMillis();
        List<ModelSpec> models = DemoSetup.models(Instant.now());
        kafka.send(Topics.BENCHMARKS, benchmark, DemoSetup.benchmark(benchmark, Instant.now()));
        models.forEach(m -> kafka.send(Topics.MODELS, m.modelId(), m));
        ItemGenerator generator = new ItemGenerator(benchmark, 32);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < KCAT_ITEMS; i++) {
            BenchmarkItem item = generator.item(i, Instant.now());
            lines.add(item.key() + "|" + new String(Json.writeBytes(item), StandardCharsets.UTF_8));
        }
        Path file = HOME.resolve("kcat-items.txt");
        Files.createDirectories(HOME);
        Files.write(file, lines, StandardCharsets.UTF_8);

        // When kcat publishes them over TLS, logging in with SCRAM and trusting the broker's certificate (PEM)
        Kcat.Run run = Kcat.run(
                kcat.get(),
                broker.bootstrapServers(),
                Topics.ITEMS.name(),
                file,
                Map.of(
                        "security.protocol",
                        "SASL_SSL",
                        "sasl.mechanisms",
                        "SCRAM-SHA-512",
                        "sasl.username",
                        TestBroker.SERVICE_USER,
                        "sasl.password",
                        TestBroker.SERVICE_PASSWORD,
                        "ssl.ca.location",
                        broker.serviceLogin(TestBroker.SERVICE_USER, TestBroker.SERVICE_PASSWORD)
                                .get("ssl.truststore.location")));

        int[] librdkafka = Kcat.librdkafka(kcat.get());
        if (librdkafka[0] * 10_000 + librdkafka[1] * 100 + librdkafka[2] < 2_06_01) {
            // Then, with a librdkafka before 2.6.1 (Debian 12's kcat has 2.0.2), the TLS handshake passes but a Kafka
            // 4 broker refuses its SCRAM exchange as invalid credentials (librdkafka#4895, fixed in 2.6.1): what a
            // user of that kcat sees, and why the README asks for 2.6.1 or later on a SCRAM cluster
            System.out.printf(
                    "kcat with librdkafka %d.%d.%d on SASL_SSL + SCRAM-SHA-512: exit %d, %s%n",
                    librdkafka[0],
                    librdkafka[1],
                    librdkafka[2],
                    run.exit(),
                    run.output().strip());
            assertThat(run.exit()).isNotZero();
            assertThat(run.output()).contains("SASL authentication error").doesNotContain("SSL handshake failed");
            return;
        }
        // Then every model is judged on every item
        assertThat(run.exit()).as("kcat: " + run.output()).isZero();
        awaitJudged(benchmark, models, KCAT_ITEMS);
    }

    @Test
    void withAWrongPasswordEveryServiceStopsAtOnceNamingTheSetting() throws Exception {
        // Given each service configured with the wrong password
        Map<String, String> wrong = env(login("not-the-password"));
        // When it starts, then it exits well before its readiness deadline, its log saying what to check
        assertEveryServiceStops(
                "wrong password", wrong, "SCRAM-SHA-512", "kafka.sasl.jaas.config (KAFKA_SASL_JAAS_CONFIG)");
    }

    @Test
    void withoutTheClustersCertificateEveryServiceStopsAtOnceNamingTheTrustStore() throws Exception {
        // Given each service configured with the right login but no trust store: the JDK's own CAs, which do not
        // include the broker's self-signed certificate
        Map<String, String> untrusting = env(login(TestBroker.SERVICE_PASSWORD));
        untrusting.keySet().removeIf(variable -> variable.startsWith("KAFKA_SSL_TRUSTSTORE_"));
        // When it starts, then it exits well before its readiness deadline, its log saying what to check
        assertEveryServiceStops(
                "no trust store",
                untrusting,
                "TLS handshake",
                "PKIX path building failed",
                "kafka.ssl.truststore.location (KAFKA_SSL_TRUSTSTORE_LOCATION)");
    }

    @Test
    void withATrustStoreFileThatIsNotThereEveryServiceStopsAtOnceNamingTheFile() throws Exception {
        // Given each service pointed at a trust store file that is not there, as when the chart mounts a secret under
        // another name: Kafka cannot make any client of these settings, so the broker is never asked
        Map<String, String> missing = env(login(TestBroker.SERVICE_PASSWORD));
        missing.put(
                "KAFKA_SSL_TRUSTSTORE_LOCATION", HOME.resolve("no-such-ca.pem").toString());
        // When it starts, then it exits well before its readiness deadline, its log saying what to check in one line
        assertEveryServiceStops(
                "trust store file not there",
                missing,
                "no-such-ca.pem, does not exist",
                "kafka.ssl.truststore.location (KAFKA_SSL_TRUSTSTORE_LOCATION)");
        // and no stack trace: before, each client's failure to load the file was logged with Kafka's (about 900 lines)
        for (Component service : Component.services()) {
            List<String> log = Files.readAllLines(
                    HOME.resolve("trust-store-file-not-there").resolve(service.name() + ".log"));
            assertThat(log).as(service.name()).noneMatch(line -> line.startsWith("\tat "));
        }
    }

    /** Starts each service with {@code env}: it must exit within {@link #FAIL_FAST}, logging a refusal with {@code named}. */
    private static void assertEveryServiceStops(String scenario, Map<String, String> env, String... named)
            throws Exception {
        String dir = scenario.replace(' ', '-');
        for (Component service : Component.services()) {
            Path log = HOME.resolve(dir).resolve(service.name() + ".log");
            Files.deleteIfExists(log); // a log of an earlier run is appended to
            ServiceProcess process = new ServiceProcess(
                    REPO,
                    service.name(),
                    log,
                    service.port() + PORT_OFFSET + 100,
                    List.of("-Djava.io.tmpdir=" + HOME.resolve(dir + "/state-" + service.name())),
                    env);
            long started = System.nanoTime();
            try {
                assertThatThrownBy(process::start).as(service.name()).hasMessageContaining("exited");
            } finally {
                process.stop();
            }
            String refusal = Files.readAllLines(log).stream()
                    .filter(l -> l.contains("ERROR [io.assay.kit.kafka.KafkaStartup]"))
                    .findFirst()
                    .orElse("(no refusal logged)");
            System.out.printf("%s: %s logged: %s%n", scenario, service.name(), refusal);
            assertThat(refusal).as(service.name()).contains(named);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("%s: %s stopped after %.1f s%n", scenario, service.name(), took.toMillis() / 1000.0);
            assertThat(took).as(service.name()).isLessThan(FAIL_FAST);
        }
    }

    /**
     * The variables an operator sets for a SCRAM login over TLS: {@code KAFKA_*}, which the kit reads for every client
     * ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_*}, {@code KAFKA_SSL_TRUSTSTORE_*}).
     */
    private static Map<String, String> login(String password) {
        Map<String, String> env = new HashMap<>();
        broker.serviceLogin(TestBroker.SERVICE_USER, password)
                .forEach((setting, value) ->
                        env.put("KAFKA_" + setting.toUpperCase().replace('.', '_'), value));
        return env;
    }

    private static Map<String, String> env(Map<String, String> login) {
        Map<String, String> env = new HashMap<>(login);
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        return env;
    }

    /** Waits until each of {@code models} has {@code items} judgments on {@code benchmark}'s leaderboard. */
    private static void awaitJudged(String benchmark, List<ModelSpec> models, int items) {
        AggregatorClient api = new AggregatorClient(services.url(Component.AGGREGATOR));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Optional<LeaderboardSnapshot> board = Optional.empty();
        while (System.nanoTime() < deadline && !complete(board, models, items)) {
            try {
                board = api.leaderboard(benchmark, "accuracy");
            } catch (AggregatorClient.ApiException notYet) {
                board = Optional.empty();
            }
            sleep(500);
        }
        assertThat(board)
                .as("the leaderboard of %s on the secured cluster", benchmark)
                .isPresent();
        assertThat(board.get().rows())
                .extracting(LeaderboardSnapshot.Row::n)
                .containsOnly((long) items)
                .hasSize(models.size());
    }

    private static boolean complete(Optional<LeaderboardSnapshot> board, List<ModelSpec> models, int items) {
        return board.isPresent()
                && board.get().rows().size() == models.size()
                && board.get().rows().stream().allMatch(r -> r.n() == items);
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
