package io.assay.cli.commands;

import io.assay.cli.DemoSetup;
import io.assay.cli.console.JsonOption;
import io.assay.cli.console.Progress;
import io.assay.cli.console.QuietOption;
import io.assay.cli.kafka.FilePublisher;
import io.assay.cli.kafka.Publisher;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Registers models and benchmarks. */
@Command(
        name = "register",
        mixinStandardHelpOptions = true,
        description = {
            "Register models (ModelSpec, one JSON object per line) or benchmarks (BenchmarkSpec) from "
                    + "files, or the demo's four simulated models. Registering a model back-fills it over every item "
                    + "already published; registering a benchmark template back-fills that variant.",
            "Exit code: 0 all published, 1 some lines invalid, 2 a file could not be read."
        },
        subcommands = {RegisterCommand.Models.class, RegisterCommand.Benchmarks.class, RegisterCommand.SimModels.class})
public final class RegisterCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Models from files. */
    @Command(name = "models", mixinStandardHelpOptions = true, description = "Publish ModelSpecs to assay.models.")
    static final class Models implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Parameters(arity = "1..*", paramLabel = "FILE.jsonl", description = "Files of one ModelSpec per line.")
        List<Path> files;

        @Mixin
        QuietOption quiet;

        @Mixin
        JsonOption json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            // The model-invoker would refuse these (credential or host); say so before anything is published.
            if (ModelsCommand.refusedLines(files, spec.commandLine().getErr()) > 0) {
                return FilePublisher.INVALID_LINES;
            }
            PrintWriter err = spec.commandLine().getErr();
            return FilePublisher.run(
                            files,
                            Topics.MODELS,
                            ModelSpec.class,
                            ModelSpec::modelId,
                            (m, bytes) -> bytes,
                            m -> {},
                            connection.bootstrap,
                            Publisher.DEFAULT_DELIVERY_TIMEOUT,
                            err,
                            Progress.start("register", "lines", -1, err, quiet.quiet()))
                    .print(spec.commandLine().getOut(), json.json());
        }
    }

    /** Benchmarks from files. */
    @Command(
            name = "benchmarks",
            mixinStandardHelpOptions = true,
            description = "Publish BenchmarkSpecs to assay.benchmarks.")
    static final class Benchmarks implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Parameters(arity = "1..*", paramLabel = "FILE.jsonl", description = "Files of one BenchmarkSpec per line.")
        List<Path> files;

        @Mixin
        QuietOption quiet;

        @Mixin
        JsonOption json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            return FilePublisher.run(
                            files,
                            Topics.BENCHMARKS,
                            BenchmarkSpec.class,
                            BenchmarkSpec::benchmark,
                            (b, bytes) -> bytes,
                            b -> {},
                            connection.bootstrap,
                            Publisher.DEFAULT_DELIVERY_TIMEOUT,
                            err,
                            Progress.start("register", "lines", -1, err, quiet.quiet()))
                    .print(spec.commandLine().getOut(), json.json());
        }
    }

    /** The demo's simulated models. */
    @Command(
            name = "sim-models",
            mixinStandardHelpOptions = true,
            description = "Register the demo's four SIMULATED models (sim-alpha .. sim-delta, skills 1.5 .. -1.5).")
    static final class SimModels implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Option(names = "--benchmark", description = "Also register this benchmark with the demo's settings.")
        String benchmark;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Instant now = Instant.now();
            try (Publisher publisher = new Publisher(connection.bootstrap)) {
                if (benchmark != null) {
                    publisher.sendAndWait(Topics.BENCHMARKS, benchmark, DemoSetup.benchmark(benchmark, now));
                }
                for (ModelSpec m : DemoSetup.models(now)) {
                    publisher.sendAndWait(Topics.MODELS, m.modelId(), m);
                    spec.commandLine()
                            .getOut()
                            .println("registered " + m.modelId() + " (simulated, skill "
                                    + m.sim().skill() + ")");
                }
            }
            return 0;
        }
    }
}
