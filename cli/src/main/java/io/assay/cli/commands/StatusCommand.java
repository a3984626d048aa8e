package io.assay.cli.commands;

import io.assay.cli.stack.Component;
import io.assay.cli.stack.LocalStack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Shows the local stack's processes. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Show each process of the local stack. Exit code 0 when all are running, 1 otherwise.")
public final class StatusCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        LocalStack stack = LocalStack.atDefaultLocation();
        stack.status().forEach(System.out::println);
        return stack.running().size() == Component.ALL.size() ? 0 : 1;
    }
}
