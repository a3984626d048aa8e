package io.assay.invoker.cache;

import io.assay.contracts.Ids;
import io.assay.contracts.Json;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.SamplingParams;
import io.assay.invoker.providers.ModelProvider;

/**
 * When two requests deserve the same answer, and the key saying so. A request is cacheable when
 * its provider allows it ({@link ModelProvider#cacheable()}: paid providers, {@code openai}) and its
 * answer is meant to be reproducible: temperature 0 or a fixed seed. {@code sim} and {@code replay}
 * answers cost nothing and depend on the item and variant rather than only on the messages.
 *
 * <p>See docs/invocation.md, "Around every call".
 */
public final class CacheKeys {
    private CacheKeys() {}

    /** The content key of the request, or {@code null} when its answer should not be reused. */
    public static String of(ModelProvider provider, ModelSpec model, PromptRequest request) {
        if (!provider.cacheable()) {
            return null;
        }
        SamplingParams params = model.paramsFor(request.params());
        boolean deterministic = (params.temperature() != null && params.temperature() == 0.0) || params.seed() != null;
        if (!deterministic) {
            return null;
        }
        return Ids.hash(
                "cache",
                model.modelId(),
                model.baseUrl(),
                model.providerModel(),
                Json.canonical(request.messages()),
                Json.canonical(params));
    }
}
