package io.assay.cli.stack;

import io.assay.cli.kafka.TopicSetup;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The local stack: a single-node KRaft broker started from Kafka's own jars and the four services,
 * each a separate process on 127.0.0.1, with logs under {@code .assay/logs} and pid files under
 * {@code .assay/pids} so that {@code assay down} can stop what {@code assay up} started.
 */
public final class LocalStack {
    private static final Duration BROKER_READY = Duration.ofSeconds(60);
    private static final Duration SERVICE_READY = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Path repo;
    private final Path home;
    private final int portOffset;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A stack whose jars come from {@code repo} and whose files live in {@code home}, on the default ports. */
    public LocalStack(Path repo, Path home) {
        this(repo, home, 0);
    }

    /** The same with every port shifted by {@code portOffset} (tests run beside a running demo). */
    public LocalStack(Path repo, Path home, int portOffset) {
        this.repo = repo.toAbsolutePath().normalize();
        this.home = home.toAbsolutePath().normalize();
        this.portOffset = portOffset;
    }

    /** The repository root: {@code -Dassay.repo}, else {@code $ASSAY_REPO}, else the working directory. */
    public static Path defaultRepo() {
        String prop = System.getProperty("assay.repo", System.getenv("ASSAY_REPO"));
        return Path.of(prop == null ? "." : prop);
    }

    /** The stack for the default repository, with its files in {@code <repo>/.assay}. */
    public static LocalStack atDefaultLocation() {
        Path repo = defaultRepo();
        return new LocalStack(repo, repo.resolve(".assay"));
    }

    /** The bootstrap servers of the local broker. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port(Component.KAFKA);
    }

    /** The port a component listens on. */
    public int port(Component component) {
        return component.port() + portOffset;
    }

    /** The base URL of a service's HTTP endpoint. */
    public String url(Component component) {
        return "http://127.0.0.1:" + port(component);
    }

    /** The stack's working directory. */
    public Path home() {
        return home;
    }

    /** Components whose recorded process is alive. */
    public List<Component> running() {
        return Component.ALL.stream().filter(c -> process(c).isPresent()).toList();
    }

