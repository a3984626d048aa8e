package io.assay.cli.commands;

import io.assay.cli.console.JsonOption;
import io.assay.cli.console.Progress;
import io.assay.cli.console.QuietOption;
import io.assay.cli.kafka.FilePublisher;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Publishes benchmark items from JSON Lines files. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Validate every line of FILE.jsonl against the BenchmarkItem schema and publish the valid "
                    + "ones to assay.items, keyed benchmark/itemId. Invalid lines are reported as FILE:LINE: reason and "
                    + "not published.",
            "Exit code: 0 all lines published, 1 some lines refused (not UTF-8, not JSON, not a valid item), "
                    + "2 a file could not be read (the others are still published), 3 some events not delivered "
                    + "within --delivery-timeout (each named FILE:LINE: not delivered: reason); the highest applies.",
            "Progress (lines, rate, ETA) goes to stderr unless --quiet; --json prints the summary as one JSON object."
        })
public final class IngestCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Mixin
    Delivery delivery;

    @Parameters(arity = "1..*", paramLabel = "FILE.jsonl", description = "Files of one BenchmarkItem per line.")
    List<Path> files;

    @Option(names = "--dry-run", description = "Validate only; publish nothing.")
    boolean dryRun;

    @Mixin
    QuietOption quiet;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        FilePublisher.Result result = FilePublisher.run(
                files,
                Topics.ITEMS,
                BenchmarkItem.class,
                BenchmarkItem::key,
                (item, bytes) -> bytes,
                item -> {},
                dryRun ? null : connection.bootstrap,
                delivery.timeout(),
                err,
                Progress.start("ingest", "lines", -1, err, quiet.quiet()));
        return result.print(spec.commandLine().getOut(), json.json());
    }
}
