package io.assay.systemtests.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.cli.DemoSetup;
import io.assay.cli.api.AggregatorClient;
import io.assay.cli.api.ServiceHttp;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.stack.Component;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Topic;
import io.assay.contracts.Topics;
import io.assay.systemtests.ServiceProcess;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The four packaged services against a broker with an authorizer (Kafka's {@code StandardAuthorizer},
 * nothing allowed without an ACL), each logging in as a SCRAM user of its own that holds exactly the
 * ACLs of the README's "ACLs" table ({@link #grants}), and nothing else: items are judged and the
 * leaderboard appears. Services on ports 8080 + 19000.
 */
@RequiresBroker
class AuthorizedClusterIT {
    private static final int PORT_OFFSET = 19_000;
    private static final int ITEMS = 30;
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final Duration FAIL_FAST = Duration.ofSeconds(60);
    private static final Path REPO =
            Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
    private static final Path HOME = REPO.resolve("system-tests/target/authorized-it");

    private static TestBroker broker;
    private static TestClient kafka;
    private static final Map<Component, ServiceProcess> SERVICES = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        deleteTree(HOME);
        broker = TestBroker.startAuthorized();
        kafka = broker.client();
        for (Component service : Component.services()) {
            broker.createUser(principal(service), TestBroker.SERVICE_PASSWORD);
            broker.allow(grants(service, principal(service)));
        }
        for (Component service : Component.services()) {
            ServiceProcess process =
                    process(service, service.name(), principal(service), service.port() + PORT_OFFSET, Map.of());
            SERVICES.put(service, process);
            process.start();
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (ServiceProcess process : SERVICES.values()) {
            process.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void withOnlyTheReadmesAclsEveryServiceDoesItsWork() throws Exception {
        // Given the demo's four simulated models and benchmark
        String benchmark = "authorized-" + System.currentTimeMillis();
        List<ModelSpec> models = DemoSetup.models(Instant.now());
        kafka.send(Topics.BENCHMARKS, benchmark, DemoSetup.benchmark(benchmark, Instant.now()));
        models.forEach(m -> kafka.send(Topics.MODELS, m.modelId(), m));

        // When items are published, and one that is not JSON
        ItemGenerator generator = new ItemGenerator(benchmark, 37);
        for (int i = 0; i < ITEMS; i++) {
            BenchmarkItem item = generator.item(i, Instant.now());
            kafka.send(Topics.ITEMS, item.key(), item);
        }
        kafka.sendRaw(Topics.ITEMS.name(), benchmark + "/not-json", "not json");

        // Then every model is judged on every item, and the leaderboard says so
        AggregatorClient api =
                new AggregatorClient(SERVICES.get(Component.AGGREGATOR).url());
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Optional<LeaderboardSnapshot> board = Optional.empty();
        while (System.nanoTime() < deadline && !complete(board, models)) {
            try {
                board = api.leaderboard(benchmark, "accuracy");
            } catch (AggregatorClient.ApiException notYet) {
                board = Optional.empty();
            }
            sleep(500);
        }
        assertThat(board).as("the leaderboard of %s; %s", benchmark, errors()).isPresent();
        assertThat(board.get().rows())
                .as(errors())
                .extracting(LeaderboardSnapshot.Row::n)
                .containsOnly((long) ITEMS)
                .hasSize(models.size());
        // And the aggregator published the snapshot, under its own principal
        assertThat(kafka.readAll(Topics.LEADERBOARDS))
                .anyMatch(s -> s.benchmark().equals(benchmark));
        // And the aggregator's pipeline status reads every stage's group, and the dead letter (a stage counts as
        // started once its group committed: the invoker commits a few seconds after its last call, so wait)
        var status = api.status();
        while (System.nanoTime() < deadline
                && !status.get("stages").findValuesAsText("started").stream().allMatch("true"::equals)) {
            sleep(500);
            status = api.status();
        }
        assertThat(status.get("stages").findValuesAsText("stage"))
                .containsExactly("prompt-generator", "model-invoker", "judge", "aggregator");
        assertThat(status.get("stages").findValuesAsText("started"))
                .as(status.toString())
                .containsOnly("true");
        assertThat(status.get("deadLetters").get("latest").findValuesAsText("topic"))
                .as(status.toString())
                .contains(Topics.ITEMS.name());
        // And no client of any service was refused anything on the way
        for (Component service : Component.services()) {
            assertThat(denials(service.name())).as(service.name()).isEmpty();
        }

        // And once the aggregator may no longer read the dead letters, its status answers 503 naming the
        // refusal and the README's ACLs, not a bare 500
        List<AclBinding> readDeadLetters = grants(Component.AGGREGATOR, principal(Component.AGGREGATOR)).stream()
                .filter(b -> b.entry().operation() == AclOperation.READ
                        && b.pattern().name().equals(Topics.DEAD_LETTERS.name()))
                .toList();
        try (Admin admin = broker.admin()) {
            admin.deleteAcls(readDeadLetters.stream().map(AclBinding::toFilter).toList())
                    .all()
                    .get();
        }
        try {
            String refused = null;
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (refused == null && System.nanoTime() < until) {
                try {
                    api.status();
                    sleep(500);
                } catch (AggregatorClient.ApiException e) {
                    refused = e.getMessage();
                }
            }
            System.out.println("status without READ on the dead letters: " + refused);
            assertThat(refused)
                    .contains("/api/status: status unavailable")
                    .contains("Not authorized")
                    .contains(Topics.DEAD_LETTERS.name())
                    .contains("ACLs");
        } finally {
            broker.allow(readDeadLetters);
        }
    }

    @Test
    void aJudgeNotAllowedToReadItsGroupStopsAtOnceNamingTheGroup() throws Exception {
        // Given a judge whose principal holds its row's ACLs but READ on its group
        String principal = "assay-judge-without-group";
        broker.createUser(principal, TestBroker.SERVICE_PASSWORD);
        List<AclBinding> lacking = grants(Component.JUDGE, principal).stream()
                .filter(b -> b.pattern().resourceType() != ResourceType.GROUP)
                .toList();
        broker.allow(lacking);
        ServiceProcess judge = process(
                Component.JUDGE,
                "judge-without-group",
                principal,
                Component.JUDGE.port() + PORT_OFFSET + 100,
                Map.of("ASSAY_INSTANCE_ID", "without-group"));
        long started = System.nanoTime();

        // When it starts, then it exits before its readiness deadline, its log naming the group and the ACLs
        try {
            assertThatThrownBy(judge::start).hasMessageContaining("exited");
        } finally {
            judge.stop();
        }
        String refusal = Files.readAllLines(HOME.resolve("logs/judge-without-group.log")).stream()
                .filter(l -> l.contains("ERROR") && l.contains("service stops"))
                .findFirst()
                .orElse("(no refusal logged)");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf(
                "judge without READ on its group stopped after %.1f s, logging: %s%n",
                took.toMillis() / 1000.0, refusal);
        assertThat(refusal)
                .contains("Not authorized to access group: assay-judge")
                .contains("README's \"ACLs\" section");
        assertThat(took).isLessThan(FAIL_FAST);
    }

    @Test
    void anInvokerNotAllowedToReadItsAnswersFailsItsLivenessNamingTheTopic() throws Exception {
        // Given a model-invoker whose principal holds its row's ACLs but READ on assay.answers (it may describe it)
        String principal = "assay-invoker-without-answers";
        broker.createUser(principal, TestBroker.SERVICE_PASSWORD);
        List<AclBinding> lacking = grants(Component.MODEL_INVOKER, principal).stream()
                .filter(b -> !(b.pattern().resourceType() == ResourceType.TOPIC
                        && b.pattern().name().equals(Topics.ANSWERS.name())
                        && b.entry().operation() == AclOperation.READ))
                .toList();
        broker.allow(lacking);
        ServiceProcess invoker = process(
                Component.MODEL_INVOKER,
                "invoker-without-answers",
                principal,
                Component.MODEL_INVOKER.port() + PORT_OFFSET + 100,
                Map.of("ASSAY_INSTANCE_ID", "without-answers"));
        long started = System.nanoTime();
        // (start() waits for a readiness that cannot come: it runs beside the probe of liveness)
        Thread starting = new Thread(() -> {
            try {
                invoker.start();
            } catch (Exception e) {
                // not ready, or stopped below
            }
        });
        starting.start();

        // When it starts, then its liveness fails (so Kubernetes restarts it) and says which topic it cannot read
        HttpClient http = ServiceHttp.client();
        String live = "";
        int status = 0;
        try {
            long deadline = System.nanoTime() + FAIL_FAST.toNanos();
            while (System.nanoTime() < deadline && !(status == 503 && live.contains(Topics.ANSWERS.name()))) {
                try {
                    HttpResponse<String> r = http.send(
                            HttpRequest.newBuilder(URI.create(invoker.url() + "/q/health/live"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    status = r.statusCode();
                    live = r.body();
                } catch (java.io.IOException e) {
                    // not listening yet
                }
                sleep(300);
            }
        } finally {
            invoker.stop();
            starting.join(Duration.ofSeconds(10).toMillis());
        }
        System.out.printf(
                "invoker without READ on %s: liveness %d after %.1f s: %s%n",
                Topics.ANSWERS.name(), status, (System.nanoTime() - started) / 1e9, live.replaceAll("\\s+", " "));
        assertThat(status).isEqualTo(503);
        assertThat(live).contains("followers").contains(Topics.ANSWERS.name()).contains("TopicAuthorizationException");
    }

    /** The principal a service logs in as. */
    private static String principal(Component service) {
        return "assay-" + service.name();
    }

    /**
     * What the README's "ACLs" section grants {@code service}, as {@code principal}: READ on the config topics, WRITE on the
     * dead letters, DESCRIBE on every topic, the table's row, and for the Kafka Streams services what
     * Kafka Streams needs under their application id.
     */
    static List<AclBinding> grants(Component service, String principal) {
        Grants g = new Grants(principal);
        g.topics(AclOperation.READ, Topics.MODELS.name(), Topics.BENCHMARKS.name());
        g.topics(AclOperation.WRITE, Topics.DEAD_LETTERS.name());
        g.topics(AclOperation.DESCRIBE, Topics.ALL.stream().map(Topic::name).toArray(String[]::new));
        switch (service.name()) {
            case "prompt-generator" -> {
                g.topics(AclOperation.READ, "assay.items", "assay.leaderboards");
                g.topics(AclOperation.WRITE, "assay.prompts");
                g.streams("assay-prompt-generator");
            }
            case "model-invoker" -> {
                g.topics(AclOperation.READ, "assay.prompts", "assay.answers");
                g.topics(AclOperation.WRITE, "assay.responses", "assay.answers");
                g.group(AclOperation.READ, PatternType.LITERAL, "assay-model-invoker");
                g.group(AclOperation.READ, PatternType.LITERAL, "assay-config-validator");
            }
            case "judge" -> {
                g.topics(AclOperation.READ, "assay.items", "assay.responses", "assay.leaderboards");
                g.topics(AclOperation.WRITE, "assay.prompts", "assay.judgments", "assay.reviews");
                g.streams("assay-judge");
            }
            case "aggregator" -> {
                g.topics(
                        AclOperation.READ,
                        "assay.items",
                        "assay.responses",
                        "assay.judgments",
                        "assay.leaderboards",
                        "assay.dead-letters");
                g.topics(AclOperation.WRITE, "assay.leaderboards");
                g.streams("assay-aggregator-");
                for (String stage : List.of("assay-prompt-generator", "assay-model-invoker", "assay-judge")) {
                    g.group(AclOperation.DESCRIBE, PatternType.LITERAL, stage);
                }
            }
            default -> throw new IllegalArgumentException(service.name());
        }
        return g.bindings;
    }

    /** ACL bindings allowing one principal, from any host. */
    private static final class Grants {
        private final String principal;
        private final List<AclBinding> bindings = new ArrayList<>();

        Grants(String principal) {
            this.principal = "User:" + principal;
        }

        void topics(AclOperation operation, String... names) {
            for (String name : names) {
                allow(ResourceType.TOPIC, PatternType.LITERAL, name, operation);
            }
        }

        void group(AclOperation operation, PatternType pattern, String name) {
            allow(ResourceType.GROUP, pattern, name, operation);
        }

        /**
         * What Kafka Streams needs under {@code applicationId}: its internal topics (CREATE, READ,
         * WRITE, prefixed), its group (READ, prefixed) and its transactional ids (WRITE, which
         * implies DESCRIBE, prefixed) for exactly-once.
         */
        void streams(String applicationId) {
            for (AclOperation op : List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE)) {
                allow(ResourceType.TOPIC, PatternType.PREFIXED, applicationId, op);
            }
            allow(ResourceType.GROUP, PatternType.PREFIXED, applicationId, AclOperation.READ);
            allow(ResourceType.TRANSACTIONAL_ID, PatternType.PREFIXED, applicationId, AclOperation.WRITE);
        }

        private void allow(ResourceType type, PatternType pattern, String name, AclOperation operation) {
            bindings.add(new AclBinding(
                    new ResourcePattern(type, name, pattern),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
    }

    /** A service named {@code name} logging in as {@code principal}, on {@code port}, with {@code extra} environment. */
    private static ServiceProcess process(
            Component service, String name, String principal, int port, Map<String, String> extra) throws Exception {
        Path state = HOME.resolve("state").resolve(name);
        Files.createDirectories(state);
        Map<String, String> env = new HashMap<>(extra);
        broker.serviceLogin(principal, TestBroker.SERVICE_PASSWORD)
                .forEach((setting, value) ->
                        env.put("KAFKA_" + setting.toUpperCase().replace('.', '_'), value));
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("ASSAY_STATE_DIR", state.toString());
        return new ServiceProcess(
                REPO,
                service.name(),
                HOME.resolve("logs").resolve(name + ".log"),
                port,
                List.of("-Djava.io.tmpdir=" + state),
                env);
    }

    /** The lines of a service's log where a client was refused by the authorizer. */
    private static List<String> denials(String name) throws java.io.IOException {
        return Files.readAllLines(HOME.resolve("logs").resolve(name + ".log")).stream()
                .filter(l -> l.contains("Not authorized") || l.contains("AuthorizationException"))
                .toList();
    }

    private static String errors() {
        StringBuilder all = new StringBuilder();
        SERVICES.values().forEach(p -> all.append('\n').append(p.errors(5)));
        return all.toString();
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static boolean complete(Optional<LeaderboardSnapshot> board, List<ModelSpec> models) {
        return board.isPresent()
                && board.get().rows().size() == models.size()
                && board.get().rows().stream().allMatch(r -> r.n() == ITEMS);
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
