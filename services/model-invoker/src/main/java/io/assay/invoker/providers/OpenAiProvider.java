package io.assay.invoker.providers;

import io.assay.contracts.Json;
import io.assay.contracts.ModelError;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.OpenAiEndpoint;
import io.assay.contracts.PromptRequest;
import io.assay.invoker.limits.RateLimits;
import io.assay.invoker.secrets.Redactor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The {@code openai} provider: any OpenAI-compatible Chat Completions endpoint, on the JDK
 * {@link HttpClient} (full control over timeouts, headers and bodies, no extra dependency).
 *
 * <p>The API key is read at each call from the credential <em>named</em> in
 * {@link ModelSpec#credentialEnv()} (an exposed environment variable or secrets file,
 * {@link io.assay.invoker.secrets.Credentials}); it is sent only in the {@code Authorization} header.
 * Everything the endpoint sends back — error bodies and answers alike — is redacted of that key and of
 * anything shaped like a key before it leaves the provider, so an endpoint that echoes the header
 * cannot put it into a topic or a log. Failures are typed ({@link ErrorKinds}): 429 with its
 * {@code Retry-After}, 5xx, resets and timeouts are retryable; other 4xx are not. The rate-limit
 * headers of every reply and refusal ({@link RateLimits}) go back with it, for the model's pace.
 */
public final class OpenAiProvider implements ModelProvider {
    private static final int MAX_ERROR_BODY = 300;

    private final HttpClient http;
    private final Duration requestTimeout;
    private final UnaryOperator<String> credentials;
    private final Redactor redactor;

    /** A provider whose redactor knows only the shapes of keys (and each call's own key). */
    public OpenAiProvider(HttpClient http, Duration requestTimeout, UnaryOperator<String> credentials) {
        this(http, requestTimeout, credentials, Redactor.SHAPES);
    }

    /**
     * @param http the shared client (its connect timeout applies)
     * @param requestTimeout how long one call may take, from sending to the whole reply
     * @param credentials the value of a credential by name, {@code null} when it is not exposed or set
     *     ({@code Credentials::value} in production)
     * @param redactor masks secrets in what the endpoint sends back
     */
    public OpenAiProvider(
            HttpClient http, Duration requestTimeout, UnaryOperator<String> credentials, Redactor redactor) {
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.credentials = credentials;
        this.redactor = redactor;
    }

    /** A client with the given connect timeout, HTTP/1.1 (what local servers speak best). */
    public static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** {@code host:port} of the model's {@code baseUrl}; empty without one. */
    @Override
    public Optional<String> endpoint(ModelSpec model) {
        return model.baseUrl() == null ? Optional.empty() : Optional.of(hostPort(model));
    }

    /** Answers to temperature 0 or a fixed seed are paid for and depend only on the model, messages and params. */
    @Override
    public boolean cacheable() {
        return true;
    }

