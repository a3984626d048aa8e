package io.assay.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.cli.console.JsonOption;
import io.assay.cli.console.Progress;
import io.assay.cli.console.QuietOption;
import io.assay.cli.kafka.FilePublisher;
import io.assay.cli.kafka.TopicReader;
import io.assay.contracts.Json;
import io.assay.contracts.Judgment;
import io.assay.contracts.Origin;
import io.assay.contracts.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
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
    @Command(
            name = "judgments",
            mixinStandardHelpOptions = true,
            description = {
                "Validate every line of FILE.jsonl against the Judgment schema and publish the valid ones "
                        + "to assay.judgments keyed benchmark/itemId. Invalid lines are reported as FILE:LINE: reason and "
                        + "not published. A line without an origin (or claiming 'pipeline') gets --origin. Judgments "
                        + "of benchmarks or models nobody registered are accepted and counted: their views use the "
                        + "defaults (WildBench weights, K = 500, the baselines found in the judgments).",
                "Exit code: 0 all lines published, 1 some lines invalid (not UTF-8, not JSON, not a valid "
                        + "judgment), 2 a file could not be read, 3 some events not delivered within "
                        + "--delivery-timeout (each named FILE:LINE: not delivered: reason).",
                "Progress (lines, rate, ETA) goes to stderr unless --quiet; --json prints the summary as one JSON "
                        + "object."
            })
    static final class Judgments implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Mixin
        Delivery delivery;

        @Parameters(arity = "1..*", paramLabel = "FILE.jsonl", description = "Files of one Judgment per line.")
        List<Path> files;

        @Option(
                names = "--origin",
                defaultValue = "import",
                description = "Origin of lines that carry none: import or human (default: ${DEFAULT-VALUE}).")
        String origin;

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
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Origin given = switch (origin) {
                case "import" -> Origin.IMPORT;
                case "human" -> Origin.HUMAN;
                default -> throw new IllegalStateException("--origin must be import or human, got " + origin);
            };
            Unregistered unregistered = dryRun
                    ? null
                    : new Unregistered(
                            TopicReader.liveKeys(connection.bootstrap, Topics.BENCHMARKS),
                            TopicReader.liveKeys(connection.bootstrap, Topics.MODELS));
            FilePublisher.Result result = FilePublisher.run(
                    files,
                    Topics.JUDGMENTS,
                    Judgment.class,
                    Judgment::key,
                    (j, bytes) -> withOrigin(bytes, j.origin(), given),
                    j -> unregistered.count(j),
                    dryRun ? null : connection.bootstrap,
                    delivery.timeout(),
                    err,
                    Progress.start("import", "lines", -1, err, quiet.quiet()));
            if (json.json()) {
                Map<String, Object> summary = new LinkedHashMap<>(result.json());
                if (unregistered != null) {
                    summary.put("unregistered", unregistered.json());
                }
                out.println(Json.write(summary));
            } else {
                out.println(result.text());
                if (unregistered != null) {
                    out.println(unregistered);
                }
            }
            out.flush();
            return result.exitCode();
        }

        /** Judgments published for benchmarks and models nobody registered. */
        private static final class Unregistered {
            private final Set<String> knownBenchmarks;
            private final Set<String> knownModels;
            private final Set<String> benchmarks = new TreeSet<>();
            private final Set<String> models = new TreeSet<>();
            private int benchmarkLines;
            private int modelLines;

            Unregistered(Set<String> knownBenchmarks, Set<String> knownModels) {
                this.knownBenchmarks = knownBenchmarks;
                this.knownModels = knownModels;
            }

            void count(Judgment j) {
                if (!knownBenchmarks.contains(j.benchmark())) {
                    benchmarkLines++;
                    benchmarks.add(j.benchmark());
                }
                if (!knownModels.contains(j.subject().modelId())) {
                    modelLines++;
                    models.add(j.subject().modelId());
                }
            }

            /** The counts as JSON fields. */
            Map<String, Object> json() {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("benchmarkJudgments", benchmarkLines);
                m.put("benchmarks", List.copyOf(benchmarks));
                m.put("modelJudgments", modelLines);
                m.put("models", List.copyOf(models));
                return m;
            }

            @Override
            public String toString() {
                return "Unregistered benchmarks: " + benchmarkLines + " judgment(s)"
                        + (benchmarks.isEmpty() ? "" : " " + listed(benchmarks)) + " (default settings apply); "
                        + "unregistered models: " + modelLines + " judgment(s)"
                        + (models.isEmpty() ? "" : " " + listed(models)) + ".";
            }
        }

        /** Names listed in the summary line before the rest are counted ({@code --json} lists them all). */
        static final int LISTED = 10;

        /** {@code [a, b]}, or the first {@value #LISTED} and how many more. */
        static String listed(Collection<String> names) {
            if (names.size() <= LISTED) {
                return names.toString();
            }
            return "[" + String.join(", ", names.stream().limit(LISTED).toList()) + " and " + (names.size() - LISTED)
                    + " more]";
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
