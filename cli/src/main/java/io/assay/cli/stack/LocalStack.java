package io.assay.cli.stack;

import io.assay.cli.api.ServiceHttp;
import io.assay.cli.kafka.TopicSetup;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    /**
     * The environment variable whose JVM options every service of the stack gets after its own ({@code -Xmx384m},
     * the serial collector, the images' safepoint flags), so that one given here wins: say {@code -Xmx2g} for an
     * aggregator that reads a long history into its heap. Separated by whitespace; the broker does not get them.
     */
    public static final String SERVICE_JAVA_OPTIONS = "ASSAY_SERVICE_JAVA_OPTIONS";

    /**
     * Every service's own JVM options, as the chart's: its heap, the serial collector, and safepoint polls in counted
     * loops (the images' flags, the kit's microprofile-config). The system tests' services take the same.
     */
    public static final List<String> SERVICE_JVM_FLAGS =
            List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:+UseCountedLoopSafepoints", "-XX:LoopStripMiningIter=1000");

    private final Path repo;
    private final Path home;
    private final int portOffset;
    private final ProcessFiles files;
    private final HttpClient http = ServiceHttp.client(Duration.ofSeconds(2));

    /** A stack whose jars come from {@code repo} and whose files live in {@code home}, on the default ports. */
    public LocalStack(Path repo, Path home) {
        this(repo, home, 0);
    }

    /** The same with every port shifted by {@code portOffset} (tests run beside a running demo). */
    public LocalStack(Path repo, Path home, int portOffset) {
        this.repo = repo.toAbsolutePath().normalize();
        this.home = home.toAbsolutePath().normalize();
        this.portOffset = portOffset;
        this.files = new ProcessFiles(this.repo, this.home);
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

    /** The last lines of a component's log, for error messages. */
    public String tail(Component c, int lines) {
        return files.tail(c, lines);
    }

    /** The log file of a component. */
    public Path logFile(Component c) {
        return files.logFile(c);
    }

    /** The stack's working directory. */
    public Path home() {
        return home;
    }

    /** Components whose recorded process is alive. */
    public List<Component> running() {
        return Component.ALL.stream().filter(c -> files.process(c).isPresent()).toList();
    }

    /**
     * Starts every component that is not running, waiting for each to be ready. With {@code fresh},
     * the broker's data and the services' state are deleted first (the demo starts from nothing).
     */
    public void start(boolean fresh, PrintStream out) {
        checkBuilt();
        List<String> javaOptions = serviceJavaOptions(out);
        if (fresh) {
            deleteTree(home.resolve("kafka"));
            deleteTree(home.resolve("state"));
            deleteTree(home.resolve("logs"));
        }
        List<String> clusterSettings = clusterSecurityVariables(System.getenv().keySet());
        Map<String, String> unset = new HashMap<>();
        clusterSettings.forEach(variable -> unset.put(variable, null));
        if (!clusterSettings.isEmpty()) {
            out.printf(
                    "  (%s: this shell's settings for a secured cluster; the stack's own broker is PLAINTEXT on "
                            + "127.0.0.1, so its services, the demo and the benches on it leave them out, while the other "
                            + "commands use them for the cluster of --bootstrap)%n",
                    String.join(", ", clusterSettings));
        }
        for (Component c : Component.ALL) {
            if (files.process(c).isPresent()) {
                out.printf("  %-17s already running%n", c.name());
                if (!c.service()) {
                    // a start that stopped before its topics were made (say, interrupted) left the broker without them
                    TopicSetup.ensureTopics(bootstrapServers(), BROKER_READY.toMillis());
                }
                continue;
            }
            requirePortFree(c);
            long t0 = System.nanoTime();
            if (c.service()) {
                startService(c, bootstrapServers(), unset, javaOptions);
            } else {
                new LocalBroker(home.resolve("kafka"), port(c), libDir(), files).start(BROKER_READY);
            }
            out.printf("  %-17s ready on 127.0.0.1:%d (%.1f s)%n", c.name(), port(c), (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * The variables among {@code names} that say how to reach a secured cluster: {@code KAFKA_SECURITY_PROTOCOL},
     * {@code KAFKA_SASL_*}, {@code KAFKA_SSL_*}. Services inherit the environment, so with these set in the shell
     * (for the CLI's {@code --bootstrap}) they would speak SASL or TLS to the stack's own PLAINTEXT broker and never
     * reach it.
     */
    static List<String> clusterSecurityVariables(Collection<String> names) {
        return names.stream()
                .filter(name -> name.equals("KAFKA_SECURITY_PROTOCOL")
                        || name.startsWith("KAFKA_SASL_")
                        || name.startsWith("KAFKA_SSL_"))
                .sorted()
                .toList();
    }

    /**
     * The JVM options of {@link #SERVICE_JAVA_OPTIONS}'s value, none when it is unset or blank.
     *
     * @throws StackException for a word that is not an option (each starts with {@code -})
     */
    public static List<String> parseServiceJavaOptions(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> options = List.of(value.trim().split("\\s+"));
        for (String o : options) {
            if (!o.startsWith("-")) {
                throw new StackException(SERVICE_JAVA_OPTIONS + ": '" + o + "' is not a JVM option (each starts with -,"
                        + " separated by whitespace): " + value);
            }
        }
        return options;
    }

    /** The command line of a service: the stack's JVM options, then {@link #SERVICE_JAVA_OPTIONS}'s, then its jar. */
    static List<String> serviceCommand(Path jar, Path state, List<String> extraOptions) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(SERVICE_JVM_FLAGS);
        // Its temporary files beside its state, not the state directory itself: Kafka Streams warns at every start
        // (five times) that a state.dir under java.io.tmpdir may be cleared by the OS.
        command.add("-Djava.io.tmpdir=" + temp(state));
        command.addAll(extraOptions);
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    /** A service's directory of temporary files, inside its state directory. */
    private static Path temp(Path state) {
        return state.resolve("tmp");
    }

    /** This shell's {@link #SERVICE_JAVA_OPTIONS}, said on {@code out} when there are any. */
    private static List<String> serviceJavaOptions(PrintStream out) {
        List<String> options = parseServiceJavaOptions(System.getenv(SERVICE_JAVA_OPTIONS));
        if (!options.isEmpty()) {
            out.printf(
                    "  (%s: every service started here also runs with %s)%n",
                    SERVICE_JAVA_OPTIONS, String.join(" ", options));
        }
        return options;
    }

    /**
     * Starts only the four services, against a broker that is already running elsewhere, with fresh
     * state: Kafka Streams state left from another broker would not match this one's topics.
     */
    public void startServices(String bootstrapServers, PrintStream out) {
        startServices(bootstrapServers, Map.of(), out);
    }

    /**
     * Like {@link #startServices(String, PrintStream)}, with more environment for every service, e.g.
     * {@code KAFKA_SECURITY_PROTOCOL} and {@code KAFKA_SASL_JAAS_CONFIG} for a secured broker.
     */
    public void startServices(String bootstrapServers, Map<String, String> env, PrintStream out) {
        checkBuilt();
        List<String> javaOptions = serviceJavaOptions(out);
        deleteTree(home.resolve("state"));
        deleteTree(home.resolve("logs"));
        for (Component c : Component.services()) {
            requirePortFree(c);
            long t0 = System.nanoTime();
            startService(c, bootstrapServers, env, javaOptions);
            out.printf("  %-17s ready on 127.0.0.1:%d (%.1f s)%n", c.name(), port(c), (System.nanoTime() - t0) / 1e9);
        }
    }

    /** The live processes of this stack, for checks that nothing is left behind. */
    public List<ProcessHandle> processes() {
        return Component.ALL.stream()
                .map(files::process)
                .flatMap(Optional::stream)
                .toList();
    }

    /** The live process of a component, if this stack recorded one (benchmarks read its CPU time). */
    public Optional<ProcessHandle> process(Component c) {
        return files.process(c);
    }

    /** Stops every component this stack recorded, services first; returns the names stopped. */
    public List<String> stop() {
        List<String> stopped = new ArrayList<>();
        // Ask all services to stop at once, then the broker once they are gone.
        Map<Component, ProcessHandle> services = new java.util.LinkedHashMap<>();
        Component.services().forEach(c -> files.process(c).ifPresent(p -> services.put(c, p)));
        services.values().forEach(ProcessHandle::destroy);
        services.forEach((c, p) -> {
            ProcessFiles.awaitExit(p, STOP_GRACE);
            files.deletePid(c);
            stopped.add(c.name());
        });
        files.process(Component.KAFKA).ifPresent(p -> {
            p.destroy();
            ProcessFiles.awaitExit(p, STOP_GRACE);
            files.deletePid(Component.KAFKA);
            stopped.add(Component.KAFKA.name());
        });
        return stopped;
    }

    /** A line per component: running or not, pid, endpoint and health. */
    public List<String> status() {
        List<String> lines = new ArrayList<>();
        for (Component c : Component.ALL) {
            Optional<ProcessHandle> p = files.process(c);
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

    private void startService(
            Component c, String bootstrapServers, Map<String, String> extraEnv, List<String> javaOptions) {
        Path state = home.resolve("state").resolve(c.name());
        try {
            Files.createDirectories(temp(state));
        } catch (IOException e) {
            throw new StackException("cannot create " + state + ": " + e.getMessage());
        }
        ProcessHandle p = files.launch(
                c,
                serviceCommand(serviceJar(c), state, javaOptions),
                env(
                        extraEnv,
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
            files.failIfDead(c, p);
            if (System.nanoTime() > deadline) {
                throw new StackException(
                        c.name() + " was not ready within " + SERVICE_READY.toSeconds() + " s:\n" + tail(c, 30));
            }
            sleep(300);
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

    static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
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

    private static Map<String, String> env(Map<String, String> extra, String... pairs) {
        Map<String, String> env = new HashMap<>(extra);
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }
}
