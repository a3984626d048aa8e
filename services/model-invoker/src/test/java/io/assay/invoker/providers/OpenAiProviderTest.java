package io.assay.invoker.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.assay.contracts.Content;
import io.assay.contracts.ContentPart;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Ids;
import io.assay.contracts.Message;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Provider;
import io.assay.contracts.Purpose;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.Usage;
import io.assay.contracts.Variant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiProviderTest {
    private static final String SECRET = "sk-test-0123456789";
    private FakeOpenAi server;
    private OpenAiProvider provider;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAi();
        provider = new OpenAiProvider(
                OpenAiProvider.client(Duration.ofSeconds(2)),
                Duration.ofMillis(500),
                name -> name.equals("FAKE_KEY") ? SECRET : null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ModelSpec model(String credentialEnv, SamplingParams params) {
        return new ModelSpec(
                "gpt-test",
                null,
                Provider.OPENAI,
                server.baseUrl(),
                "gpt-4o-mini",
                credentialEnv,
                params,
                null,
                null,
                new ModelSpec.Price(0.15, 0.6),
                null,
                null,
                null,
                null);
    }

    private static PromptRequest request(List<Message> messages, SamplingParams params) {
        Variant variant = new Variant("plain", "1", 0, null);
        return new PromptRequest(
                Ids.requestId("b", "i1", 1, "gpt-test", variant, params),
                Purpose.EVALUATE,
                "b",
                "i1",
                1,
                "gpt-test",
                variant,
                messages,
                params,
                "cat",
                Instant.parse("2026-01-01T00:00:00Z"),
                null,
                null,
                null,
                null,
                null,
                null);
    }

    @Test
    void sendsParamsMultimodalPartsAndTheKeyAndParsesUsageAndLogprobs() throws Exception {
        // Given a model with default params, a request overriding some, with an image part and logprobs
        server.script(c -> FakeOpenAi.Reply.withLogprobs("A", Map.of("A", -0.05, "B", -3.2)));
        ModelSpec model = model("FAKE_KEY", new SamplingParams(0.7, 0.9, 256, 3L, List.of("\n\n"), null, null));
        List<Message> messages = List.of(
                Message.system("Be brief."),
                new Message(
                        "user",
                        Content.of(List.of(
                                ContentPart.text("Which figure shows growth?"),
                                ContentPart.image("data:image/png;base64,iVBORw0KGgo=")))));
        SamplingParams params = new SamplingParams(0.0, null, null, null, null, true, 5);

        // When it is called
        ProviderReply reply = provider.call(model, request(messages, params), 1);

        // Then the body carries the model, the merged params, the parts and logprobs
        JsonNode body = server.calls().get(0).body();
        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.0);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(256);
        assertThat(body.path("seed").asLong()).isEqualTo(3L);
        assertThat(body.path("stop").get(0).asText()).isEqualTo("\n\n");
        assertThat(body.path("logprobs").asBoolean()).isTrue();
        assertThat(body.path("top_logprobs").asInt()).isEqualTo(5);
        assertThat(body.path("stream").asBoolean()).isFalse();
        assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("Be brief.");
        JsonNode parts = body.path("messages").get(1).path("content");
        assertThat(parts.get(0).path("type").asText()).isEqualTo("text");
        assertThat(parts.get(1).path("type").asText()).isEqualTo("image_url");
        assertThat(parts.get(1).path("image_url").path("url").asText()).startsWith("data:image/png;base64,");
        // And the key from the named variable is sent as a bearer token, and only there
        assertThat(server.calls().get(0).authorization()).isEqualTo("Bearer " + SECRET);
        assertThat(body.toString()).doesNotContain(SECRET);
        // And the reply's text, usage and first-token alternatives are read
        assertThat(reply.output()).isEqualTo("A");
        assertThat(reply.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(reply.usage()).isEqualTo(new Usage(11, 7));
        assertThat(reply.logprobs()).hasSize(1);
        assertThat(reply.logprobs().get(0).top()).containsEntry("A", -0.05).containsEntry("B", -3.2);
    }

    @Test
    void withoutCredentialEnvNoAuthorizationIsSentAndUnsetParamsAreLeftOut() throws Exception {
        // Given a local model (Ollama, vLLM) with no key and no params
        ModelSpec model = model(null, null);

        // When called
        provider.call(model, request(List.of(Message.user("hi")), null), 1);

        // Then no Authorization header and no sampling fields are sent
        FakeOpenAi.Call call = server.calls().get(0);
        assertThat(call.authorization()).isNull();
        assertThat(call.body().has("temperature")).isFalse();
        assertThat(call.body().has("logprobs")).isFalse();
        assertThat(call.body().has("max_tokens")).isFalse();
    }

    @Test
    void aMissingKeyVariableIsATypedNonRetryableErrorAndNothingIsSent() {
        ModelSpec model = model("UNSET_KEY", null);

        assertThatThrownBy(() -> provider.call(model, request(List.of(Message.user("hi")), null), 1))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.error().kind()).isEqualTo(ErrorKinds.MISSING_CREDENTIAL);
                    assertThat(e.error().retryable()).isFalse();
                    assertThat(e.error().message()).contains("UNSET_KEY").doesNotContain(SECRET);
                });
        assertThat(server.calls()).isEmpty();
    }

    @Test
    void aBaseUrlEndingWithTheCompletionsPathIsABadSpecThatSaysToDropItAndNothingIsSent() {
        ModelSpec model = at(server.baseUrl() + "/chat/completions");

        assertThatThrownBy(() -> provider.call(model, request(List.of(Message.user("hi")), null), 1))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.error().kind()).isEqualTo(ErrorKinds.BAD_SPEC);
                    assertThat(e.error().retryable()).isFalse();
                    assertThat(e.error().message())
                            .contains("drop the suffix")
                            .contains("Assay appends /chat/completions");
                });
        assertThat(server.calls()).isEmpty();
    }

    @Test
    void failuresAreTyped() {
        ModelSpec model = model(null, null);
        PromptRequest request = request(List.of(Message.user("hi")), null);

        // 429 with Retry-After in seconds: rate_limited, retryable, with the wait
        server.script(c -> FakeOpenAi.Reply.status(429, Map.of("Retry-After", "2")));
        assertThat(failure(model, request)).satisfies(e -> {
            assertThat(e.error().kind()).as(e.error().message()).isEqualTo(ErrorKinds.RATE_LIMITED);
            assertThat(e.error().retryable()).isTrue();
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        });
        // OpenAI's retry-after-ms wins
        server.script(c -> FakeOpenAi.Reply.status(429, Map.of("Retry-After", "2", "retry-after-ms", "350")));
        assertThat(failure(model, request).retryAfter()).isEqualTo(Duration.ofMillis(350));
        // 5xx: server_error, retryable
        server.script(c -> FakeOpenAi.Reply.status(503, Map.of()));
        assertThat(failure(model, request).error()).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ErrorKinds.SERVER_ERROR);
            assertThat(e.retryable()).isTrue();
            assertThat(e.message()).contains("HTTP 503");
        });
        // 400 and 404: bad_request, not retryable; 401: auth, not retryable
        server.script(c -> FakeOpenAi.Reply.status(400, Map.of()));
        assertThat(failure(model, request).error()).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ErrorKinds.BAD_REQUEST);
            assertThat(e.retryable()).isFalse();
        });
        server.script(c -> FakeOpenAi.Reply.status(404, Map.of()));
        assertThat(failure(model, request).error().kind()).isEqualTo(ErrorKinds.BAD_REQUEST);
        server.script(c -> FakeOpenAi.Reply.status(401, Map.of()));
        assertThat(failure(model, request).error()).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ErrorKinds.AUTH);
            assertThat(e.retryable()).isFalse();
        });
        // A dropped connection: connection, retryable
        server.script(c -> FakeOpenAi.Reply.dropped());
        assertThat(failure(model, request).error()).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ErrorKinds.CONNECTION);
            assertThat(e.retryable()).isTrue();
        });
        // A hang beyond the 500 ms request timeout: timeout, retryable
        server.script(c -> FakeOpenAi.Reply.hang(3_000));
        assertThat(failure(model, request).error()).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ErrorKinds.TIMEOUT);
            assertThat(e.retryable()).isTrue();
        });
        // A 200 that is not a completion: bad_reply
        server.script(c -> new FakeOpenAi.Reply(200, Map.of(), "{\"object\":\"list\"}", 0, false));
        assertThat(failure(model, request).error().kind()).isEqualTo(ErrorKinds.BAD_REPLY);
        // Nothing listening: connection
        ModelSpec nowhere = new ModelSpec(
                "x",
                null,
                Provider.OPENAI,
                "http://127.0.0.1:1/v1",
                "m",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        assertThat(failure(nowhere, request).error().kind()).isEqualTo(ErrorKinds.CONNECTION);
    }

    @Test
    void retryAfterAcceptsSecondsAndHttpDates() {
        assertThat(OpenAiProvider.parseRetryAfter("1.5")).contains(Duration.ofMillis(1500));
        assertThat(OpenAiProvider.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"))
                .contains(Duration.ZERO);
        assertThat(OpenAiProvider.parseRetryAfter("soon")).isEmpty();
    }

    private ProviderException failure(ModelSpec model, PromptRequest request) {
        try {
            provider.call(model, request, 1);
        } catch (ProviderException e) {
            return e;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void callsGoToTheHostAndPortOfTheBaseUrlAndTheirAnswersMayBeCached() {
        assertThat(provider.endpoint(at("https://api.openai.com/v1"))).contains("api.openai.com:443");
        assertThat(provider.endpoint(at("http://gpu-box/v1"))).contains("gpu-box:80");
        assertThat(provider.endpoint(at("http://127.0.0.1:8000/v1/"))).contains("127.0.0.1:8000");
        assertThat(provider.endpoint(at(null))).isEmpty();
        assertThat(provider.cacheable()).isTrue();
    }

    private static ModelSpec at(String baseUrl) {
        return new ModelSpec(
                "m", null, Provider.OPENAI, baseUrl, "x", null, null, null, null, null, null, null, null, null);
    }
}
