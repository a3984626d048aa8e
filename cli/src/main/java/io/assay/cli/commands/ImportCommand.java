package io.assay.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.cli.kafka.ConfigKeys;
import io.assay.cli.kafka.EventFile;
import io.assay.cli.kafka.FilePublisher;
import io.assay.cli.kafka.Publisher;
import io.assay.contracts.Json;
import io.assay.contracts.Judgment;
import io.assay.contracts.Origin;
import io.assay.contracts.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Imports results from other tools or human labels into the ledger. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import judgments made elsewhere (other tools' results, human labels) into assay.judgments.",
        subcommands = ImportCommand.Judgments.class)
public final class ImportCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Judgments from JSON Lines files. */
    @Command(name = "judgments", mixinStandardHelpOptions = true,
            description = {"Validate every line of FILE.jsonl against the Judgment schema and publish the valid ones "
                    + "to assay.judgments keyed benchmark/itemId. Invalid lines are reported as FILE:LINE: reason and "
                    + "not published. A line without an origin (or claiming 'pipeline') gets --origin. Judgments "
                    + "of benchmarks or models nobody registered are accepted and counted: their views use the "
                    + "defaults (WildBench weights, K = 500, the baselines found in the judgments).",
                "Exit code: 0 all lines published, 1 some lines invalid, 2 a file could not be read."})
    static final class Judgments implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Parameters(arity = "1..*", paramLabel = "FILE.jsonl", description = "Files of one Judgment per line.")
        List<Path> files;

        @Option(names = "--origin", defaultValue = "import",
                description = "Origin of lines that carry none: import or human (default: ${DEFAULT-VALUE}).")
        String origin;

        @Option(names = "--dry-run", description = "Validate only; publish nothing.")
        boolean dryRun;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Origin given = switch (origin) {
                case "import" -> Origin.IMPORT;
                case "human" -> Origin.HUMAN;
                default -> throw new IllegalStateException("--origin must be import or human, got " + origin);
            };
            int invalid = 0;
            int valid = 0;
            Set<String> benchmarks = new TreeSet<>();
            Set<String> models = new TreeSet<>();
            int unregisteredBenchmarkLines = 0;
            int unregisteredModelLines = 0;
            Set<String> knownBenchmarks = dryRun ? null : ConfigKeys.live(connection.bootstrap, Topics.BENCHMARKS);
            Set<String> knownModels = dryRun ? null : ConfigKeys.live(connection.bootstrap, Topics.MODELS);
            try (Publisher publisher = dryRun ? null : new Publisher(connection.bootstrap)) {
                for (Path file : files) {
                    List<EventFile.Line<Judgment>> lines;
                    try {
                        if (!Files.isRegularFile(file)) {
                            throw new IOException("no such file");
                        }
                        lines = EventFile.read(file, Judgment.class, Judgments::withFlags);
                    } catch (IOException e) {
                        err.println(file + ": cannot read: " + e.getMessage());
                        return FilePublisher.UNREADABLE;
                    }
                    for (EventFile.Line<Judgment> line : lines) {
                        if (!line.valid()) {
                            err.println(file + ":" + line.line() + ": " + line.error());
                            invalid++;
                            continue;
                        }
                        Judgment j = line.event();
                        byte[] bytes = withOrigin(line.bytes(), j.origin(), given);
                        if (publisher != null) {
                            publisher.sendBytes(Topics.JUDGMENTS, j.key(), bytes);
                            if (!knownBenchmarks.contains(j.benchmark())) {
                                unregisteredBenchmarkLines++;
                                benchmarks.add(j.benchmark());
                            }
                            if (!knownModels.contains(j.subject().modelId())) {
                                unregisteredModelLines++;
                                models.add(j.subject().modelId());
                            }
                        }
                        valid++;
                    }
                }
                if (publisher != null) {
                    publisher.flush();
                }
            }
            out.println((dryRun ? "Valid: " : "Published: ") + valid + " Judgment(s) to " + Topics.JUDGMENTS.name()
                    + "; invalid: " + invalid + " line(s).");
            if (!dryRun) {
                out.println("Unregistered benchmarks: " + unregisteredBenchmarkLines + " judgment(s)"
                        + (benchmarks.isEmpty() ? "" : " " + benchmarks) + " (default settings apply); "
                        + "unregistered models: " + unregisteredModelLines + " judgment(s)"
                        + (models.isEmpty() ? "" : " " + models) + ".");
            }
            return invalid == 0 ? FilePublisher.OK : FilePublisher.INVALID_LINES;
        }

        /**
         * The schema leaves the flags {@code truncated}, {@code empty} and {@code unparseable} optional
         * (absent = false); the Judgment record needs them present, so an absent flag is written as false.
         */
        static JsonNode withFlags(JsonNode tree) {
            if (tree instanceof ObjectNode object) {
                for (String flag : List.of("truncated", "empty", "unparseable")) {
                    if (!object.hasNonNull(flag)) {
                        object.put(flag, false);
                    }
                }
            }
            return tree;
        }

        /** The line with {@code origin} set when it has none or claims the pipeline made it. */
        static byte[] withOrigin(byte[] line, Origin current, Origin given) {
            if (current == Origin.IMPORT || current == Origin.HUMAN) {
                return line;
            }
            ObjectNode tree = (ObjectNode) Json.tree(line);
            tree.put("origin", given.wireName());
            return Json.writeBytes(tree);
        }
    }
}
