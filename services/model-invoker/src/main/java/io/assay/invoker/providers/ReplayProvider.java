package io.assay.invoker.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Json;
import io.assay.contracts.ModelResponse.TokenLogprob;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Usage;
import io.assay.contracts.Variant;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code replay} provider: serves recorded answers of real models from a JSONL file named by
 * the model's {@code baseUrl} ({@code file:///path/answers.jsonl}), for re-judging historical
 * outputs without calling anything. Each line is a recorded answer keyed by model, benchmark and
 * item, and by variant where the line has one:
 *
 * <pre>{"modelId":"gpt-4o-2024-08-06","benchmark":"wildbench","itemId":"q-17","variant":"plain@1#0",
 *  "output":"...","usage":{"inputTokens":812,"outputTokens":344}}</pre>
 *
 * <p>{@code variant} may be a label ({@link Variant#label()}) or a variant object, so a
 * {@code ModelResponse} exported from {@code assay.responses} is a valid line too. A record with
 * the request's variant wins over one without; one with another variant does not answer. A missing record is a typed, non-retryable error
 * ({@value ErrorKinds#MISSING_RECORD}), never an empty answer. The file is re-read when it changes.
 */
public final class ReplayProvider implements ModelProvider {
    private final Map<Path, Recorded> files = new ConcurrentHashMap<>();
    private final Path replayDir;

    /**
     * @param replayDir the only directory recorded answers are read from ({@code assay.invoker.replay-dir});
     *     {@code null} refuses every file
     */
    public ReplayProvider(Path replayDir) {
        this.replayDir = replayDir == null ? null : replayDir.toAbsolutePath().normalize();
    }

    @Override
    public ProviderReply call(ModelSpec model, PromptRequest request, int attempt) throws ProviderException {
        Path file = file(model);
        Recorded recorded = load(file);
        String base = key(request.modelId(), request.benchmark(), request.itemId(), null);
        String label = request.variant() == null ? null : request.variant().label();
        JsonNode line = label == null
                ? null
                : recorded.answers().get(key(request.modelId(), request.benchmark(), request.itemId(), label));
        if (line == null) {
            line = recorded.answers().get(base);
        }
        if (line == null) {
            throw ProviderException.of(
                    ErrorKinds.MISSING_RECORD,
                    "no recorded answer for model " + request.modelId()
                            + ", benchmark " + request.benchmark() + ", item " + request.itemId()
                            + (label == null ? "" : ", variant " + label) + " in " + file);
        }
        JsonNode u = line.path("usage");
        Usage usage = u.isObject()
                ? new Usage(
                        u.path("inputTokens").asInt(0), u.path("outputTokens").asInt(0))
                : null;
        FinishReason finish = line.path("finishReason").isTextual()
                ? FinishReason.valueOf(line.path("finishReason").asText().toUpperCase(Locale.ROOT))
                : FinishReason.STOP;
        List<TokenLogprob> logprobs = line.path("logprobs").isArray()
                ? List.of(Json.mapper().convertValue(line.path("logprobs"), TokenLogprob[].class))
                : null;
        return new ProviderReply(line.path("output").asText(), finish, usage, 0L, logprobs, null);
    }

    /**
     * The model's file, if it is inside the replay directory: lexically (no {@code ..} out of it) and
     * after symlinks are resolved (no link pointing out of it). The real path is what is read.
     */
    private Path file(ModelSpec model) throws ProviderException {
        Path file = named(model).toAbsolutePath().normalize();
        if (replayDir == null) {
            throw ProviderException.of(
                    ErrorKinds.OUTSIDE_REPLAY_DIR,
                    "replay model " + model.modelId() + ": no assay.invoker.replay-dir is set, so no file is read");
        }
        if (!file.startsWith(replayDir)) {
            throw outside(model, file);
        }
        if (!Files.exists(file)) {
            return file;
        }
        try {
            Path real = file.toRealPath();
            Path dir = Files.exists(replayDir) ? replayDir.toRealPath() : replayDir;
            if (!real.startsWith(dir)) {
                throw outside(model, file);
            }
            return real;
        } catch (IOException e) {
            throw ProviderException.of(
                    ErrorKinds.REPLAY_FILE, "cannot read recorded answers " + file + ": " + e.getMessage());
        }
    }

    private ProviderException outside(ModelSpec model, Path file) {
        return ProviderException.of(
                ErrorKinds.OUTSIDE_REPLAY_DIR,
                "replay model " + model.modelId() + ": " + file + " is outside assay.invoker.replay-dir " + replayDir);
    }

    private static Path named(ModelSpec model) throws ProviderException {
        String url = model.baseUrl();
        if (url == null || !url.startsWith("file:")) {
            throw ProviderException.of(
                    ErrorKinds.BAD_SPEC,
                    "replay model " + model.modelId() + " needs baseUrl file:///path/to/answers.jsonl");
        }
        try {
            return Path.of(URI.create(url));
        } catch (IllegalArgumentException e) {
            return Path.of(url.substring("file:".length()));
        }
    }

    private Recorded load(Path file) throws ProviderException {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            Recorded current = files.get(file);
            if (current != null && current.modified().equals(modified)) {
                return current;
            }
            Recorded fresh = new Recorded(modified, read(file));
            files.put(file, fresh);
            return fresh;
        } catch (IOException | RuntimeException e) {
            throw ProviderException.of(
                    ErrorKinds.REPLAY_FILE, "cannot read recorded answers " + file + ": " + e.getMessage());
        }
    }

    private static Map<String, JsonNode> read(Path file) throws IOException {
        Map<String, JsonNode> answers = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode line = Json.mapper().readTree(text);
                String model = line.hasNonNull("modelId")
                        ? line.get("modelId").asText()
                        : line.path("model").asText(null);
                String benchmark = line.path("benchmark").asText(null);
                String item = line.path("itemId").asText(null);
                if (model == null || benchmark == null || item == null || !line.hasNonNull("output")) {
                    throw new IOException("line " + number + " needs modelId, benchmark, itemId and output");
                }
                JsonNode v = line.path("variant");
                String label = v.isTextual()
                        ? v.asText()
                        : v.isObject()
                                ? Json.mapper().convertValue(v, Variant.class).label()
                                : null;
                // A record without a variant answers every variant; one with a variant only its own.
                answers.put(key(model, benchmark, item, label), line);
            }
        }
        return answers;
    }

    private static String key(String model, String benchmark, String item, String variant) {
        return model + '\u001f' + benchmark + '\u001f' + item + '\u001f' + (variant == null ? "" : variant);
    }

    private record Recorded(FileTime modified, Map<String, JsonNode> answers) {}
}
