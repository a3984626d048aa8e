package io.assay.invoker.providers;

import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;

/** One way of reaching models (a {@link io.assay.contracts.Provider}). Implementations block the calling thread. */
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
}
