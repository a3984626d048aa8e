package io.assay.invoker.service;

import io.assay.contracts.FinishReason;
import io.assay.contracts.ModelError;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Provider;
import io.assay.contracts.Usage;
import io.assay.invoker.providers.ModelProvider;
import io.assay.invoker.providers.ProviderException;
import io.assay.invoker.providers.ProviderReply;
import io.assay.invoker.providers.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns one prompt into exactly one response: looks the model up (waiting briefly for a
 * registration not read yet), calls its provider with retries, and returns either the answer or a
 * typed failure. It never throws for a failed call: a failure is an event too.
 *
 * <p>Plain Java; knows nothing of Kafka.
 */
public final class Invoker {
    /** Error kind of a request for a model that is not registered. */
    public static final String UNKNOWN_MODEL = "unknown_model";
    /** Error kind of a model whose provider this build cannot call. */
    public static final String UNSUPPORTED_PROVIDER = "unsupported_provider";
    /** Error kind of an unexpected failure inside a provider. */
    public static final String PROVIDER_FAILURE = "provider";

    private static final Logger LOG = Logger.getLogger(Invoker.class);
    private static final double PER_MILLION = 1_000_000.0;

    private final ModelRegistry registry;
    private final Map<Provider, ModelProvider> providers;
    private final RetryPolicy retry;
    private final Duration unknownModelWait;
    private final Sleeper sleeper;
    private final Clock clock;

    /**
     * @param registry the registered models
     * @param providers the providers this build can call; others get {@value #UNSUPPORTED_PROVIDER}
     * @param retry how transient failures are retried
     * @param unknownModelWait how long a prompt waits for its model to be registered
     * @param sleeper waits between attempts
     * @param clock stamps {@code answeredAt}
     */
    public Invoker(ModelRegistry registry, Map<Provider, ModelProvider> providers, RetryPolicy retry,
                   Duration unknownModelWait, Sleeper sleeper, Clock clock) {
        this.registry = registry;
        this.providers = providers.isEmpty() ? Map.of() : new EnumMap<>(providers);
        this.retry = retry;
        this.unknownModelWait = unknownModelWait;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /**
     * The response to a request: the answer, or a typed failure after the last attempt.
     *
     * @throws InterruptedException when the service shuts down meanwhile (the prompt is then not
     *     acknowledged, so it is redelivered)
     */
    public ModelResponse invoke(PromptRequest request) throws InterruptedException {
        Optional<ModelSpec> found = registry.await(request.modelId(), unknownModelWait);
        if (found.isEmpty()) {
            return failure(request, null, 0, new ModelError(UNKNOWN_MODEL,
                    "model " + request.modelId() + " is not registered (waited " + unknownModelWait.toMillis() + " ms)", false));
        }
        ModelSpec model = found.get();
        ModelProvider provider = providers.get(model.provider());
        if (provider == null) {
            String name = model.provider() == null ? "null" : model.provider().wireName();
            return failure(request, model, 0, new ModelError(UNSUPPORTED_PROVIDER,
                    "provider " + name + " is not implemented yet in this build", false));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                ProviderReply reply = provider.call(model, request, attempt);
                return success(request, model, attempt, reply);
            } catch (ProviderException e) {
                if (!e.error().retryable() || attempt >= retry.maxAttempts()) {
                    return failure(request, model, attempt, e.error());
                }
                sleeper.sleep(retry.backoff(attempt));
            } catch (RuntimeException e) {
                // A bug or an unexpected provider reply: report it as a typed failure, do not stop the stream.
                LOG.warnf(e, "provider %s failed on request %s", model.provider(), request.requestId());
                return failure(request, model, attempt, new ModelError(PROVIDER_FAILURE,
                        e.getClass().getSimpleName() + ": " + e.getMessage(), false));
            }
        }
    }

    /** Cost in US dollars of a call's usage at the model's prices, 0 when it has none. */
    public static double cost(ModelSpec model, Usage usage) {
        if (model.price() == null || usage == null) {
            return 0.0;
        }
        return (usage.inputTokens() * model.price().inputPerMillion()
                + usage.outputTokens() * model.price().outputPerMillion()) / PER_MILLION;
    }

    private ModelResponse success(PromptRequest request, ModelSpec model, int attempts, ProviderReply reply) {
        return new ModelResponse(request.requestId(), request.purpose(), request.benchmark(), request.itemId(),
                request.revision(), request.modelId(), model.simulated(), request.variant(), request.category(),
                request.publishedAt(), reply.output(), reply.finishReason(), reply.usage(), reply.latencyMs(),
                cost(model, reply.usage()), false, attempts, null, request.judgeId(), clock.instant(),
                reply.logprobs(), reply.simQuality());
    }

    private ModelResponse failure(PromptRequest request, ModelSpec model, int attempts, ModelError error) {
        LOG.debugf("request %s for model %s failed after %d attempts: %s", request.requestId(),
                request.modelId(), attempts, error.kind().toLowerCase(Locale.ROOT));
        return new ModelResponse(request.requestId(), request.purpose(), request.benchmark(), request.itemId(),
                request.revision(), request.modelId(), model != null && model.simulated(), request.variant(),
                request.category(), request.publishedAt(), null, FinishReason.ERROR, null, null, null, false,
                attempts, error, request.judgeId(), clock.instant());
    }
}
