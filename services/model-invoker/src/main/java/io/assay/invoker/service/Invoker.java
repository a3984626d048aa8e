package io.assay.invoker.service;

import io.assay.contracts.Message;
import io.assay.contracts.ModelError;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Provider;
import io.assay.invoker.cache.AnswerStore;
import io.assay.invoker.cache.CacheKeys;
import io.assay.invoker.limits.CircuitBreaker;
import io.assay.invoker.limits.Limiters;
import io.assay.invoker.limits.ModelLimiter;
import io.assay.invoker.providers.ErrorKinds;
import io.assay.invoker.providers.ModelProvider;
import io.assay.invoker.providers.ProviderException;
import io.assay.invoker.providers.ProviderReply;
import io.assay.invoker.providers.Sleeper;
import io.assay.invoker.secrets.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Turns one prompt into exactly one response: looks the model up (waiting briefly for a
 * registration not read yet), re-emits the stored answer if this request was answered before,
 * serves an identical deterministic request from the cache, and otherwise calls the provider
 * within the model's limits and the endpoint's circuit breaker, with retries on retryable
 * failures only. It returns either the answer or a typed failure; it never throws for a failed
 * call: a failure is an event too.
 *
 * <p>Plain Java; knows nothing of Kafka.
 *
 * <p>What happens around every call (providers, limits, breaker, retries, error kinds):
 * docs/invocation.md; why a redelivered prompt is never paid for twice: docs/delivery.md.
 */
public final class Invoker {
    /** Error kind of a request for a model that is not registered. */
    public static final String UNKNOWN_MODEL = "unknown_model";
    /** Error kind of a model whose provider this build cannot call. */
    public static final String UNSUPPORTED_PROVIDER = "unsupported_provider";
    /** Error kind of an unexpected failure inside a provider. */
    public static final String PROVIDER_FAILURE = "provider";

    private static final Logger LOG = Logger.getLogger(Invoker.class);
    private static final Duration STORE_WAIT = Duration.ofMinutes(10);
    /** Failures that say the endpoint is unwell (what a circuit breaker counts). */
    private static final Set<String> ENDPOINT_FAILURES =
            Set.of(ErrorKinds.SERVER_ERROR, ErrorKinds.CONNECTION, ErrorKinds.TIMEOUT);

    private final Models models;
    private final Map<Provider, ModelProvider> providers;
    private final RetryPolicy retry;
    private final Duration unknownModelWait;
    private final Sleeper sleeper;
    private final Responses responses;
    private final Limiters limiters;
    private final AnswerStore answers;
    private final boolean cacheEnabled;
    private final Events events;
    private final Redactor redactor;

    /**
     * An invoker without limits beyond a generous concurrency cap, with an in-memory answer store
     * and no content cache.
     *
     * @param models where the requests' models are looked up
     * @param providers the providers this build can call; others get {@value #UNSUPPORTED_PROVIDER}
     * @param retry how retryable failures are retried
     * @param unknownModelWait how long a prompt waits for its model to be registered
     * @param sleeper waits between attempts
     * @param clock stamps {@code answeredAt}
     */
    public Invoker(
            Models models,
            Map<Provider, ModelProvider> providers,
            RetryPolicy retry,
            Duration unknownModelWait,
            Sleeper sleeper,
            Clock clock) {
        this(
                models,
                providers,
                retry,
                unknownModelWait,
                sleeper,
                clock,
                Limiters.lenient(sleeper),
                AnswerStore.inMemory(),
                false,
                Events.NONE,
                Redactor.SHAPES);
    }

    /**
     * @param models where the requests' models are looked up
     * @param providers the providers this build can call; others get {@value #UNSUPPORTED_PROVIDER}
     * @param retry how retryable failures are retried
     * @param unknownModelWait how long a prompt waits for its model to be registered
     * @param sleeper waits between attempts
     * @param clock stamps {@code answeredAt}
     * @param limiters per-model limits and per-endpoint breakers
     * @param answers answers already paid for
     * @param cacheEnabled whether identical deterministic requests share one answer
     * @param events told about each attempt (metrics)
     * @param redactor masks credentials in every output and error message before it is stored or published
     */
    public Invoker(
            Models models,
            Map<Provider, ModelProvider> providers,
            RetryPolicy retry,
            Duration unknownModelWait,
            Sleeper sleeper,
            Clock clock,
            Limiters limiters,
            AnswerStore answers,
            boolean cacheEnabled,
            Events events,
            Redactor redactor) {
        this.models = models;
        this.providers = providers.isEmpty() ? Map.of() : new EnumMap<>(providers);
        this.retry = retry;
        this.unknownModelWait = unknownModelWait;
        this.sleeper = sleeper;
        this.responses = new Responses(clock, redactor);
        this.redactor = redactor;
        this.limiters = limiters;
        this.answers = answers;
        this.cacheEnabled = cacheEnabled;
        this.events = events;
    }

