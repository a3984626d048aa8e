package io.assay.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.assay.contracts.Json;
import io.assay.contracts.LeaderboardSnapshot;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reads leaderboards from the aggregator's REST API. */
public final class AggregatorClient {
    private final String baseUrl;
    /** How long a request waits for the aggregator's answer once connected. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = ServiceHttp.client(Duration.ofSeconds(3));

    /** A client of the aggregator at {@code baseUrl}, e.g. {@code http://127.0.0.1:8080}. */
    public AggregatorClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** The URL of a benchmark's leaderboard. */
    public String leaderboardUrl(String benchmark, String view) {
        return leaderboardUrl(benchmark, view, Map.of());
    }

    /** The URL of a benchmark's leaderboard with extra query parameters (k, baseline, window, ...). */
    public String leaderboardUrl(String benchmark, String view, Map<String, String> params) {
        StringBuilder url = new StringBuilder(baseUrl + "/api/benchmarks/"
                + URLEncoder.encode(benchmark, StandardCharsets.UTF_8)
                + "/leaderboard?view=" + URLEncoder.encode(view, StandardCharsets.UTF_8));
        new TreeMap<>(params)
                .forEach((k, v) ->
                        url.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return url.toString();
    }

    /** The leaderboard's JSON, empty when the benchmark has no judgments yet (404). */
    public Optional<String> leaderboardJson(String benchmark, String view) {
        return leaderboardJson(benchmark, view, Map.of());
    }

    /** The leaderboard's JSON with extra query parameters, empty when the benchmark has no judgments yet (404). */
    public Optional<String> leaderboardJson(String benchmark, String view, Map<String, String> params) {
        String url = leaderboardUrl(benchmark, view, params);
        HttpResponse<String> r = get(url);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() == 503) {
            throw new ApiException(
                    "the aggregator is not ready yet (starting, or restoring its state); try again in a moment");
        }
        requireOk(url, r);
        return Optional.of(r.body());
    }

    /**
     * The leaderboard's JSON; an {@link ApiException} with the aggregator's words otherwise: an unknown
     * benchmark (404), judge, baseline or view (400) is named with the ones that exist.
     */
    public String requireLeaderboardJson(String benchmark, String view, Map<String, String> params) {
        String url = leaderboardUrl(benchmark, view, params);
        HttpResponse<String> r = get(url);
        requireOk(url, r);
        return r.body();
    }

    /** {@code GET /api/benchmarks}: every benchmark with judgments, as the API writes them. */
    public String benchmarksJson() {
        String url = baseUrl + "/api/benchmarks";
        HttpResponse<String> r = get(url);
        requireOk(url, r);
        return r.body();
    }

    /** {@code GET /api/benchmarks/{b}/models/{m}}, empty when the model has no judgment there yet (404). */
    public Optional<String> modelJson(String benchmark, String model) {
        String url = baseUrl + "/api/benchmarks/" + URLEncoder.encode(benchmark, StandardCharsets.UTF_8) + "/models/"
                + URLEncoder.encode(model, StandardCharsets.UTF_8);
        HttpResponse<String> r = get(url);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        requireOk(url, r);
        return Optional.of(r.body());
    }

    private static void requireOk(String url, HttpResponse<String> r) {
        if (r.statusCode() == 200) {
            return;
        }
        if (r.statusCode() == 503) {
            throw new ApiException(
                    "the aggregator is not ready yet (starting, or restoring its state); try again in a moment");
        }
        throw new ApiException(
                errorMessage(r.body()).orElse("GET " + url + " answered " + r.statusCode() + ": " + r.body()));
    }

    /** The {@code message} of the API's error body, when it is one. */
    static Optional<String> errorMessage(String body) {
        try {
            JsonNode tree = Json.tree(body.getBytes(StandardCharsets.UTF_8));
            JsonNode message = tree.get("message");
            return message != null && message.isTextual() ? Optional.of(message.asText()) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The leaderboard, empty when the benchmark has no judgments yet. */
    public Optional<LeaderboardSnapshot> leaderboard(String benchmark, String view) {
        return leaderboardJson(benchmark, view).map(json -> Json.read(json, LeaderboardSnapshot.class));
    }

    /** The pipeline's status ({@code GET /api/status}): lag per stage, recent dead letters, open breakers. */
    public JsonNode status() {
        String url = baseUrl + "/api/status";
        HttpResponse<String> r = get(url);
        if (r.statusCode() == 503) {
            // the aggregator runs but cannot read the pipeline (the broker is down, or refuses it): its reason
            throw new ApiException("GET " + url + ": " + message(r.body()));
        }
        if (r.statusCode() != 200) {
            throw new ApiException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new ApiException("GET " + url + " answered with something that is not JSON: " + e.getMessage());
        }
    }

    /** Every model with how its evaluation calls ended ({@code GET /api/models}). */
    public List<ModelCalls> models() {
        String url = baseUrl + "/api/models";
        HttpResponse<String> r = get(url);
        if (r.statusCode() == 503) {
            throw new ApiException(
                    "the aggregator is not ready yet (starting, or restoring its state); try again in a moment");
        }
        if (r.statusCode() != 200) {
            throw new ApiException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return List.of(Json.read(r.body(), ModelCalls[].class));
    }

    private HttpResponse<String> get(String url) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            if (e instanceof HttpConnectTimeoutException) {
                throw unreachable(e);
            }
            // it took the connection: it runs, but did not answer in time (a long computation, a broker it waits on)
            throw new ApiException("the aggregator at " + baseUrl + " did not answer " + url.substring(baseUrl.length())
                    + " within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted");
        }
    }

    /** An error answer's {@code message}, else the body itself. */
    private static String message(String body) {
        try {
            JsonNode message = Json.mapper().readTree(body).path("message");
            return message.isTextual() ? message.asText() : body;
        } catch (IOException notJson) {
            return body;
        }
    }

    private ApiException unreachable(IOException e) {
        return new ApiException("cannot reach the aggregator at " + baseUrl + " ("
                + e.getClass().getSimpleName() + "); is the stack running? ./assay status");
    }

    /** A failed API call, with a message meant for the user. */
    public static final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ApiException(String message) {
            super(message);
        }
    }
}
