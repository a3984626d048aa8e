package io.assay.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.cli.api.AggregatorClient;
import io.assay.cli.console.JsonOption;
import io.assay.cli.stack.Component;
import io.assay.cli.stack.LocalStack;
import io.assay.contracts.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Shows the local stack's processes and the pipeline's health as the aggregator reads it. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Show each process of the local stack (if one was started with ./assay up or demo), then the "
                    + "pipeline as the aggregator reads it from the broker: the lag of each stage, the dead "
                    + "letters of the last hour with the latest reasons, and the circuit breakers open.",
            "Exit code 0 when the aggregator answers and every local process runs, 1 otherwise."
        })
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    /** {@code --json}: the processes and the aggregator's {@code /api/status} as one object. */
    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LocalStack stack = LocalStack.atDefaultLocation();
        List<String> processes = stack.status();
        boolean local = !stack.running().isEmpty();
        boolean processesOk = !local || stack.running().size() == Component.ALL.size();
        JsonNode pipeline = null;
        String unreachable = null;
        try {
            pipeline = new AggregatorClient(connection.api).status();
        } catch (AggregatorClient.ApiException e) {
            unreachable = e.getMessage();
        }
        if (json.json()) {
            ObjectNode all = Json.mapper().createObjectNode();
            all.putPOJO("processes", processes);
            all.set("pipeline", pipeline);
            if (unreachable != null) {
                all.put("error", unreachable);
            }
            out.println(Json.write(all));
        } else {
            out.println("Local stack (" + stack.home() + "):");
            processes.forEach(line -> out.println("  " + line));
            out.println();
            if (pipeline == null) {
                err.println("Pipeline: " + unreachable);
            } else {
                printPipeline(out, pipeline);
            }
        }
        out.flush();
        return pipeline != null && processesOk ? 0 : 1;
    }

    private void printPipeline(PrintWriter out, JsonNode status) {
        out.println(
                "Pipeline (" + connection.api + ", read " + status.path("asOf").asText() + "):");
        out.println(String.format("  %-17s %-28s %10s", "stage", "consumer group", "lag"));
        for (JsonNode stage : status.path("stages")) {
            String lag = stage.path("started").asBoolean(true)
                    ? Long.toString(stage.path("lag").asLong())
                    : stage.path("lag").asLong() + " (never ran)";
            out.println(String.format(
                    "  %-17s %-28s %10s",
                    stage.path("stage").asText(), stage.path("group").asText(), lag));
        }
        JsonNode dead = status.path("deadLetters");
        out.println("  dead letters in the last hour: " + dead.path("lastHour").asLong()
                + (dead.path("atLeast").asBoolean() ? " (at least)" : ""));
        for (JsonNode letter : dead.path("latest")) {
            out.println(String.format(
                    "    %s  %s  %s: %s",
                    letter.path("at").asText(),
                    letter.path("stage").asText("?"),
                    letter.path("topic").asText("?"),
                    oneLine(letter.path("reason").asText(""), 160)));
        }
        JsonNode breakers = status.path("breakersOpen");
        if (breakers.isArray() && !breakers.isEmpty()) {
            out.println("  circuit breakers open: " + breakers.size());
            for (JsonNode b : breakers) {
                out.println("    " + b.path("model").asText() + "  since "
                        + b.path("since").asText() + "  "
                        + oneLine(b.path("message").asText(""), 160));
            }
        } else if (breakers.isArray()) {
            out.println("  circuit breakers open: none");
        }
    }

    private static String oneLine(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }
}
