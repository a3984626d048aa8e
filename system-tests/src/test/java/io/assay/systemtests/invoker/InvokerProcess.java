package io.assay.systemtests.invoker;

import io.assay.systemtests.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The packaged model-invoker as a separate process, on port 8082 + 11000 (the invoker helper's IT offset). */
final class InvokerProcess {
    static final int PORT = 8082 + 11_000;

    private final Path repo;
    private final Path log;
    private ServiceProcess process;

    InvokerProcess(Path repo, Path log) {
        this.repo = repo;
        this.log = log;
    }

    String url() {
        return "http://127.0.0.1:" + PORT;
    }

    /** Starts it and waits until it is ready (registry and answer store read back). */
    void start(String bootstrap) throws IOException, InterruptedException {
        // Its answer index and temporary files beside its log, not in the machine's /tmp.
        Path state = log.resolveSibling(log.getFileName().toString().replaceFirst("\\.log$", "") + "-state");
        Files.createDirectories(state);
        process = new ServiceProcess(
                repo,
                "model-invoker",
                log,
                PORT,
                List.of("-Djava.io.tmpdir=" + state),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "ASSAY_STATE_DIR", state.toString()));
        process.start();
    }

    /** SIGKILL: no shutdown hooks, no commits, no flushes. */
    void kill() throws InterruptedException {
        process.kill();
    }

    /** A graceful stop. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.stop();
        }
    }
}