    /**
     * The response to a request: the stored or cached answer, a new answer, or a typed failure
     * after the last attempt; {@code null} for a request whose response is already published.
     *
     * @throws InterruptedException when the service shuts down meanwhile (the prompt is then not
     *     acknowledged, so it is redelivered)
     * @throws IllegalStateException when the answer store is not loaded in time or cannot be written
     */
    public ModelResponse invoke(PromptRequest request) throws InterruptedException {
        return answer(request).response();
    }

    /**
     * Like {@link #invoke}, saying whether the response is a stored answer re-emitted for a request
     * answered before (its accounting was done then).
     *
     * @throws InterruptedException when the service shuts down meanwhile
     */
    public Result answer(PromptRequest request) throws InterruptedException {
        if (!answers.awaitLoaded(STORE_WAIT)) {
            throw new IllegalStateException("the answer store was not read back within " + STORE_WAIT);
        }
        if (answers.isPublished(request.requestId())) {
            // A redelivery of a request answered and published: nothing to call, nothing to publish.
            events.replayed(request.modelId());
            return new Result(null, true, true);
        }
        Optional<ModelResponse> stored = answers.forRequest(request.requestId());
        if (stored.isPresent()) {
            // Answered but perhaps not published (a crash in between): the same answer again, not a new paid call.
            events.replayed(request.modelId());
            return new Result(stored.get(), true, false);
        }
        Optional<ModelSpec> found = models.await(request.modelId(), unknownModelWait);
        if (found.isEmpty()) {
            return new Result(
                    failure(
                            request,
                            null,
                            0,
                            new ModelError(
                                    UNKNOWN_MODEL,
                                    "model " + request.modelId() + " is not registered (waited "
                                            + unknownModelWait.toMillis() + " ms)",
                                    false)),
                    false,
                    false);
        }
        ModelSpec model = found.get();
        ModelProvider provider = providers.get(model.provider());
        if (provider == null) {
            String name = model.provider() == null ? "null" : model.provider().wireName();
            return new Result(
                    failure(
                            request,
                            model,
                            0,
                            new ModelError(
                                    UNSUPPORTED_PROVIDER,
                                    "provider " + name + " is not implemented in this build",
                                    false)),
                    false,
                    false);
        }
        String cacheKey = cacheEnabled ? CacheKeys.of(provider, model, request) : null;
        Optional<ModelResponse> same = answers.forContent(cacheKey);
        if (same.isPresent()) {
            ModelResponse hit = responses.cachedCopy(request, model, same.get());
            answers.record(cacheKey, hit);
            return new Result(hit, false, false);
        }
        ModelResponse response = call(provider, model, request);
        if (!response.failed()) {
            answers.record(cacheKey, response);
        }
        return new Result(response, false, false);
    }

    /** Notes that the response to {@code response}'s request is published, so a redelivery need not publish it again. */
    public void published(ModelResponse response) {
        answers.markPublished(response);
    }

    /**
     * An invocation's outcome.
     *
     * @param response the response to publish; {@code null} when {@code alreadyPublished}
     * @param replayed whether it is the stored answer of a request answered before
     * @param alreadyPublished whether that stored answer's response is known to be published
     */
    public record Result(ModelResponse response, boolean replayed, boolean alreadyPublished) {}

