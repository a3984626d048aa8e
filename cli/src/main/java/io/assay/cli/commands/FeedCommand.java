package io.assay.cli.commands;

import io.assay.cli.dyval.Feeder;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.kafka.Publisher;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
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
                    + "--from). Exit code: 0 every item delivered, 3 some not delivered."
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

    @Option(names = "--rate", defaultValue = "5", description = "Items per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--items", defaultValue = "0", description = "How many items; 0 streams until stopped (default).")
    long items;

    @Option(names = "--seed", defaultValue = "1", description = "Generator seed; item i of a seed is always the same.")
    long seed;

    @Option(names = "--from", defaultValue = "0", description = "Index of the first item (default: ${DEFAULT-VALUE}).")
    long from;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch finished = new CountDownLatch(1);
        Thread stopper = null;
        try (Publisher publisher = new Publisher(connection.bootstrap, delivery.timeout())) {
            // Named as soon as each is given up, so a stream that never ends still says what it lost.
            publisher.onUndelivered(u -> {
                synchronized (err) {
                    err.println(u);
                    err.flush();
                }
            });
            Feeder feeder = new Feeder(publisher, new ItemGenerator(benchmark, seed), from, items, rate, n -> {
                if (n % 50 == 0) {
                    out.println("published " + n + " items");
                    out.flush();
                }
            });
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
            List<Publisher.Undelivered> undelivered = feeder.undelivered();
            if (!undelivered.isEmpty()) {
                err.println("Not delivered: " + undelivered.size() + " item(s) within "
                        + delivery.timeout().toSeconds() + " s (named above).");
                return NOT_DELIVERED;
            }
            out.println("Done.");
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
