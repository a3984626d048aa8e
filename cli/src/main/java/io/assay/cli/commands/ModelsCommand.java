package io.assay.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.cli.api.AggregatorClient;
import io.assay.cli.api.ModelCalls;
import io.assay.cli.kafka.EventFile;
import io.assay.cli.kafka.FilePublisher;
import io.assay.cli.kafka.Publisher;
import io.assay.cli.kafka.TopicReader;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.Json;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.ModelSpecPolicy;
import io.assay.contracts.Provider;
import io.assay.contracts.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Registers, lists and retires models on the compacted topic {@code assay.models}. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = {
            "Register, list and retire models (assay.models). A model registered is back-filled over every "
                    + "item already published; a retired model gets no new prompts."
        },
        subcommands = {ModelsCommand.Add.class, ModelsCommand.ListModels.class, ModelsCommand.Retire.class})
public final class ModelsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Publishes ModelSpecs. */
    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {
                "Register models: ModelSpecs from files (one JSON object per line) or one inline with --json.",
                "The spec names the environment variable holding the API key (credentialEnv, which must start with "
                        + "ASSAY_KEY_ or $ASSAY_INVOKER_CREDENTIAL_PREFIX); the key itself is never in a spec. A spec "
                        + "the model-invoker would refuse (credential, or a host outside $ASSAY_INVOKER_ALLOWED_HOSTS) "
                        + "is refused here and nothing is published.",
                "Each new openai model is checked with one tiny request first (POST {baseUrl}/chat/completions, "
                        + "'ping', max_tokens 1, the key from credentialEnv in this shell, 10 s): a dead port, an "
                        + "unknown host, an unset key variable, a baseUrl ending in /chat/completions, a refused key "
                        + "(401/403), a wrong URL (404) or an unknown model name refuses it; --no-check skips this.",
                "Exit code: 0 all published, 1 some invalid, refused or failing the check, 2 a file could not be read."
            })
    static final class Add implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Option(names = "--json", paramLabel = "SPEC", description = "One ModelSpec as JSON.")
        String json;

        @Parameters(arity = "0..*", paramLabel = "FILE.jsonl", description = "Files of one ModelSpec per line.")
        List<Path> files = new ArrayList<>();

        @Mixin
        BackfillWait backfill;

        @Option(
                names = "--no-check",
                description = "Publish without calling each new openai model once (e.g. its key is set only in the "
                        + "model-invoker's environment).")
        boolean noCheck;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (json == null && files.isEmpty()) {
                err.println("assay models add: give FILE.jsonl or --json SPEC");
                return 2;
            }
            int code = 0;
            if (json != null) {
                ModelSpec model;
                try {
                    model = EventType.MODEL_SPEC.parse(json.getBytes(StandardCharsets.UTF_8), ModelSpec.class);
                } catch (InvalidEventException e) {
                    err.println("--json: " + e.getMessage());
                    return 1;
                }
                Optional<String> refused = policy().refusal(model);
                if (refused.isPresent()) {
                    err.println("--json: refused: " + refused.get());
                    return 1;
                }
                if (!noCheck && ModelCheck.failsCheck(model, "--json", out, err)) {
                    err.println("Nothing published (--no-check to register it anyway).");
                    return 1;
                }
                try (Publisher publisher = new Publisher(connection.bootstrap)) {
                    publisher.sendBytes(Topics.MODELS, model.modelId(), json.getBytes(StandardCharsets.UTF_8));
                    publisher.flush();
                }
                out.println("registered " + describe(model));
                warnIfKeyMissing(model, err);
            }
            if (!files.isEmpty()) {
                if (refusedLines(files, err) > 0) {
                    return 1;
                }
                if (!noCheck && ModelCheck.failedChecks(files, out, err) > 0) {
                    return 1;
                }
                code = FilePublisher.publish(
                        files, Topics.MODELS, ModelSpec.class, ModelSpec::modelId, connection.bootstrap, out, err);
            }
            if (code == 0 && backfill.enabled()) {
                List<String> ids = new ArrayList<>(BackfillWait.modelIds(files));
                if (json != null) {
                    ids.add(
                            0,
                            EventType.MODEL_SPEC
                                    .parse(json.getBytes(StandardCharsets.UTF_8), ModelSpec.class)
                                    .modelId());
                }
                code = backfill.follow(connection.api, ids, out, err);
            }
            return code;
        }
    }

    /** Prints the registered models and how their calls ended. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = {
                "List the registered models and, from the aggregator (--api), each one's evaluation calls: answered, "
                        + "failed by kind and the last error. Models retired but seen in calls are listed too.",
                "Without the aggregator the specs alone are listed, with a note."
            })
    static final class ListModels implements Callable<Integer> {
        /** How much of a last error message a line shows. */
        static final int MESSAGE_WIDTH = 160;

        @Mixin
        Connection connection;

        @Option(
                names = "--json",
                description = "One JSON object per model and line: its spec's fields, and its calls (answered, "
                        + "failed, failures by kind, lastError, per benchmark) when the aggregator answers.")
        boolean asJson;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Map<String, ModelSpec> models = registered(connection.bootstrap);
            Map<String, ModelCalls> calls = null;
            String unreachable = null;
            try {
                calls = new TreeMap<>();
                for (ModelCalls c : new AggregatorClient(connection.api).models()) {
                    calls.put(c.modelId(), c);
                }
            } catch (AggregatorClient.ApiException e) {
                calls = null;
                unreachable = e.getMessage();
            }
            TreeSet<String> ids = new TreeSet<>(models.keySet());
            if (calls != null) {
                ids.addAll(calls.keySet());
            }
            if (asJson) {
                for (String id : ids) {
                    ObjectNode line = models.containsKey(id)
                            ? Json.mapper().valueToTree(models.get(id))
                            : Json.mapper()
                                    .createObjectNode()
                                    .put("modelId", id)
                                    .put("retired", true);
                    if (calls != null && calls.containsKey(id)) {
                        line.set("calls", Json.mapper().valueToTree(calls.get(id)));
                    }
                    out.println(Json.write(line));
                }
            } else {
                printTable(out, ids, models, calls);
            }
            if (unreachable != null) {
                err.println("aggregator unreachable: no call counts (" + unreachable + ")");
            }
            return 0;
        }

        private static void printTable(
                PrintWriter out, Set<String> ids, Map<String, ModelSpec> models, Map<String, ModelCalls> calls) {
            out.printf(
                    "%-28s %-8s %-40s %-24s %-18s %s%n",
                    "model", "provider", "endpoint", "provider model", "key variable", "limits");
            for (String id : ids) {
                ModelSpec m = models.get(id);
                if (m == null) {
                    out.printf("%-28s %-8s %s%n", id, "-", "(retired; seen in calls)");
                } else {
                    out.printf(
                            "%-28s %-8s %-40s %-24s %-18s %s%s%n",
                            m.modelId(),
                            m.provider().wireName(),
                            orDash(m.baseUrl()),
                            orDash(m.providerModel()),
                            orDash(m.credentialEnv()),
                            limits(m),
                            m.simulated() ? "  (simulated)" : "");
                }
                if (calls != null) {
                    ModelCalls c = calls.get(id);
                    out.println("    calls: " + (c == null ? "none yet" : c.summary(MESSAGE_WIDTH)));
                }
            }
            out.println(ids.size() + " model(s)");
        }

        private static String limits(ModelSpec m) {
            // Absent limits: the invoker's default concurrency (assay.invoker.default-max-concurrency), no rate cap.
            return m.limits() == null
                    ? "invoker default"
                    : "conc "
                            + or(m.limits().maxConcurrency(), "default") + ", rps "
                            + or(m.limits().requestsPerSecond(), "unlimited") + ", tpm "
                            + or(m.limits().tokensPerMinute(), "unlimited");
        }
    }

    private static String or(Object value, String absent) {
        return value == null ? absent : value.toString();
    }

    /** Publishes tombstones. */
    @Command(
            name = "retire",
            mixinStandardHelpOptions = true,
            description = "Retire models: a tombstone on assay.models; no new prompts are made for them.")
    static final class Retire implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Parameters(arity = "1..*", paramLabel = "MODEL", description = "Model ids.")
        List<String> modelIds;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Map<String, ModelSpec> models = registered(connection.bootstrap);
            int unknown = 0;
            try (Publisher publisher = new Publisher(connection.bootstrap)) {
                for (String id : modelIds) {
                    if (!models.containsKey(id)) {
                        spec.commandLine().getErr().println("assay models retire: " + id + " is not registered");
                        unknown++;
                        continue;
                    }
                    publisher.sendBytes(Topics.MODELS, id, null);
                    out.println("retired " + id);
                }
                publisher.flush();
            }
            return unknown == 0 ? 0 : 1;
        }
    }

    /**
     * The policy the model-invoker applies when a spec is registered, from the same settings' variables
     * in this shell ({@code ASSAY_INVOKER_CREDENTIAL_PREFIX}, {@code ASSAY_INVOKER_ALLOWED_HOSTS}).
     */
    static ModelSpecPolicy policy() {
        return ModelSpecPolicy.fromEnvironment(System::getenv);
    }

    /**
     * Prints {@code FILE:LINE: refused: reason} for each valid spec of {@code files} the policy refuses and
     * returns how many; a caller publishes nothing when there is one. Unreadable files and invalid lines
     * are left to {@link FilePublisher}, which reports them.
     */
    static int refusedLines(List<Path> files, PrintWriter err) {
        ModelSpecPolicy policy = policy();
        int refused = 0;
        for (Map.Entry<String, ModelSpec> spec : validSpecs(files).entrySet()) {
            Optional<String> reason = policy.refusal(spec.getValue());
            if (reason.isPresent()) {
                err.println(spec.getKey() + ": refused: " + reason.get());
                refused++;
            }
        }
        if (refused > 0) {
            err.println("Nothing published: " + refused + " spec(s) refused.");
        }
        return refused;
    }

    /**
     * The valid specs of {@code files} by {@code FILE:LINE}, in file and line order; unreadable files and
     * invalid lines are left out ({@link FilePublisher} reports them).
     */
    static Map<String, ModelSpec> validSpecs(List<Path> files) {
        Map<String, ModelSpec> out = new LinkedHashMap<>();
        for (Path file : files) {
            try {
                EventFile.read(file, ModelSpec.class).stream()
                        .filter(EventFile.Line::valid)
                        .forEach(line -> out.put(file + ":" + line.line(), line.event()));
            } catch (IOException | RuntimeException e) {
                // reported by FilePublisher
            }
        }
        return out;
    }

    /** The registered models now: the latest valid spec per id, tombstones removed. */
    static Map<String, ModelSpec> registered(String bootstrap) {
        Map<String, ModelSpec> models = new TreeMap<>();
        TopicReader.readAll(bootstrap, Topics.MODELS.name(), r -> {
            if (r.key() == null) {
                return;
            }
            if (r.value() == null) {
                models.remove(r.key());
                return;
            }
            try {
                models.put(r.key(), EventType.MODEL_SPEC.parse(r.value(), ModelSpec.class));
            } catch (InvalidEventException e) {
                // Invalid specs are skipped by every service, and dead-lettered by the config validator.
            }
        });
        return models;
    }

    private static String describe(ModelSpec m) {
        return m.modelId() + " (" + m.provider().wireName() + (m.provider() == Provider.SIM ? ", simulated" : "")
                + (m.baseUrl() == null ? "" : ", " + m.baseUrl()) + ")";
    }

    private static void warnIfKeyMissing(ModelSpec m, PrintWriter err) {
        if (m.credentialEnv() != null && System.getenv(m.credentialEnv()) == null) {
            err.println("note: " + m.credentialEnv() + " is not set in this shell; the model-invoker reads it from its "
                    + "own environment");
        }
    }

    private static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
