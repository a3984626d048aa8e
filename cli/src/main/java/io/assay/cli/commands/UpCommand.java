package io.assay.cli.commands;

import io.assay.cli.stack.Component;
import io.assay.cli.stack.LocalStack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts the local stack in the background. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = "Start the local stack in the background: a KRaft broker on 127.0.0.1:9092 and the four "
                + "services (logs and data under .assay/), each with -Xmx384m and the serial collector; "
                + "ASSAY_SERVICE_JAVA_OPTIONS adds JVM options after those (say -Xmx2g for a long history). "
                + "Stop it with 'assay down'.")
public final class UpCommand implements Callable<Integer> {
    @Option(names = "--fresh", description = "Delete the broker's data and the services' state first.")
    boolean fresh;

    @Override
    public Integer call() {
        LocalStack stack = LocalStack.atDefaultLocation();
        System.out.println("Starting the local stack (files in " + stack.home() + "):");
        stack.start(fresh, System.out);
        System.out.println("Up. Kafka: " + stack.bootstrapServers() + "  leaderboards: "
                + stack.url(Component.AGGREGATOR) + "/api/benchmarks");
        System.out.println("Feed items with 'assay feed', stop with 'assay down'.");
        return 0;
    }
}
