package io.assay.cli.commands;

import io.assay.cli.dyval.Feeder;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.kafka.Publisher;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Streams generated DyVal-style items into {@code assay.items}. */
@Command(
        name = "feed",
        mixinStandardHelpOptions = true,
        description = "Publish generated reasoning items (arithmetic over expression DAGs, boolean logic, "
                + "reachability) to assay.items at a steady rate. Items are new by construction, so no model "
                + "can have seen them; each has a verifiable answer and a difficulty from its graph's size.")
public final class FeedCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

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

    @Override
    public Integer call() {
        try (Publisher publisher = new Publisher(connection.bootstrap)) {
            Feeder feeder = new Feeder(publisher, new ItemGenerator(benchmark, seed), from, items, rate, n -> {
                if (n % 50 == 0) {
                    System.out.println("published " + n + " items");
                }
            });
            Runtime.getRuntime().addShutdownHook(new Thread(feeder::stop));
            feeder.run();
            System.out.println("Done.");
        }
        return 0;
    }
}