    @Override
    public ProviderReply call(ModelSpec model, PromptRequest request, int attempt)
            throws ProviderException, InterruptedException {
        if (model.baseUrl() == null || model.providerModel() == null) {
            throw ProviderException.of(
                    ErrorKinds.BAD_SPEC, "openai model " + model.modelId() + " needs baseUrl and providerModel");
        }
        Optional<String> badUrl = OpenAiEndpoint.baseUrlProblem(model);
        if (badUrl.isPresent()) {
            // Said before any request: the endpoint's 404 for .../chat/completions/chat/completions says less.
            throw ProviderException.of(ErrorKinds.BAD_SPEC, badUrl.get());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(OpenAiEndpoint.completionsUri(model.baseUrl()))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(OpenAiWire.requestBody(model, request))));
        String key = null;
        if (model.credentialEnv() != null && !model.credentialEnv().isBlank()) {
            key = credentials.apply(model.credentialEnv());
            if (key == null || key.isBlank()) {
                throw ProviderException.of(
                        ErrorKinds.MISSING_CREDENTIAL,
                        "credential " + model.credentialEnv() + " (credentialEnv of " + model.modelId()
                                + ") is not set, or not exposed to models");
            }
            builder.header("Authorization", "Bearer " + key);
        }
        try {
            return send(model, builder.build(), key);
        } catch (ProviderException e) {
            // Whatever the endpoint said, and whatever an exception quoted of it, without the key.
            throw new ProviderException(
                    new ModelError(
                            e.error().kind(),
                            redactor.redact(e.error().message(), key),
                            e.error().retryable()),
                    e.retryAfter(),
                    e.rateLimits());
        }
    }

    private ProviderReply send(ModelSpec model, HttpRequest request, String key)
            throws ProviderException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw ProviderException.of(
                    ErrorKinds.TIMEOUT,
                    "no reply from " + hostPort(model) + " within " + requestTimeout.toMillis() + " ms");
        } catch (IOException e) {
            // The JDK's refused connection has no message: say what it means rather than "null".
            String why = e.getMessage() != null
                    ? e.getMessage()
                    : e instanceof ConnectException ? "connection refused (nothing listens there)" : "no detail";
            throw ProviderException.of(
                    ErrorKinds.CONNECTION, e.getClass().getSimpleName() + " from " + hostPort(model) + ": " + why);
        }
        long latencyMs = (System.nanoTime() - start) / 1_000_000;
        int status = response.statusCode();
        RateLimits limits = RateLimits.parse(response.headers()::firstValue, System.currentTimeMillis() / 1000.0);
        if (status / 100 == 2) {
            ProviderReply reply = OpenAiWire.parseReply(response.body(), latencyMs);
            return new ProviderReply(
                    redactor.redact(reply.output(), key),
                    reply.finishReason(),
                    reply.usage(),
                    reply.latencyMs(),
                    reply.logprobs(),
                    reply.simQuality(),
                    limits);
        }
        // Redacted before it is cut: a key cut in half is no longer its exact value.
        String detail = "HTTP " + status + " from " + hostPort(model) + ": "
                + excerpt(redactor.redact(new String(response.body(), StandardCharsets.UTF_8), key));
        if (status == 429) {
            throw new ProviderException(
                    new ModelError(ErrorKinds.RATE_LIMITED, detail, true),
                    retryAfter(response).orElse(null),
                    limits);
        }
        if (status == 408) {
            throw ProviderException.of(ErrorKinds.TIMEOUT, detail);
        }
        if (status >= 500) {
            throw new ProviderException(
                    new ModelError(ErrorKinds.SERVER_ERROR, detail, true),
                    retryAfter(response).orElse(null));
        }
        if (status == 401 || status == 403) {
            throw ProviderException.of(ErrorKinds.AUTH, detail);
        }
        throw ProviderException.of(ErrorKinds.BAD_REQUEST, detail);
    }

    private static String hostPort(ModelSpec model) {
        URI uri = URI.create(model.baseUrl());
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    /**
     * The wait a 429 or 503 asks for: {@code retry-after-ms} (OpenAI), else {@code Retry-After} in
     * seconds or as an HTTP date.
     */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> ms = response.headers().firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                return Optional.of(Duration.ofMillis(
                        Math.max(0, Math.round(Double.parseDouble(ms.get().trim())))));
            } catch (NumberFormatException e) {
                // Fall through to Retry-After.
            }
        }
        return response.headers().firstValue("retry-after").flatMap(OpenAiProvider::parseRetryAfter);
    }

    /** {@code Retry-After}: delta-seconds (decimals tolerated) or an HTTP date. */
    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            return Optional.of(Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(v) * 1000))));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static String excerpt(String body) {
        String text = body.replaceAll("\\s+", " ").trim();
        return text.length() <= MAX_ERROR_BODY ? text : text.substring(0, MAX_ERROR_BODY) + "...";
    }
}