    /**
     * Starts every component that is not running, waiting for each to be ready. With {@code fresh},
     * the broker's data and the services' state are deleted first (the demo starts from nothing).
     */
    public void start(boolean fresh, PrintStream out) {
        checkBuilt();
        if (fresh) {
            deleteTree(home.resolve("kafka"));
            deleteTree(home.resolve("state"));
            deleteTree(home.resolve("logs"));
        }
        for (Component c : Component.ALL) {
            if (process(c).isPresent()) {
                out.printf("  %-17s already running%n", c.name());
                continue;
            }
            requirePortFree(c);
            long t0 = System.nanoTime();
            if (c.service()) {
                startService(c, bootstrapServers());
            } else {
                startBroker();
            }
            out.printf("  %-17s ready on 127.0.0.1:%d (%.1f s)%n", c.name(), port(c), (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * Starts only the four services, against a broker that is already running elsewhere, with fresh
     * state: Kafka Streams state left from another broker would not match this one's topics.
     */
    public void startServices(String bootstrapServers, PrintStream out) {
        checkBuilt();
        deleteTree(home.resolve("state"));
        deleteTree(home.resolve("logs"));
        for (Component c : Component.services()) {
            requirePortFree(c);
            long t0 = System.nanoTime();
            startService(c, bootstrapServers);
            out.printf("  %-17s ready on 127.0.0.1:%d (%.1f s)%n", c.name(), port(c), (System.nanoTime() - t0) / 1e9);
        }
    }

    /** The live processes of this stack, for checks that nothing is left behind. */
    public List<ProcessHandle> processes() {
        return Component.ALL.stream()
                .map(this::process)
                .flatMap(Optional::stream)
                .toList();
    }

    /** Stops every component this stack recorded, services first; returns the names stopped. */
    public List<String> stop() {
        List<String> stopped = new ArrayList<>();
        // Ask all services to stop at once, then the broker once they are gone.
        Map<Component, ProcessHandle> services = new java.util.LinkedHashMap<>();
        Component.services().forEach(c -> process(c).ifPresent(p -> services.put(c, p)));
        services.values().forEach(ProcessHandle::destroy);
        services.forEach((c, p) -> {
            awaitExit(p);
            deletePid(c);
            stopped.add(c.name());
        });
        process(Component.KAFKA).ifPresent(p -> {
            p.destroy();
            awaitExit(p);
            deletePid(Component.KAFKA);
            stopped.add(Component.KAFKA.name());
        });
        return stopped;
    }

    /** A line per component: running or not, pid, endpoint and health. */
    public List<String> status() {
        List<String> lines = new ArrayList<>();
        for (Component c : Component.ALL) {
            Optional<ProcessHandle> p = process(c);
            String state;
            if (p.isEmpty()) {
                state = "stopped";
            } else if (c.service()) {
                state = "running  pid " + p.get().pid() + "  " + url(c) + "  ready: " + (ready(c) ? "yes" : "no");
            } else {
                state = "running  pid " + p.get().pid() + "  " + bootstrapServers() + "  reachable: "
                        + (portOpen(port(c)) ? "yes" : "no");
            }
            lines.add(String.format("%-17s %s", c.name(), state));
        }
        return lines;
    }

    /** The last lines of a component's log, for error messages. */
    public String tail(Component c, int lines) {
        Path log = logFile(c);
        try {
            if (!Files.exists(log)) {
                return "(no log at " + log + ")";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size()).stream()
                    .map(l -> "    " + l)
                    .collect(Collectors.joining("\n"));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ")";
        }
    }

    /** The log file of a component. */
    public Path logFile(Component c) {
        return home.resolve("logs").resolve(c.name() + ".log");
    }

    private void checkBuilt() {
        List<String> missing = new ArrayList<>();
        for (Component c : Component.services()) {
            if (!Files.exists(serviceJar(c))) {
                missing.add(serviceJar(c).toString());
            }
        }
        if (!Files.isDirectory(libDir())) {
            missing.add(libDir().toString());
        }
        if (!missing.isEmpty()) {
            throw new StackException("not built: " + String.join(", ", missing)
                    + " (run ./assay, which builds what is missing, or ./mvnw install -DskipTests)");
        }
    }

    private Path serviceJar(Component c) {
        return repo.resolve("services").resolve(c.name()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private Path libDir() {
        return repo.resolve("cli/target/lib");
    }

    private void startBroker() {
        Path dir = home.resolve("kafka");
        Path data = dir.resolve("data");
        Path config = dir.resolve("server.properties");
        try {
            Files.createDirectories(data);
            Files.createDirectories(home.resolve("logs"));
            Files.writeString(config, brokerConfig(data));
            if (!Files.exists(data.resolve("meta.properties"))) {
                String clusterId = uuidToBase64(UUID.randomUUID());
                Process format = new ProcessBuilder(
                                java(),
                                "-cp",
                                brokerClasspath(),
                                "kafka.tools.StorageTool",
                                "format",
                                "--cluster-id=" + clusterId,
                                "--config=" + config)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(
                                logFile(Component.KAFKA).toFile()))
                        .start();
                if (format.waitFor() != 0) {
                    throw new StackException("formatting the broker's storage failed:\n" + tail(Component.KAFKA, 20));
                }
            }
            ProcessHandle broker = launch(
                    Component.KAFKA,
                    List.of(
                            java(),
                            "-Xmx512m",
                            "-XX:+UseSerialGC",
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                            "-cp",
                            brokerClasspath(),
                            "kafka.Kafka",
                            config.toString()),
                    Map.of());
            long deadline = System.nanoTime() + BROKER_READY.toNanos();
            while (!portOpen(port(Component.KAFKA))) {
                failIfDead(Component.KAFKA, broker);
                if (System.nanoTime() > deadline) {
                    throw new StackException("the broker did not open port " + port(Component.KAFKA) + " within "
                            + BROKER_READY.toSeconds() + " s:\n" + tail(Component.KAFKA, 20));
                }
                sleep(200);
            }
            TopicSetup.ensureTopics(bootstrapServers(), BROKER_READY.toMillis());
        } catch (IOException e) {
            throw new StackException("cannot start the broker: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }

    private String brokerConfig(Path data) {
        int port = port(Component.KAFKA);
        int controller = port + 1;
        return String.join(
                "\n",
                "# Written by assay: a single-node KRaft broker on 127.0.0.1 for local use.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=3",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "");
    }

    private void startService(Component c, String bootstrapServers) {
        Path state = home.resolve("state").resolve(c.name());
        try {
            Files.createDirectories(state);
        } catch (IOException e) {
            throw new StackException("cannot create " + state + ": " + e.getMessage());
        }
        ProcessHandle p = launch(
                c,
                List.of(
                        java(),
                        "-Xmx384m",
                        "-XX:+UseSerialGC",
                        "-Djava.io.tmpdir=" + state,
                        "-jar",
                        serviceJar(c).toString()),
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        bootstrapServers,
                        "ASSAY_STATE_DIR",
                        state.toString(),
                        "QUARKUS_HTTP_HOST",
                        "127.0.0.1",
                        "QUARKUS_HTTP_PORT",
                        Integer.toString(port(c))));
        long deadline = System.nanoTime() + SERVICE_READY.toNanos();
        while (!ready(c)) {
            failIfDead(c, p);
            if (System.nanoTime() > deadline) {
                throw new StackException(
                        c.name() + " was not ready within " + SERVICE_READY.toSeconds() + " s:\n" + tail(c, 30));
            }
            sleep(300);
        }
    }

    private ProcessHandle launch(Component c, List<String> command, Map<String, String> env) {
        try {
            Files.createDirectories(home.resolve("logs"));
            Files.createDirectories(home.resolve("pids"));
            ProcessBuilder pb = new ProcessBuilder(ownSession(command))
                    .directory(repo.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(c).toFile()))
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().putAll(env);
            ProcessHandle handle = pb.start().toHandle();
            String started = handle.info().startInstant().map(Instant::toString).orElse("");
            Files.writeString(pidFile(c), handle.pid() + "\n" + started + "\n");
            return handle;
        } catch (IOException e) {
            throw new StackException("cannot start " + c.name() + ": " + e.getMessage());
        }
    }

    /**
     * Runs a child in its own session where {@code setsid} exists, so a Ctrl-C in the terminal reaches
     * only the CLI, which then stops the services before the broker; a broker that died first would
     * leave the services waiting on it. {@code setsid} execs in place, so the pid is the child's.
     */
    private static List<String> ownSession(List<String> command) {
        if (!Files.isExecutable(SETSID)) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(SETSID.toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    /** The live process recorded for a component; a stale pid file (dead or reused pid) is removed. */
    private Optional<ProcessHandle> process(Component c) {
        Path file = pidFile(c);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file);
            long pid = Long.parseLong(lines.get(0).trim());
            String started = lines.size() > 1 ? lines.get(1).trim() : "";
            Optional<ProcessHandle> handle = ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> started.isEmpty()
                            || h.info()
                                    .startInstant()
                                    .map(Instant::toString)
                                    .map(started::equals)
                                    .orElse(true));
            if (handle.isEmpty()) {
                Files.deleteIfExists(file);
            }
            return handle;
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private boolean deletePid(Component c) {
        try {
            return Files.deleteIfExists(pidFile(c));
        } catch (IOException e) {
            return false;
        }
    }

    private Path pidFile(Component c) {
        return home.resolve("pids").resolve(c.name() + ".pid");
    }

    private void failIfDead(Component c, ProcessHandle p) {
        if (!p.isAlive()) {
            deletePid(c);
            throw new StackException(
                    c.name() + " exited during start-up; the end of " + logFile(c) + ":\n" + tail(c, 30));
        }
    }

    private static void awaitExit(ProcessHandle p) {
        try {
            p.onExit().get(STOP_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** Whether a service reports ready on {@code /q/health/ready}. */
    public boolean ready(Component c) {
        try {
            HttpResponse<Void> r = http.send(
                    HttpRequest.newBuilder(URI.create(url(c) + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void requirePortFree(Component c) {
        // The broker also listens on the next port, for its KRaft controller.
        List<Integer> ports = c.service() ? List.of(port(c)) : List.of(port(c), port(c) + 1);
        for (int port : ports) {
            if (portOpen(port)) {
                throw new StackException("port " + port + " on 127.0.0.1, needed by " + c.name()
                        + ", is in use by another process (another Assay or Kafka? try ./assay status, ./assay down)");
            }
        }
    }

    private static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String brokerClasspath() {
        try (Stream<Path> jars = Files.list(libDir())) {
            return jars.filter(p -> p.toString().endsWith(".jar"))
                    .map(Path::toString)
                    .sorted()
                    .collect(Collectors.joining(java.io.File.pathSeparator));
        } catch (IOException e) {
            throw new StackException("cannot list " + libDir() + ": " + e.getMessage());
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String uuidToBase64(UUID uuid) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new StackException("cannot delete " + dir + ": " + e.getMessage());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }
}
