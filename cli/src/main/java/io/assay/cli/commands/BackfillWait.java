package io.assay.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.assay.cli.api.AggregatorClient;
import io.assay.cli.console.Numbers;
import io.assay.cli.console.Progress;
import io.assay.cli.kafka.EventFile;
import io.assay.contracts.Json;
import io.assay.contracts.ModelSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code models add --wait}: follows the back-fill of newly registered models until each has as many
 * judgments on every judged benchmark as the models already there have on average (items × variants ×
 * judges × baselines, whatever the benchmark's settings make), or until {@code --wait-timeout}. The
 * average is taken when waiting starts, from {@code GET /api/benchmarks}; progress is read from
 * {@code GET /api/benchmarks/{b}/models/{m}}. Without {@code --wait}, {@code models add} returns at once.
 */
public final class BackfillWait {
    /** Exit code when the back-fill did not complete within the timeout. */
    static final int INCOMPLETE = 4;

    private static final Duration POLL = Duration.ofSeconds(1);

    @Option(
            names = "--wait",
            description = "Follow the new models' back-fill over the judged benchmarks (progress on stderr) until "
                    + "complete; exit code 4 if not complete within --wait-timeout.")
    boolean wait;

    @Option(
            names = "--wait-timeout",
            defaultValue = "10m",
            converter = Numbers.Span.class,
            description = "With --wait: how long to wait, e.g. 90s, 10m, 1h (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = {"-q", "--quiet"},
            description = "With --wait: no progress on stderr.")
    boolean quiet;

    /** Whether to wait. */
    boolean enabled() {
        return wait;
    }

    /** The model ids of the valid specs in {@code files} (invalid lines are reported by the publisher). */
    static List<String> modelIds(List<Path> files) {
        List<String> ids = new ArrayList<>();
        for (Path file : files) {
            try {
                EventFile.read(file, ModelSpec.class).stream()
                        .filter(EventFile.Line::valid)
                        .forEach(l -> ids.add(l.event().modelId()));
            } catch (IOException | RuntimeException e) {
                // Reported by the publisher.
            }
        }
        return ids;
    }

    /**
     * Waits for the back-fill of {@code models}; 0 when complete, {@link #INCOMPLETE} (and what is missing
     * on {@code err}) when the timeout passed first.
     */
    int follow(String api, List<String> models, PrintWriter out, PrintWriter err) {
        AggregatorClient client = new AggregatorClient(api);
        // Per benchmark: the judgments a model has there on average (rounded down), before the new ones count.
        Map<String, Long> target = new LinkedHashMap<>();
        JsonNode benchmarks = Json.tree(client.benchmarksJson().getBytes(StandardCharsets.UTF_8));
        for (JsonNode b : benchmarks) {
            long judgments = b.path("judgments").asLong();
            long modelsThere = b.path("models").asLong();
            if (modelsThere > 0 && judgments > 0) {
                target.put(b.path("benchmark").asText(), judgments / modelsThere);
            }
        }
        if (target.isEmpty()) {
            out.println("Nothing to back-fill: no benchmark has judgments yet.");
            return 0;
        }
        long total = target.values().stream().mapToLong(Long::longValue).sum() * models.size();
        Progress progress = Progress.start("back-fill", "judgments", total, err, quiet);
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Long> missing;
        while (true) {
            missing = new LinkedHashMap<>();
            long done = 0;
            for (String m : models) {
                for (Map.Entry<String, Long> t : target.entrySet()) {
                    long judged = client.modelJson(t.getKey(), m)
                            .map(j -> Json.tree(j.getBytes(StandardCharsets.UTF_8))
                                    .path("judgments")
                                    .asLong())
                            .orElse(0L);
                    done += Math.min(judged, t.getValue());
                    if (judged < t.getValue()) {
                        missing.put(m + " on " + t.getKey(), t.getValue() - judged);
                    }
                }
            }
            progress.update(done);
            if (missing.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        progress.finish();
        if (missing.isEmpty()) {
            out.println("Back-fill complete: " + String.join(", ", models) + " on " + String.join(", ", target.keySet())
                    + ".");
            return 0;
        }
        err.println("Back-fill not complete within " + timeout.toSeconds() + " s; judgments still missing: " + missing
                + " (see ./assay models list for failing calls).");
        return INCOMPLETE;
    }
}