    private ModelResponse call(ModelProvider provider, ModelSpec model, PromptRequest request)
            throws InterruptedException {
        ModelLimiter limiter = limiters.forModel(model);
        Optional<String> endpoint = provider.endpoint(model);
        CircuitBreaker breaker = endpoint.map(limiters::forEndpoint).orElse(null);
        int estimate = estimateTokens(model, request);
        int refusals = 0;
        for (int attempt = 1; ; attempt++) {
            ModelLimiter.Permit permit = limiter.acquire(estimate);
            Duration wait;
            ModelError error;
            try {
                if (breaker != null && !breaker.tryAcquire()) {
                    throw new ProviderException(
                            new ModelError(
                                    ErrorKinds.CIRCUIT_OPEN,
                                    "circuit breaker of " + endpoint.get() + " is open after consecutive failures"
                                            + (breaker.lastFailure() == null
                                                    ? ""
                                                    : "; last failure: " + breaker.lastFailure()),
                                    true),
                            breaker.remainingOpen());
                }
                ProviderReply reply;
                try {
                    reply = provider.call(model, request, attempt);
                } catch (ProviderException e) {
                    if (breaker != null) {
                        if (ENDPOINT_FAILURES.contains(e.error().kind())) {
                            breaker.onFailure(e.error().message());
                        } else if (e.rateLimited()
                                || e.error().kind().equals(ErrorKinds.BAD_REQUEST)
                                || e.error().kind().equals(ErrorKinds.AUTH)) {
                            breaker.onSuccess();
                        } else {
                            breaker.onNeutral();
                        }
                    }
                    throw e;
                }
                if (breaker != null) {
                    breaker.onSuccess();
                }
                permit.succeeded(
                        reply.usage() == null
                                ? -1
                                : reply.usage().inputTokens() + reply.usage().outputTokens(),
                        reply.rateLimits());
                return responses.answered(request, model, attempt, reply);
            } catch (ProviderException e) {
                error = e.error();
                if (e.rateLimited()) {
                    events.rateLimited(model.modelId());
                    permit.rateLimited(e.rateLimits());
                } else {
                    permit.failed();
                }
                refusals += e.rateLimited() ? 1 : 0;
                boolean exhausted = e.rateLimited()
                        ? refusals >= retry.maxRateLimited()
                        : attempt - refusals >= retry.maxAttempts();
                if (!error.retryable() || exhausted) {
                    return failure(request, model, attempt, error);
                }
                wait = retry.backoff(attempt);
                if (e.retryAfter() != null && e.retryAfter().compareTo(wait) > 0) {
                    wait = e.retryAfter();
                }
            } catch (RuntimeException e) {
                permit.failed();
                if (breaker != null) {
                    breaker.onNeutral();
                }
                // A bug or an unexpected provider reply: report it as a typed failure, do not stop the stream.
                // Without the stack trace: its messages may quote what the provider sent.
                LOG.warnf(
                        "provider %s failed on request %s: %s",
                        model.provider(), request.requestId(), redactor.redact(e.toString()));
                return failure(
                        request,
                        model,
                        attempt,
                        new ModelError(PROVIDER_FAILURE, e.getClass().getSimpleName() + ": " + e.getMessage(), false));
            }
            events.retrying(model.modelId(), error.kind());
            sleeper.sleep(wait);
        }
    }

    /** Input characters / 4, plus {@code max_tokens} when set: what a call may use before it is made. */
    static int estimateTokens(ModelSpec model, PromptRequest request) {
        long chars = 0;
        if (request.messages() != null) {
            for (Message m : request.messages()) {
                if (m != null && m.content() != null) {
                    chars += m.content().asText().length();
                }
            }
        }
        Integer maxTokens = model.paramsFor(request.params()).maxTokens();
        long out = maxTokens == null ? 0 : maxTokens;
        return (int) Math.min(Integer.MAX_VALUE, (chars + 3) / 4 + out);
    }

    private ModelResponse failure(PromptRequest request, ModelSpec model, int attempts, ModelError error) {
        LOG.debugf(
                "request %s for model %s failed after %d attempts: %s",
                request.requestId(), request.modelId(), attempts, error.kind().toLowerCase(Locale.ROOT));
        return responses.failed(request, model, attempts, error);
    }

    /** What happens during an invocation that the response does not show (for metrics). */
    public interface Events {
        /** Ignores everything. */
        Events NONE = new Events() {};

        /** A provider refused a call with 429. */
        default void rateLimited(String modelId) {}

        /** A failed attempt of {@code kind} will be retried. */
        default void retrying(String modelId, String kind) {}

        /** A request answered before was answered again from the store. */
        default void replayed(String modelId) {}
    }
}
