package io.assay.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.cli.api.AggregatorClient;
import io.assay.cli.console.JsonOption;
import io.assay.cli.kafka.TopicReader;
import io.assay.contracts.Json;
import io.assay.contracts.Topics;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists benchmarks: those with judgments (from the aggregator) and those only registered. */
@Command(
        name = "benchmarks",
        mixinStandardHelpOptions = true,
        description = "Benchmarks known to the stack.",
        subcommands = BenchmarksCommand.ListBenchmarks.class)
public final class BenchmarksCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints every benchmark with its items, models and judgments. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = {
                "List the benchmarks: per benchmark its items (when the aggregator counts them), the models and "
                        + "judgments counted (GET /api/benchmarks), and whether it is registered on assay.benchmarks; "
                        + "a registered benchmark without judgments yet is listed with zeros.",
                "--json prints one JSON array: the aggregator's objects, each with 'registered' added."
            })
    static final class ListBenchmarks implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Mixin
        JsonOption json;

        @Option(
                names = "--no-registered",
                negatable = false,
                description = "Do not read assay.benchmarks for registered benchmarks (no broker needed).")
        boolean noRegistered;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            JsonNode listed = Json.tree(
                    new AggregatorClient(connection.api).benchmarksJson().getBytes(StandardCharsets.UTF_8));
            Map<String, ObjectNode> byName = new TreeMap<>();
            listed.forEach(b -> byName.put(b.path("benchmark").asText(), (ObjectNode) b.deepCopy()));
            Set<String> registered = noRegistered ? null : registered();
            if (registered != null) {
                byName.values()
                        .forEach(b -> b.put(
                                "registered",
                                registered.contains(b.path("benchmark").asText())));
                for (String name : registered) {
                    byName.computeIfAbsent(name, n -> {
                        ObjectNode b = Json.mapper().createObjectNode();
                        b.put("benchmark", n);
                        b.put("judgments", 0);
                        b.put("models", 0);
                        b.put("registered", true);
                        return b;
                    });
                }
            }
            if (json.json()) {
                ArrayNode array = Json.mapper().createArrayNode();
                byName.values().forEach(array::add);
                out.println(Json.write(array));
                out.flush();
                return 0;
            }
            out.printf("%-32s %8s %7s %10s  %s%n", "benchmark", "items", "models", "judgments", "registered");
            for (ObjectNode b : byName.values()) {
                out.printf(
                        "%-32s %8s %7d %10d  %s%n",
                        b.path("benchmark").asText(),
                        b.hasNonNull("items") ? b.get("items").asText() : "-",
                        b.path("models").asLong(),
                        b.path("judgments").asLong(),
                        b.has("registered") ? (b.get("registered").asBoolean() ? "yes" : "no") : "?");
            }
            out.println(byName.size() + " benchmark(s)");
            out.flush();
            return 0;
        }

        /** The registered benchmarks, {@code null} (and a note) when assay.benchmarks cannot be read. */
        private Set<String> registered() {
            try {
                return TopicReader.liveKeys(connection.bootstrap, Topics.BENCHMARKS);
            } catch (RuntimeException e) {
                spec.commandLine()
                        .getErr()
                        .println("note: could not read " + Topics.BENCHMARKS.name() + " (" + e.getMessage()
                                + "); registered benchmarks without judgments are not listed");
                return null;
            }
        }
    }
}
