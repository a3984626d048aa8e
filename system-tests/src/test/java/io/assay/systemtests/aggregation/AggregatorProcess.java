package io.assay.systemtests.aggregation;

import io.assay.systemtests.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The packaged aggregator as its own JVM process, with its own Kafka Streams application id (so
 * tests sharing a broker do not share a consumer group) and its own state directory.
 */
final class AggregatorProcess {
    private final Path stateDir;
    private final ServiceProcess process;

    AggregatorProcess(Path repo, String bootstrap, String applicationId, Path home, int port) {
        this(repo, bootstrap, applicationId, home, port, List.of());
    }

    /** The same with extra JVM options (a larger heap: {@code -Xmx4g} overrides the default cap). */
    AggregatorProcess(Path repo, String bootstrap, String applicationId, Path home, int port, List<String> jvmArgs) {
        this.stateDir = home.resolve("state-" + applicationId);
        this.process = new ServiceProcess(
                repo,
                "aggregator",
                home.resolve(applicationId + ".log"),
                port,
                Stream.concat(Stream.of("-Djava.io.tmpdir=" + home.resolve("state-" + applicationId)), jvmArgs.stream())
                        .toList(),
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        bootstrap,
                        "ASSAY_STATE_DIR",
                        stateDir.toString(),
                        "ASSAY_INSTANCE_ID",
                        applicationId,
                        "ASSAY_APPLICATION_ID",
                        applicationId));
    }

    long pid() {
        return process.pid();
    }

    String url() {
        return process.url();
    }

    /** Starts the process and waits until it is ready (its fold RUNNING). */
    AggregatorProcess start() throws IOException, InterruptedException {
        Files.createDirectories(stateDir);
        process.start();
        return this;
    }

    /** A hard kill: SIGKILL, no shutdown hook, no commit, no store flush. */
    void kill() throws InterruptedException {
        process.kill();
    }

    /** A graceful stop. */
    void stop() throws InterruptedException {
        process.stop();
    }

    String tail() {
        return process.tail();
    }
}
