package io.assay.testing;

import io.assay.contracts.Topic;
import io.assay.contracts.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The one broker of a test JVM, started on first use and stopped when the JVM exits.
 *
 * <p>{@code -Dassay.test.broker=embedded} (the default) starts Kafka's own in-JVM KRaft broker
 * ({@link KafkaClusterTestKit}); {@code -Dassay.test.broker=container} starts a Testcontainers
 * Kafka, and tests marked {@link RequiresBroker} are skipped where no Docker engine runs.
 */
public final class TestBroker {
    /** The system property choosing the broker. */
    public static final String MODE_PROPERTY = "assay.test.broker";

    private static final String CONTAINER_IMAGE = "apache/kafka:4.1.2";

    private static TestBroker instance;

    /** The SASL user every service of a secured test logs in as (SCRAM-SHA-512). */
    public static final String SERVICE_USER = "assay";
    /** Its password. */
    public static final String SERVICE_PASSWORD = "assay-test-secret";

    /** The password of a {@link #startSecured} broker's key store. */
    private static final String STORE_PASSWORD = "assay-test-store";

    private final String bootstrapServers;
    private final AutoCloseable running;
    private final Map<String, Object> adminLogin;
    /** The settings a client needs to trust the broker's certificate; empty for a listener without TLS. */
    private final Map<String, String> trust;

    private TestBroker(String bootstrapServers, AutoCloseable running) {
        this(bootstrapServers, running, Map.of(), Map.of());
    }

    private TestBroker(
            String bootstrapServers, AutoCloseable running, Map<String, Object> adminLogin, Map<String, String> trust) {
        this.bootstrapServers = bootstrapServers;
        this.running = running;
        this.adminLogin = adminLogin;
        this.trust = trust;
    }

    /** Whether tests run against a container broker. */
    public static boolean containerMode() {
        return "container".equalsIgnoreCase(System.getProperty(MODE_PROPERTY, "embedded"));
    }

    /** Whether the chosen broker can run here (a container broker needs a Docker engine). */
    public static boolean available() {
        if (!containerMode()) {
            return true;
        }
        return withTestcontainersLoader(() -> {
            try {
                return DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | java.util.ServiceConfigurationError e) {
                return false;
            }
        });
    }

    /**
     * Testcontainers finds its Docker strategies with a ServiceLoader on the context class loader;
     * under {@code @QuarkusTest} that is Quarkus's loader, whose copies of the classes do not match.
     */
    private static <T> T withTestcontainersLoader(java.util.function.Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(DockerClientFactory.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The running broker, started on first call, with every Assay topic created. */
    public static synchronized TestBroker get() {
        if (instance == null) {
            instance = containerMode() ? startContainer() : startEmbedded();
            instance.createTopics(Topics.ALL);
            TestBroker started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "test-broker-stop"));
        }
        return instance;
    }

    /** {@code host:port} of the broker. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** An admin client (caller closes it). */
    public Admin admin() {
        return Admin.create(clientSettings());
    }

    /** A client for producing and reading events in tests. */
    public TestClient client() {
        return new TestClient(clientSettings());
    }

    /** The settings of a test's own clients: bootstrap servers, and the broker's admin login if it is secured. */
    public Map<String, Object> clientSettings() {
        Map<String, Object> settings = new java.util.HashMap<>(adminLogin);
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return settings;
    }

    /**
     * A second, secured broker (not the JVM's shared one; the caller closes it): its listener takes
     * SASL_SSL, TLS with a self-signed certificate for {@code localhost} and 127.0.0.1 made by the JDK's
     * {@code keytool} for this broker, with PLAIN (the test kit's own admin) and SCRAM-SHA-512, for which
     * {@link #SERVICE_USER} is created, a super user (the broker's authorizer lets it do all), with every
     * Assay topic. Clients that do not log in, or do not trust the certificate, are refused; {@link #serviceLogin}
     * trusts it as the Helm chart has the services trust a cluster's CA, a PEM file as the trust store.
     */
    public static TestBroker startSecured() {
        return startSecured(SERVICE_USER, true);
    }

