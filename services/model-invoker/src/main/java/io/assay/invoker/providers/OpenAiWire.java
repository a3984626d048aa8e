package io.assay.invoker.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Json;
import io.assay.contracts.ModelResponse.TokenLogprob;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Chat Completions wire format ({@code POST {baseUrl}/chat/completions}) as OpenAI, vLLM,
 * Ollama, llama.cpp server, LM Studio and TGI speak it. Messages go out in the shape they were
 * read (a string, or a list of {@code text} / {@code image_url} parts), so multimodal items pass
 * through unchanged.
 */
public final class OpenAiWire {
    private OpenAiWire() {}

    /** The JSON body of the request. */
    public static ObjectNode requestBody(ModelSpec model, PromptRequest request) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("model", model.providerModel());
        body.set("messages", Json.mapper().valueToTree(request.messages() == null ? List.of() : request.messages()));
        SamplingParams p = model.paramsFor(request.params());
        if (p.temperature() != null) {
            body.put("temperature", p.temperature());
        }
        if (p.topP() != null) {
            body.put("top_p", p.topP());
        }
        if (p.maxTokens() != null) {
            body.put("max_tokens", p.maxTokens());
        }
        if (p.seed() != null) {
            body.put("seed", p.seed());
        }
        if (p.stop() != null && !p.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            p.stop().forEach(stop::add);
        }
        if (Boolean.TRUE.equals(p.logprobs())) {
            body.put("logprobs", true);
            if (p.topLogprobs() != null) {
                body.put("top_logprobs", p.topLogprobs());
            }
        }
        body.put("stream", false);
        return body;
    }

    /**
     * The reply in a 2xx response body.
     *
     * @throws ProviderException {@value ErrorKinds#BAD_REPLY} when it is not a Chat Completions response
     */
    public static ProviderReply parseReply(byte[] bytes, long latencyMs) throws ProviderException {
        JsonNode root;
        try {
            root = Json.mapper().readTree(bytes);
        } catch (java.io.IOException e) {
            throw ProviderException.of(ErrorKinds.BAD_REPLY, "reply is not JSON: " + e.getMessage());
        }
        JsonNode choice = root == null ? null : root.path("choices").path(0);
        if (choice == null || choice.isMissingNode() || !choice.path("message").isObject()) {
            throw ProviderException.of(ErrorKinds.BAD_REPLY, "reply has no choices[0].message");
        }
        JsonNode content = choice.path("message").path("content");
        String output = content.isTextual() ? content.asText() : "";
        FinishReason finish = switch (choice.path("finish_reason").asText("stop")) {
            case "length" -> FinishReason.LENGTH;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
        JsonNode u = root.path("usage");
        Usage usage = u.isObject()
                ? new Usage(
                        u.path("prompt_tokens").asInt(0),
                        u.path("completion_tokens").asInt(0))
                : null;
        return new ProviderReply(
                output,
                finish,
                usage,
                latencyMs,
                logprobs(choice.path("logprobs").path("content")),
                null);
    }

    private static List<TokenLogprob> logprobs(JsonNode content) {
        if (!content.isArray() || content.isEmpty()) {
            return null;
        }
        List<TokenLogprob> tokens = new ArrayList<>(content.size());
        for (JsonNode t : content) {
            Map<String, Double> top = new LinkedHashMap<>();
            for (JsonNode alt : t.path("top_logprobs")) {
                top.put(alt.path("token").asText(), alt.path("logprob").asDouble());
            }
            tokens.add(
                    new TokenLogprob(t.path("token").asText(), t.path("logprob").asDouble(), top));
        }
        return tokens;
    }
}
