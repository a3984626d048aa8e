package io.assay.cli.invoker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The packaged model-invoker as a separate process, on port 8082 + 11000 (the invoker helper's IT offset). */
final class InvokerProcess {
    static final int PORT = 8082 + 11_000;
    private static final Duration READY = Duration.ofSeconds(120);

    private final Path repo;
    private final Path log;
    private Process process;

    InvokerProcess(Path repo, Path log) {
        this.repo = repo;
        this.log = log;
    }

    String url() {
        return "http://127.0.0.1:" + PORT;
    }

    /** Starts it and waits until it is ready (registry and answer store read back). */
    void start(String bootstrap) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Path jar = repo.resolve("services/model-invoker/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: ./mvnw -o package -DskipTests first");
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(PORT));
        process = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the invoker exited; see " + log);
            }
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("the invoker was not ready within " + READY.toSeconds() + " s; see " + log);
    }

    /** SIGKILL: no shutdown hooks, no commits, no flushes. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** A graceful stop. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }
}