    /**
     * Like {@link #startSecured}, but {@link #SERVICE_USER} is no super user: the broker's
     * authorizer ({@code StandardAuthorizer}, nothing allowed without an ACL) lets a client do only
     * what ACLs grant it. Only the test kit's own admin, whose login {@link #admin} uses, may do all.
     * Create users with {@link #createUser}, grant them with {@code admin().createAcls}.
     */
    public static TestBroker startAuthorized() {
        return startSecured(null, false);
    }

    private static TestBroker startSecured(String superService, boolean tls) {
        String superUsers =
                "User:" + JaasUtils.KAFKA_PLAIN_ADMIN + (superService == null ? "" : ";User:" + superService);
        try {
            Path dir = Files.createTempDirectory(
                    Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath(), "kraft-sasl-");
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(dir)
                    .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                    .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                    .build();
            KafkaClusterTestKit.Builder builder = configure(new KafkaClusterTestKit.Builder(nodes))
                    .setConfigProp("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512")
                    .setConfigProp(
                            "listener.name.external.scram-sha-512.sasl.jaas.config",
                            "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                    // The kit also sets StandardAuthorizer and allow.everyone.if.no.acl.found=false.
                    .setConfigProp("super.users", superUsers);
            Map<String, String> trust = Map.of();
            if (tls) {
                // Kafka 4.1's test kit sets up SASL_PLAINTEXT listeners only: the clients' listener (also the
                // broker's own, inter-broker) is made SASL_SSL here, with the kit's SASL settings kept.
                Path keyStore = dir.resolve("broker.p12");
                Path certificate = dir.resolve("broker.crt");
                certificate(keyStore, certificate);
                // trusted as the chart's configmap has the services trust a cluster's CA: its PEM file (no password)
                trust = Map.of("ssl.truststore.location", certificate.toString(), "ssl.truststore.type", "PEM");
                builder.setConfigProp(
                                "listener.security.protocol.map",
                                nodes.brokerListenerName().value() + ":SASL_SSL,"
                                        + nodes.controllerListenerName().value() + ":SASL_PLAINTEXT")
                        .setConfigProp("ssl.keystore.location", keyStore.toString())
                        .setConfigProp("ssl.keystore.password", STORE_PASSWORD)
                        .setConfigProp("ssl.key.password", STORE_PASSWORD)
                        .setConfigProp("ssl.keystore.type", "PKCS12");
                trust.forEach(builder::setConfigProp);
            }
            KafkaClusterTestKit cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            Map<String, Object> adminLogin = new java.util.HashMap<>(trust);
            adminLogin.putAll(Map.of(
                    "security.protocol",
                    tls ? "SASL_SSL" : "SASL_PLAINTEXT",
                    "sasl.mechanism",
                    "PLAIN",
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                            + JaasUtils.KAFKA_PLAIN_ADMIN + "\" password=\""
                            + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD + "\";"));
            TestBroker broker = new TestBroker(cluster.bootstrapServers(), cluster, Map.copyOf(adminLogin), trust);
            broker.createUser(SERVICE_USER, SERVICE_PASSWORD);
            broker.createTopics(Topics.ALL);
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the secured in-JVM KRaft broker", e);
        }
    }

    /**
     * Creates (or updates) a SCRAM-SHA-512 user of a {@link #startSecured} or {@link #startAuthorized}
     * broker, returning once the broker knows it (the controller's answer comes first).
     */
    public void createUser(String user, String password) {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                    .all()
                    .get();
            awaitBroker(() -> {
                try {
                    return !admin.describeUserScramCredentials(List.of(user))
                            .all()
                            .get()
                            .isEmpty();
                } catch (ExecutionException notYet) {
                    return false;
                }
            });
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the SCRAM user " + user, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates ACLs on a {@link #startAuthorized} broker, returning once the broker's authorizer has
     * them all (the controller's answer comes first).
     */
    public void allow(Collection<AclBinding> acls) {
        try (Admin admin = admin()) {
            admin.createAcls(acls).all().get();
            awaitBroker(() ->
                    admin.describeAcls(AclBindingFilter.ANY).values().get().containsAll(acls));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the ACLs " + acls, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private interface Check {
        boolean done() throws ExecutionException, InterruptedException;
    }

    private static void awaitBroker(Check check) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not apply the change within 30 s");
            }
            Thread.sleep(50);
        }
    }

    /**
     * The {@code kafka.*} settings a service needs to log in to a {@link #startSecured} (or {@link #startAuthorized})
     * broker as {@code user}: the SASL login, and on a TLS listener the trust store holding its certificate.
     */
    public Map<String, String> serviceLogin(String user, String password) {
        Map<String, String> login = new java.util.HashMap<>(trust);
        login.putAll(Map.of(
                "security.protocol",
                trust.isEmpty() ? "SASL_PLAINTEXT" : "SASL_SSL",
                "sasl.mechanism",
                "SCRAM-SHA-512",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";"));
        return Map.copyOf(login);
    }

    /**
     * A self-signed certificate for {@code localhost} and 127.0.0.1 (the names the test kit's broker advertises and
     * binds), valid for two days, with its key in {@code keyStore} (PKCS12, {@link #STORE_PASSWORD}) and itself in
     * {@code certificate} (PEM): made by the running JDK's {@code keytool}.
     */
    private static void certificate(Path keyStore, Path certificate) throws Exception {
        keytool(
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore",
                keyStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                STORE_PASSWORD,
                "-keypass",
                STORE_PASSWORD);
        keytool(
                "-exportcert",
                "-alias",
                "broker",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                STORE_PASSWORD,
                "-rfc",
                "-file",
                certificate.toString());
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }

    /** Stops a broker started with {@link #startSecured}. */
    public void close() {
        stop();
    }

    /**
     * Creates topics with {@link Topics#PARTITIONS} partitions (compacted where the topic is);
     * existing ones are left alone.
     */
    public void createTopics(Collection<? extends Topic<?, ?>> topics) {
        List<NewTopic> wanted = new ArrayList<>();
        for (Topic<?, ?> topic : topics) {
            NewTopic t = new NewTopic(topic.name(), Topics.PARTITIONS, (short) 1);
            if (topic.compacted()) {
                t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            wanted.add(t);
        }
        createTopicsNamed(wanted);
    }

    /** Creates arbitrary topics (e.g. a unique topic per test); existing ones are left alone. */
    public void createTopicsNamed(List<NewTopic> topics) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing =
                    topics.stream().filter(t -> !existing.contains(t.name())).toList();
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void stop() {
        try {
            running.close();
        } catch (Exception e) {
            // The JVM is exiting; a broker that does not close cleanly leaves only files under target/.
        }
    }

    private static TestBroker startEmbedded() {
        try {
            Path dir = Files.createTempDirectory(
                    Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath(), "kraft-");
            KafkaClusterTestKit cluster = configure(new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .setBaseDirectory(dir)
                            .build()))
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new TestBroker(cluster.bootstrapServers(), cluster);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the in-JVM KRaft broker", e);
        }
    }

    /** One node, replication factor 1 everywhere, no rebalance delay, files deleted on close. */
    private static KafkaClusterTestKit.Builder configure(KafkaClusterTestKit.Builder builder) {
        return builder.setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "3")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "3")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("num.partitions", Integer.toString(Topics.PARTITIONS))
                .setConfigProp("auto.create.topics.enable", "true")
                .setDeleteOnClose(true);
    }

    private static TestBroker startContainer() {
        if (!available()) {
            throw new IllegalStateException("-D" + MODE_PROPERTY + "=container needs a Docker engine; none is running");
        }
        return withTestcontainersLoader(() -> {
            KafkaContainer container = new KafkaContainer(CONTAINER_IMAGE)
                    .withEnv("KAFKA_NUM_PARTITIONS", Integer.toString(Topics.PARTITIONS))
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
            container.start();
            return new TestBroker(container.getBootstrapServers(), container::stop);
        });
    }

    /** Properties for a client of this broker. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.putAll(clientSettings());
        return props;
    }
}
