package io.assay.invoker.service;

import io.assay.contracts.FinishReason;
import io.assay.contracts.ModelError;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Usage;
import io.assay.invoker.providers.ProviderReply;
import io.assay.invoker.secrets.Redactor;
import java.time.Clock;

/**
 * The three responses the {@link Invoker} publishes for a request: a new answer, the answer of an
 * identical request (served from the cache), and a typed failure. Each carries the request's
 * identity and is stamped {@code answeredAt} by the clock. The provider's text in it (the output, an
 * error's message) is redacted of credentials: this is where it leaves the invoker.
 */
final class Responses {
    private static final double PER_MILLION = 1_000_000.0;

    private final Clock clock;
    private final Redactor redactor;

    Responses(Clock clock, Redactor redactor) {
        this.clock = clock;
        this.redactor = redactor;
    }

    /** Cost in US dollars of a call's usage at the model's prices, 0 when it has none. */
    static double cost(ModelSpec model, Usage usage) {
        if (model.price() == null || usage == null) {
            return 0.0;
        }
        return (usage.inputTokens() * model.price().inputPerMillion()
                        + usage.outputTokens() * model.price().outputPerMillion())
                / PER_MILLION;
    }

    /** A new answer, as the provider gave it, at the model's prices. */
    ModelResponse answered(PromptRequest request, ModelSpec model, int attempts, ProviderReply reply) {
        return new ModelResponse(
                request.requestId(),
                request.purpose(),
                request.benchmark(),
                request.itemId(),
                request.revision(),
                request.modelId(),
                model.simulated(),
                request.variant(),
                request.category(),
                request.publishedAt(),
                redactor.redact(reply.output()),
                reply.finishReason(),
                reply.usage(),
                reply.latencyMs(),
                cost(model, reply.usage()),
                false,
                attempts,
                null,
                request.judgeId(),
                clock.instant(),
                reply.logprobs(),
                reply.simQuality());
    }

    /** The answer to an identical request, as this request's response: no call, nothing paid. */
    ModelResponse cachedCopy(PromptRequest request, ModelSpec model, ModelResponse source) {
        return new ModelResponse(
                request.requestId(),
                request.purpose(),
                request.benchmark(),
                request.itemId(),
                request.revision(),
                request.modelId(),
                model.simulated(),
                request.variant(),
                request.category(),
                request.publishedAt(),
                source.output(),
                source.finishReason(),
                source.usage(),
                0L,
                0.0,
                true,
                0,
                null,
                request.judgeId(),
                clock.instant(),
                source.logprobs(),
                source.simQuality());
    }

    /** The typed failure after {@code attempts} calls; {@code model} is {@code null} when it is not registered. */
    ModelResponse failed(PromptRequest request, ModelSpec model, int attempts, ModelError error) {
        return new ModelResponse(
                request.requestId(),
                request.purpose(),
                request.benchmark(),
                request.itemId(),
                request.revision(),
                request.modelId(),
                model != null && model.simulated(),
                request.variant(),
                request.category(),
                request.publishedAt(),
                null,
                FinishReason.ERROR,
                null,
                null,
                null,
                false,
                attempts,
                error == null
                        ? null
                        : new ModelError(error.kind(), redactor.redact(error.message()), error.retryable()),
                request.judgeId(),
                clock.instant());
    }
}
