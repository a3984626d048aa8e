package io.assay.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.assay.contracts.Json;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.OpenAiEndpoint;
import io.assay.contracts.Provider;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One tiny request to a new {@code openai} model before it is published ({@code POST
 * {baseUrl}/chat/completions}, "ping", {@code max_tokens} 1), built as the model-invoker builds its calls
 * ({@link OpenAiEndpoint}, {@code Authorization: Bearer} with the key named in {@code credentialEnv}),
 * so a dead port, an unset key variable, a wrong URL, a refused key or an unknown model name is said
 * here, before a single prompt fails, rather than only inside {@code assay.responses}.
 *
 * <p>What the endpoint sends back is quoted without the key (nor anything shaped like one).
 */
public final class ModelCheck {
    /** How long the check waits for the endpoint. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final int MAX_QUOTE = 200;
    private static final Pattern MODEL_UNKNOWN = Pattern.compile(
            "model_not_found|does not exist|not found|unknown model|no such model|invalid model|not a valid model",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern KEY_SHAPES =
            Pattern.compile("(?<![A-Za-z0-9])sk-[A-Za-z0-9_\\-]{8,}|(?i)\\b(bearer)\\s+[A-Za-z0-9._~+/=\\-]{6,}");

    private final HttpClient http;
    private final Duration timeout;
    private final UnaryOperator<String> environment;

    /** A check reading keys from {@code environment} and waiting at most {@code timeout}. */
    public ModelCheck(Duration timeout, UnaryOperator<String> environment) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timeout = timeout;
        this.environment = environment;
    }

    /** The check of this shell's environment with the default timeout. */
    public static ModelCheck ofEnvironment() {
        return new ModelCheck(TIMEOUT, System::getenv);
    }

    /**
     * Why {@code spec} cannot be called, empty when it answered (or is not an {@code openai} model, or the
     * endpoint answered in a way that says nothing against the spec, such as 429).
     */
    public Optional<String> problem(ModelSpec spec) throws InterruptedException {
        if (spec.provider() != Provider.OPENAI) {
            return Optional.empty();
        }
        if (spec.baseUrl() == null || spec.providerModel() == null) {
            return Optional.of("openai model " + spec.modelId() + " needs baseUrl and providerModel");
        }
        Optional<String> badUrl = OpenAiEndpoint.baseUrlProblem(spec);
        if (badUrl.isPresent()) {
            return badUrl;
        }
        String key = null;
        if (spec.credentialEnv() != null && !spec.credentialEnv().isBlank()) {
            key = environment.apply(spec.credentialEnv());
            if (key == null || key.isBlank()) {
                return Optional.of("the credential variable " + spec.credentialEnv() + " (credentialEnv of "
                        + spec.modelId() + ") is not set in this shell, so the key cannot be checked; set it here "
                        + "and in the model-invoker's environment, or add --no-check");
            }
            key = key.strip();
        }
        URI uri;
        try {
            uri = OpenAiEndpoint.completionsUri(spec.baseUrl());
        } catch (IllegalArgumentException e) {
            return Optional.of(
                    "baseUrl " + spec.baseUrl() + " of model " + spec.modelId() + " is not a URL: " + e.getMessage());
        }
        Map<String, Object> body = Map.of(
                "model",
                spec.providerModel(),
                "messages",
                List.of(Map.of("role", "user", "content", "ping")),
                "max_tokens",
                1);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(body)));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            return Optional.of("no connection to " + hostPort(uri) + " within " + timeout.toSeconds()
                    + " s: is the host right and reachable?");
        } catch (HttpTimeoutException e) {
            return Optional.of("no reply from POST " + uri + " within " + timeout.toSeconds() + " s");
        } catch (ConnectException e) {
            if (unresolved(e) || !resolves(uri.getHost())) {
                return Optional.of("unknown host " + uri.getHost() + " in baseUrl " + spec.baseUrl());
            }
            return Optional.of("connection refused by " + hostPort(uri) + " (baseUrl " + spec.baseUrl()
                    + "): nothing listens there; is the server running and the port right?");
        } catch (UnknownHostException | UnresolvedAddressException e) {
            return Optional.of("unknown host " + uri.getHost() + " in baseUrl " + spec.baseUrl());
        } catch (IOException e) {
            return Optional.of("POST " + uri + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + redact(e.getMessage(), key)));
        }
        return judge(spec, uri, response.statusCode(), redact(response.body(), key));
    }

    /** Checks {@code model} ({@link ModelCheck}); prints the cause and returns true when it fails. */
    static boolean failsCheck(ModelSpec model, String where, PrintWriter out, PrintWriter err) {
        if (model.provider() != Provider.OPENAI) {
            return false;
        }
        Optional<String> problem;
        try {
            problem = ModelCheck.ofEnvironment().problem(model);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = Optional.of("interrupted");
        }
        if (problem.isPresent()) {
            err.println(where + ": check failed: " + problem.get());
            return true;
        }
        out.println("checked " + model.modelId() + ": " + model.baseUrl() + " answered");
        return false;
    }

    /** Checks every valid spec of {@code files}; returns how many failed (nothing is published then). */
    static int failedChecks(List<Path> files, PrintWriter out, PrintWriter err) {
        int failed = 0;
        for (Map.Entry<String, ModelSpec> spec : ModelsCommand.validSpecs(files).entrySet()) {
            if (failsCheck(spec.getValue(), spec.getKey(), out, err)) {
                failed++;
            }
        }
        if (failed > 0) {
            err.println("Nothing published: " + failed + " spec(s) failed the check (--no-check to register anyway).");
        }
        return failed;
    }

    private static Optional<String> judge(ModelSpec spec, URI uri, int status, String body) {
        if (status / 100 == 2 || status == 429) {
            return Optional.empty();
        }
        String said = providerMessage(body);
        if (status == 401 || status == 403) {
            return Optional.of("the endpoint refused the key in " + spec.credentialEnv() + " (HTTP " + status + " from "
                    + hostPort(uri) + ")" + (said.isEmpty() ? "" : ": " + said));
        }
        if ((status == 400 || status == 404)
                && said.toLowerCase(Locale.ROOT).contains("model")
                && MODEL_UNKNOWN.matcher(said).find()) {
            return Optional.of("unknown model name '" + spec.providerModel() + "' (providerModel of " + spec.modelId()
                    + "): the provider says: " + said);
        }
        if (status == 404) {
            return Optional.of("wrong URL: POST " + uri + " answered 404; baseUrl should be the API root that "
                    + "Assay appends " + OpenAiEndpoint.COMPLETIONS_PATH + " to (e.g. http://host:8000/v1)"
                    + (said.isEmpty() ? "" : "; the endpoint says: " + said));
        }
        // Other answers (a 400 for a parameter, a 5xx) say nothing certain against the spec: not refused.
        return Optional.empty();
    }

    /** {@code text} on one line, cut to a readable length. */
    static String quote(String text) {
        String t = text.replaceAll("\\s+", " ").trim();
        return t.length() <= MAX_QUOTE ? t : t.substring(0, MAX_QUOTE) + "...";
    }

    /** The provider's own message ({@code error.message}, {@code error}, {@code message}), else the body. */
    static String providerMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode tree = Json.mapper().readTree(body);
            JsonNode error = tree.path("error");
            if (error.isTextual()) {
                return quote(error.asText());
            }
            if (error.path("message").isTextual()) {
                return quote(error.path("message").asText());
            }
            if (tree.path("message").isTextual()) {
                return quote(tree.path("message").asText());
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON: quote it as it is.
        }
        return quote(body);
    }

    private static boolean unresolved(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    private static boolean resolves(String host) {
        try {
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String redact(String text, String key) {
        if (text == null) {
            return "";
        }
        String out = key != null && key.length() >= 6 ? text.replace(key, "[REDACTED]") : text;
        return KEY_SHAPES.matcher(out).replaceAll("[REDACTED]");
    }

    private static String hostPort(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }
}
