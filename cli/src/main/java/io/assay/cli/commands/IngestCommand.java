package io.assay.cli.commands;

import io.assay.cli.kafka.ItemFile;
import io.assay.cli.kafka.Publisher;
import io.assay.contracts.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Publishes benchmark items from JSON Lines files. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Validate every line of FILE.jsonl against the BenchmarkItem schema and publish the valid "
                + "ones to assay.items. Invalid lines are reported as FILE:LINE: reason and not published.",
            "Exit code: 0 all lines published, 1 some lines invalid, 2 a file could not be read."})
public final class IngestCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Parameters(arity = "1..*", paramLabel = "FILE.jsonl", description = "Files of one BenchmarkItem per line.")
    List<Path> files;

    @Option(names = "--dry-run", description = "Validate only; publish nothing.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int invalid = 0;
        int published = 0;
        Publisher publisher = dryRun ? null : new Publisher(connection.bootstrap);
        try {
            for (Path file : files) {
                List<ItemFile.Line> lines;
                try {
                    if (!Files.isRegularFile(file)) {
                        throw new NoSuchFileException(file.toString());
                    }
                    lines = ItemFile.read(file);
                } catch (IOException e) {
                    err.println(file + ": cannot read: " + e.getMessage());
                    return 2;
                }
                for (ItemFile.Line line : lines) {
                    if (!line.valid()) {
                        err.println(file + ":" + line.line() + ": " + line.error());
                        invalid++;
                    } else if (publisher != null) {
                        publisher.sendBytes(Topics.ITEMS, line.item().key(), line.bytes());
                        published++;
                    } else {
                        published++;
                    }
                }
            }
            if (publisher != null) {
                publisher.flush();
            }
        } finally {
            if (publisher != null) {
                publisher.close();
            }
        }
        out.println((dryRun ? "Valid: " : "Published: ") + published + " item(s); invalid: " + invalid + " line(s).");
        return invalid == 0 ? 0 : 1;
    }
}
