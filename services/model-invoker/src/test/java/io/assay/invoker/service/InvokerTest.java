package io.assay.invoker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.AnswerFormat;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Ids;
import io.assay.contracts.Message;
import io.assay.contracts.ModelError;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Provider;
import io.assay.contracts.Purpose;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.SimHints;
import io.assay.contracts.Usage;
import io.assay.contracts.Variant;
import io.assay.invoker.cache.AnswerStore;
import io.assay.invoker.limits.FakeTicker;
import io.assay.invoker.limits.Limiters;
import io.assay.invoker.providers.ErrorKinds;
import io.assay.invoker.providers.ModelProvider;
import io.assay.invoker.providers.ProviderException;
import io.assay.invoker.providers.ProviderReply;
import io.assay.invoker.providers.SimProvider;
import io.assay.invoker.providers.Sleeper;
import io.assay.invoker.secrets.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InvokerTest {
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private final List<Duration> slept = new ArrayList<>();
    private final Sleeper sleeper = slept::add;
    private final TestModels registry = new TestModels();

    private Invoker invoker(Map<Provider, ModelProvider> providers) {
        return invoker(providers, Duration.ofMillis(50));
    }

    /** An invoker that waits up to {@code modelWait} (real time) for an unknown model to be registered. */
    private Invoker invoker(Map<Provider, ModelProvider> providers, Duration modelWait) {
        return new Invoker(
                registry,
                providers,
                new RetryPolicy(5, Duration.ofMillis(50), Duration.ofSeconds(5)),
                modelWait,
                sleeper,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static ModelSpec model(String id, Provider provider) {
        return new ModelSpec(
                id,
                null,
                provider,
                null,
                null,
                null,
                null,
                null,
                null,
                new ModelSpec.Price(1.0, 2.0),
                null,
                null,
                provider == Provider.SIM ? new ModelSpec.SimSpec(0.0, 50, 0, null, 1L) : null,
                null);
    }

    private static PromptRequest request(String modelId) {
        Variant variant = new Variant("plain", "1", 0, null);
        return new PromptRequest(
                Ids.requestId("b", "i1", 1, modelId, variant, SamplingParams.DEFAULTS),
                Purpose.EVALUATE,
                "b",
                "i1",
                1,
                modelId,
                variant,
                List.of(Message.user("Q?")),
                null,
                "cat",
                NOW,
                AnswerFormat.CHOICE,
                null,
                new SimHints(0.0, "A", AnswerFormat.CHOICE, 4),
                null,
                null,
                null);
    }

    @Test
    void transientFailuresAreRetriedWithGrowingBackoff() throws Exception {
        // Given a provider that fails twice, then answers with 1M input and 1M output tokens
        registry.put(model("m", Provider.SIM));
        int[] calls = {0};
        ModelProvider flaky = (model, request, attempt) -> {
            calls[0]++;
            if (attempt < 3) {
                throw new ProviderException(new ModelError("transient", "boom", true));
            }
            return new ProviderReply("Answer: A", FinishReason.STOP, new Usage(1_000_000, 1_000_000), 7);
        };

        // When invoked
        ModelResponse response = invoker(Map.of(Provider.SIM, flaky)).invoke(request("m"));

        // Then it succeeds on attempt 3, after backoffs in [25, 50] and [50, 100] ms
        assertThat(response.failed()).isFalse();
        assertThat(response.attempts()).isEqualTo(3);
        assertThat(calls[0]).isEqualTo(3);
        assertThat(slept).hasSize(2);
        assertThat(slept.get(0).toMillis()).isBetween(25L, 50L);
        assertThat(slept.get(1).toMillis()).isBetween(50L, 100L);
        // And cost = 1M * $1/M + 1M * $2/M
        assertThat(response.costUsd()).isEqualTo(3.0);
        assertThat(response.latencyMs()).isEqualTo(7L);
        assertThat(response.simulated()).isTrue();
        assertThat(response.answeredAt()).isEqualTo(NOW);
        assertThat(response.category()).isEqualTo("cat");
    }

    @Test
    void theLastFailureIsPublishedAsATypedError() throws Exception {
        // Given a provider that always fails transiently
        registry.put(model("m", Provider.SIM));
        ModelProvider broken = (model, request, attempt) -> {
            throw new ProviderException(new ModelError("transient", "boom " + attempt, true));
        };

        ModelResponse response = invoker(Map.of(Provider.SIM, broken)).invoke(request("m"));

        // Then after 5 attempts a typed error response comes back
        assertThat(response.finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(response.attempts()).isEqualTo(5);
        assertThat(response.error()).isEqualTo(new ModelError("transient", "boom 5", true));
        assertThat(response.output()).isNull();
        assertThat(slept).hasSize(4);
    }

    @Test
    void nonRetryableFailuresAreNotRetried() throws Exception {
        registry.put(model("m", Provider.SIM));
        PromptRequest withoutHints = new PromptRequest(
                request("m").requestId(),
                Purpose.EVALUATE,
                "b",
                "i1",
                1,
                "m",
                request("m").variant(),
                List.of(Message.user("Q?")),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);

        ModelResponse response =
                invoker(Map.of(Provider.SIM, new SimProvider(sleeper))).invoke(withoutHints);

        assertThat(response.error().kind()).isEqualTo(SimProvider.MISSING_HINTS);
        assertThat(response.error().retryable()).isFalse();
        assertThat(response.attempts()).isEqualTo(1);
    }

    @Test
    void anUnknownModelGetsATypedErrorAfterTheWait() throws Exception {
        ModelResponse response = invoker(Map.of()).invoke(request("nobody"));

        assertThat(response.error().kind()).isEqualTo(Invoker.UNKNOWN_MODEL);
        assertThat(response.attempts()).isZero();
        assertThat(response.simulated()).isFalse();
    }

    @Test
    void aModelRegisteredDuringTheWaitIsFound() throws Exception {
        // Given a model registered 20 ms after the prompt arrives (the wait is 10 s: the registering
        // thread may start late on a loaded machine; the invoker goes on as soon as the model is there)
        Thread later = new Thread(() -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            registry.put(model("late", Provider.SIM));
        });
        later.start();

        ModelResponse response = invoker(Map.of(Provider.SIM, new SimProvider(sleeper)), Duration.ofSeconds(10))
                .invoke(request("late"));
        later.join();

        assertThat(response.failed()).isFalse();
        assertThat(response.output()).contains("Answer: ");
    }

    @Test
    void aProviderMissingFromTheBuildGetsUnsupportedProvider() throws Exception {
        registry.put(model("gpt", Provider.OPENAI));

        ModelResponse response =
                invoker(Map.of(Provider.SIM, new SimProvider(sleeper))).invoke(request("gpt"));

        assertThat(response.error())
                .isEqualTo(new ModelError(
                        Invoker.UNSUPPORTED_PROVIDER, "provider openai is not implemented in this build", false));
        assertThat(response.finishReason()).isEqualTo(FinishReason.ERROR);
    }

    /** An invoker whose endpoint breakers open after 2 failures for 10 s, and which records them. */
    private Invoker guarded(ModelProvider provider, List<String> breakers) {
        Limiters limiters = new Limiters(
                16,
                Duration.ofSeconds(1),
                0.02,
                2,
                Duration.ofSeconds(10),
                new FakeTicker(),
                sleeper,
                new Limiters.Listener() {
                    @Override
                    public void endpointAdded(String endpoint) {
                        breakers.add(endpoint);
                    }
                });
        return new Invoker(
                registry,
                Map.of(Provider.OPENAI, provider),
                new RetryPolicy(5, Duration.ofMillis(50), Duration.ofSeconds(5)),
                Duration.ofMillis(50),
                sleeper,
                Clock.fixed(NOW, ZoneOffset.UTC),
                limiters,
                AnswerStore.inMemory(),
                false,
                Invoker.Events.NONE,
                Redactor.SHAPES);
    }

    @Test
    void aProviderWithoutAnEndpointGetsNoBreaker() throws Exception {
        // Given a provider reaching nothing remote, failing every call as a server error
        registry.put(model("m", Provider.OPENAI));
        int[] calls = {0};
        ModelProvider local = (model, request, attempt) -> {
            calls[0]++;
            throw new ProviderException(new ModelError(ErrorKinds.SERVER_ERROR, "down", true));
        };
        List<String> breakers = new ArrayList<>();

        // When invoked
        ModelResponse response = guarded(local, breakers).invoke(request("m"));

        // Then no breaker exists and every attempt reached the provider
        assertThat(breakers).isEmpty();
        assertThat(calls[0]).isEqualTo(5);
        assertThat(response.error().kind()).isEqualTo(ErrorKinds.SERVER_ERROR);
    }

    @Test
    void aProviderWithAnEndpointGetsTheBreakerOfThatEndpoint() throws Exception {
        // Given a provider whose calls go to models.example:443, failing every call as a server error
        registry.put(model("m", Provider.OPENAI));
        int[] calls = {0};
        ModelProvider remote = new ModelProvider() {
            @Override
            public ProviderReply call(ModelSpec model, PromptRequest request, int attempt) throws ProviderException {
                calls[0]++;
                throw new ProviderException(new ModelError(ErrorKinds.SERVER_ERROR, "down", true));
            }

            @Override
            public Optional<String> endpoint(ModelSpec model) {
                return Optional.of("models.example:443");
            }
        };
        List<String> breakers = new ArrayList<>();

        // When invoked
        ModelResponse response = guarded(remote, breakers).invoke(request("m"));

        // Then that endpoint's breaker opened after 2 calls and failed the other 3 attempts fast, naming the cause
        assertThat(breakers).containsExactly("models.example:443");
        assertThat(calls[0]).isEqualTo(2);
        assertThat(response.attempts()).isEqualTo(5);
        assertThat(response.error())
                .isEqualTo(new ModelError(
                        ErrorKinds.CIRCUIT_OPEN,
                        "circuit breaker of models.example:443 is open after consecutive failures; last failure: down",
                        true));
    }
}
