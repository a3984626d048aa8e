package io.assay.contracts;

import java.net.URI;
import java.util.Optional;

/**
 * Where an {@code openai} model's calls go: {@code POST {baseUrl}/chat/completions}. One rule for the
 * model-invoker, which calls it, and {@code assay models add}, which checks a spec before publishing it,
 * so both build the same URL and say the same about a {@code baseUrl} that already ends with the path
 * (the most common copy-paste mistake: it would call {@code .../chat/completions/chat/completions}).
 */
public final class OpenAiEndpoint {
    /** The path Assay appends to {@code baseUrl}. */
    public static final String COMPLETIONS_PATH = "/chat/completions";

    private OpenAiEndpoint() {}

    /** {@code baseUrl} + {@value #COMPLETIONS_PATH} (one trailing slash of {@code baseUrl} dropped). */
    public static URI completionsUri(String baseUrl) {
        return URI.create(trimmed(baseUrl) + COMPLETIONS_PATH);
    }

    /** Why {@code spec}'s {@code baseUrl} cannot be right, empty when it may be. */
    public static Optional<String> baseUrlProblem(ModelSpec spec) {
        String url = spec.baseUrl();
        if (url == null) {
            return Optional.empty();
        }
        String base = trimmed(url);
        if (base.endsWith(COMPLETIONS_PATH)) {
            return Optional.of("baseUrl " + url + " of model " + spec.modelId() + " ends with " + COMPLETIONS_PATH
                    + ": drop the suffix (baseUrl " + base.substring(0, base.length() - COMPLETIONS_PATH.length())
                    + "); Assay appends " + COMPLETIONS_PATH + " itself");
        }
        return Optional.empty();
    }

    private static String trimmed(String baseUrl) {
        return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }
}
