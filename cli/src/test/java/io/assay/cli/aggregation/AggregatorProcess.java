package io.assay.cli.aggregation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The packaged aggregator ({@code services/aggregator/target/quarkus-app/quarkus-run.jar}) as its own
 * JVM process, the way {@code assay up} runs it, with its own Kafka Streams application id (so tests
 * sharing a broker do not share a consumer group) and its own state directory.
 */
final class AggregatorProcess {
    private static final Duration READY = Duration.ofSeconds(120);

    private final Path jar;
    private final String bootstrap;
    private final String applicationId;
    private final Path stateDir;
    private final Path log;
    private final int port;
    private Process process;

    AggregatorProcess(Path repo, String bootstrap, String applicationId, Path home, int port) {
        this.jar = repo.resolve("services/aggregator/target/quarkus-app/quarkus-run.jar");
        this.bootstrap = bootstrap;
        this.applicationId = applicationId;
        this.stateDir = home.resolve("state-" + applicationId);
        this.log = home.resolve(applicationId + ".log");
        this.port = port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the process and waits until it is ready (its fold RUNNING). */
    AggregatorProcess start() throws IOException, InterruptedException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw -o package -DskipTests first");
        }
        Files.createDirectories(stateDir);
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + stateDir, "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        pb.environment().put("ASSAY_STATE_DIR", stateDir.toString());
        pb.environment().put("ASSAY_INSTANCE_ID", applicationId);
        pb.environment().put("QUARKUS_KAFKA_STREAMS_APPLICATION_ID", applicationId);
        pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        process = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the aggregator exited: " + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("the aggregator was not ready within " + READY.toSeconds() + " s: " + tail());
    }

    /** A hard kill: SIGKILL, no shutdown hook, no commit, no store flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** A graceful stop. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
