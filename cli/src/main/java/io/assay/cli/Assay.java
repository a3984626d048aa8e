package io.assay.cli;

import io.assay.cli.api.AggregatorClient;
import io.assay.cli.commands.BenchCommand;
import io.assay.cli.commands.BenchmarksCommand;
import io.assay.cli.commands.DemoCommand;
import io.assay.cli.commands.DownCommand;
import io.assay.cli.commands.FeedCommand;
import io.assay.cli.commands.ImportCommand;
import io.assay.cli.commands.IngestCommand;
import io.assay.cli.commands.LeaderboardCommand;
import io.assay.cli.commands.ModelsCommand;
import io.assay.cli.commands.RegisterCommand;
import io.assay.cli.commands.RetryFailedCommand;
import io.assay.cli.commands.ReviewCommand;
import io.assay.cli.commands.StatusCommand;
import io.assay.cli.commands.UpCommand;
import io.assay.cli.stack.StackException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code assay} command. */
@Command(
        name = "assay",
        mixinStandardHelpOptions = true,
        version = "assay 0.1.0",
        description = "Continuous evaluation of language models on Kafka.",
        subcommands = {
            DemoCommand.class,
            UpCommand.class,
            DownCommand.class,
            StatusCommand.class,
            FeedCommand.class,
            RegisterCommand.class,
            IngestCommand.class,
            ImportCommand.class,
            ReviewCommand.class,
            LeaderboardCommand.class,
            BenchmarksCommand.class,
            ModelsCommand.class,
            RetryFailedCommand.class,
            BenchCommand.class
        })
public final class Assay implements Runnable {

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, with user-facing errors printed without a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Assay());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof StackException
                    || e instanceof AggregatorClient.ApiException
                    || e instanceof IllegalStateException) {
                commandLine.getErr().println("assay: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
