package io.assay.cli.commands;

import io.assay.cli.console.JsonOption;
import io.assay.cli.console.Numbers;
import io.assay.cli.console.Progress;
import io.assay.cli.console.QuietOption;
import io.assay.cli.dyval.Feeder;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.kafka.Publisher;
import io.assay.contracts.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Streams generated DyVal-style items into {@code assay.items}. */
@Command(
        name = "feed",
        mixinStandardHelpOptions = true,
        description = {
            "Publish generated reasoning items (arithmetic over expression DAGs, boolean logic, "
                    + "reachability) to assay.items at a steady rate. Items are new by construction, so no model "
                    + "can have seen them; each has a verifiable answer and a difficulty from its graph's size.",
            "While the broker is unreachable each item is retried for --delivery-timeout; an item still not "
                    + "delivered then is named as 'benchmark/itemId: not delivered: reason' (feed it again with "
                    + "--from). Exit code: 0 every item delivered, 3 some not delivered.",
            "Progress (count, rate, ETA with --items) goes to stderr unless --quiet; --json prints the summary as "
                    + "one JSON object."
        })
public final class FeedCommand implements Callable<Integer> {
    /** Exit code when some items were not delivered within the delivery timeout. */
    static final int NOT_DELIVERED = 3;

    @Mixin
    Connection connection;

    @Mixin
    Delivery delivery;

    @Option(names = "--benchmark", defaultValue = "dyval", description = "Benchmark name (default: ${DEFAULT-VALUE}).")
    String benchmark;

    @Option(
            names = "--rate",
            defaultValue = "5",
            converter = Numbers.PositiveDouble.class,
            description = "Items per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--items",
            converter = Numbers.PositiveLong.class,
            description = "How many items (at least 1); without it the feed streams until stopped.")
    long items;

    @Option(names = "--seed", defaultValue = "1", description = "Generator seed; item i of a seed is always the same.")
    long seed;

    @Option(
            names = "--from",
            defaultValue = "0",
            converter = Numbers.NonNegativeLong.class,
            description = "Index of the first item (default: ${DEFAULT-VALUE}).")
    long from;

    @Mixin
    QuietOption quiet;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch finished = new CountDownLatch(1);
        Thread stopper = null;
        try (Publisher publisher = new Publisher(connection.bootstrap, delivery.timeout())) {
            Progress progress = Progress.start("feed", "items", items > 0 ? items : -1, err, quiet.quiet());
            // Named as soon as each is given up, so a stream that never ends still says what it lost.
            publisher.onUndelivered(u -> progress.message(err, u.toString()));
            Feeder feeder =
                    new Feeder(publisher, new ItemGenerator(benchmark, seed), from, items, rate, progress::update);
            // Ctrl-C stops the feed, and waits for the items in flight to be delivered or named.
            Duration grace = delivery.timeout().plusSeconds(15);
            stopper = new Thread(() -> {
                feeder.stop();
                try {
                    finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(stopper);
            feeder.run();
            progress.finish();
            List<Publisher.Undelivered> undelivered = feeder.undelivered();
            if (json.json()) {
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("benchmark", benchmark);
                summary.put("published", feeder.published() - undelivered.size());
                summary.put("notDelivered", undelivered.size());
                summary.put("from", from);
                summary.put("next", from + feeder.published());
                summary.put("exitCode", undelivered.isEmpty() ? 0 : NOT_DELIVERED);
                out.println(Json.write(summary));
            }
            if (!undelivered.isEmpty()) {
                err.println("Not delivered: " + undelivered.size() + " item(s) within "
                        + delivery.timeout().toSeconds() + " s (named above).");
                return NOT_DELIVERED;
            }
            if (!json.json()) {
                out.println("Done: " + feeder.published() + " item(s) published to assay.items (next --from "
                        + (from + feeder.published()) + ").");
            }
            return 0;
        } finally {
            finished.countDown();
            out.flush();
            err.flush();
            if (stopper != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                } catch (IllegalStateException e) {
                    // The JVM is already shutting down: the hook is what is waiting for us.
                }
            }
        }
    }
}
