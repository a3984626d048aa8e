package io.assay.systemtests;

import io.assay.cli.api.ServiceHttp;
import io.assay.cli.stack.Component;
import io.assay.cli.stack.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A packaged service ({@code services/<name>/target/quarkus-app/quarkus-run.jar}) as its own JVM,
 * the way {@code assay up} runs it, on 127.0.0.1:{@code port}, its output appended to {@code log}:
 * for tests that kill a service hard and start it again.
 */
public final class ServiceProcess {
    /**
     * Up to 8 JVMs start side by side on 2 cores (ReplicasIT): under load that took 131 s once, and over
     * 180 s at a load of 60-80; {@code -Dassay.ready-s} waits longer.
     */
    private static final Duration READY = Duration.ofSeconds(Long.getLong("assay.ready-s", 180));

    private static final HttpClient HTTP = ServiceHttp.client();

    /** How messages name it: the service, with its instance id when it is one replica of several. */
    private final String label;

    private final Path jar;
    private final Path log;
    private final int port;
    private final List<String> jvmArgs;
    private final Map<String, String> env;
    private Process process;

    /**
     * @param jvmArgs JVM options besides the heap cap and collector
     * @param env environment besides the HTTP host and port
     */
    public ServiceProcess(Path repo, String name, Path log, int port, List<String> jvmArgs, Map<String, String> env) {
        this(repo, name, name, log, port, jvmArgs, env);
    }

    private ServiceProcess(
            Path repo, String name, String label, Path log, int port, List<String> jvmArgs, Map<String, String> env) {
        this.label = label;
        this.jar = repo.resolve("services/" + name + "/target/quarkus-app/quarkus-run.jar");
        this.log = log;
        this.port = port;
        this.jvmArgs = jvmArgs;
        this.env = env;
    }

    /**
     * A packaged service of the local stack as its own process: port {@code portOffset} above the
     * demo's, its log under {@code home/logs}, its state (and temporary files) under {@code
     * home/state/<service>}, reaching Kafka at {@code bootstrap}.
     */
    public static ServiceProcess of(Path repo, Component service, Path home, int portOffset, String bootstrap)
            throws IOException {
        Path state = home.resolve("state").resolve(service.name());
        Files.createDirectories(state);
        return new ServiceProcess(
                repo,
                service.name(),
                home.resolve("logs").resolve(service.name() + ".log"),
                service.port() + portOffset,
                List.of("-Djava.io.tmpdir=" + state),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "ASSAY_STATE_DIR", state.toString()));
    }

    /**
     * One replica of a packaged service, for a stack that runs several processes of each: instance id
     * {@code instanceId} ({@code ASSAY_INSTANCE_ID}, its static group membership), HTTP on {@code port},
     * its own state under {@code home/state/<service>-<instanceId>} and log {@code
     * home/logs/<service>-<instanceId>.log}, and {@code env} on top.
     */
    public static ServiceProcess replica(
            Path repo,
            Component service,
            Path home,
            int port,
            String instanceId,
            String bootstrap,
            Map<String, String> env)
            throws IOException {
        String name = service.name() + "-" + instanceId;
        Path state = home.resolve("state").resolve(name);
        Files.createDirectories(state);
        Map<String, String> all = new HashMap<>(env);
        all.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        all.put("ASSAY_STATE_DIR", state.toString());
        all.put("ASSAY_INSTANCE_ID", instanceId);
        return new ServiceProcess(
                repo,
                service.name(),
                name,
                home.resolve("logs").resolve(name + ".log"),
                port,
                List.of("-Djava.io.tmpdir=" + state),
                all);
    }

    /** The service, with its instance id when it is one replica of several (e.g. {@code judge-b}). */
    public String label() {
        return label;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the process and waits until its readiness check is UP. */
    public void start() throws IOException, InterruptedException {
        launch();
        awaitReady(READY);
    }

    /** Starts the process without waiting for it. */
    public void launch() throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw -o package -DskipTests first");
        }
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LocalStack.SERVICE_JVM_FLAGS);
        // this shell's ASSAY_SERVICE_JAVA_OPTIONS, as ./assay up gives them (failsafe's default execution: C1 only)
        command.addAll(LocalStack.parseServiceJavaOptions(System.getenv(LocalStack.SERVICE_JAVA_OPTIONS)));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        process = pb.start();
    }

    /** Waits until the launched process's readiness check is UP, at most {@code patience}. */
    public void awaitReady(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the " + label + " exited: " + tail());
            }
            if (ready()) {
                return;
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(
                "the " + label + " was not ready within " + patience.toSeconds() + " s: " + tail());
    }

    /** Whether its readiness check answers UP now. */
    public boolean ready() throws InterruptedException {
        try {
            HttpResponse<Void> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    /** How many lines its log has. */
    public long logLines() throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.count();
        }
    }

    /** The process id of the running process. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process is running. */
    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** A hard kill: SIGKILL, no shutdown hook, no commit, no flush. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** A graceful stop (SIGTERM), forced after 30 s. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * For a failure message: whether it runs, and the last {@code max} ERROR lines of its log (each
     * cut to 300 characters), or its last lines when it logged no error.
     */
    public String errors(int max) {
        try {
            List<String> lines = Files.readAllLines(log);
            List<String> errors = lines.stream()
                    .filter(l -> l.contains(" ERROR "))
                    .map(l -> l.length() > 300 ? l.substring(0, 300) + "…" : l)
                    .toList();
            String shown = errors.isEmpty()
                    ? "no ERROR lines; last lines:\n"
                            + String.join("\n", lines.subList(Math.max(0, lines.size() - 3), lines.size()))
                    : String.join("\n", errors.subList(Math.max(0, errors.size() - max), errors.size()));
            return label + (alive() ? " (running): " : " (exited): ") + shown;
        } catch (IOException e) {
            return label + ": no log: " + e.getMessage();
        }
    }

    /** Whether a line of its log (every run's, appended) contains {@code text}. */
    public boolean logged(String text) throws IOException {
        try (var lines = Files.lines(log)) {
            return lines.anyMatch(l -> l.contains(text));
        }
    }

    /** The last 30 lines of its log. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
