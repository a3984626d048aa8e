package io.assay.invoker.providers;

import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import java.util.Optional;

/**
 * One way of reaching models (a {@link io.assay.contracts.Provider}). Implementations block the
 * calling thread. What the invoker needs to know beyond the call itself — which endpoint a circuit
 * breaker guards, whether an answer may be reused — is asked here, so the invoker never depends on a
 * concrete provider.
 */
public interface ModelProvider {

    /**
     * Makes one call.
     *
     * @param model the registered model
     * @param request the prompt
     * @param attempt the call number, from 1
     * @return the reply
     * @throws ProviderException a typed failure; retried when it is retryable
     * @throws InterruptedException when the service shuts down during the call
     */
    ProviderReply call(ModelSpec model, PromptRequest request, int attempt)
            throws ProviderException, InterruptedException;

    /**
     * The remote endpoint ({@code host:port}) the model's calls go to, the unit of circuit breaking;
     * empty when its calls reach nothing remote (then no breaker guards them).
     */
    default Optional<String> endpoint(ModelSpec model) {
        return Optional.empty();
    }

    /**
     * Whether an answer of this provider may be served from the content cache to an identical
     * deterministic request. Only for providers whose answers cost something and depend on nothing
     * but the model, the messages and the parameters.
     */
    default boolean cacheable() {
        return false;
    }
}
