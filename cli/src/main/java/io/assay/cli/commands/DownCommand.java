package io.assay.cli.commands;

import io.assay.cli.stack.LocalStack;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stops the local stack. */
@Command(
        name = "down",
        mixinStandardHelpOptions = true,
        description = "Stop every process of the local stack (services first, then the broker). Data stays in .assay/.")
public final class DownCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        List<String> stopped = LocalStack.atDefaultLocation().stop();
        System.out.println(stopped.isEmpty() ? "Nothing was running." : "Stopped: " + String.join(", ", stopped));
        return 0;
    }
}
