package io.assay.invoker.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.Message;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Provider;
import io.assay.contracts.Purpose;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.Variant;
import io.assay.invoker.providers.ModelProvider;
import io.assay.invoker.providers.ProviderReply;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheKeysTest {
    private static final ModelSpec MODEL = new ModelSpec(
            "gpt",
            null,
            Provider.OPENAI,
            "http://127.0.0.1:8000/v1",
            "gpt-4o",
            null,
            new SamplingParams(0.7, null, 256, null, List.of("END"), null, null),
            null,
            null,
            null,
            null,
            null,
            null,
            null);

    /** A provider that keeps the default: its answers are not reused. */
    private static final ModelProvider FREE = (model, request, attempt) -> {
        throw new AssertionError("never called");
    };

    /** A provider whose answers may be reused. */
    private static final ModelProvider PAID = new ModelProvider() {
        @Override
        public ProviderReply call(ModelSpec model, PromptRequest request, int attempt) {
            throw new AssertionError("never called");
        }

        @Override
        public boolean cacheable() {
            return true;
        }
    };

    private static PromptRequest request(String itemId, String text, SamplingParams params) {
        return new PromptRequest(
                "r-" + itemId,
                Purpose.EVALUATE,
                "b",
                itemId,
                1,
                "gpt",
                new Variant("plain", "1", 0, null),
                List.of(Message.user(text)),
                params,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    private static SamplingParams temperature(Double t) {
        return new SamplingParams(t, null, null, null, null, null, null);
    }

    @Test
    void keysAreMadeOnlyForProvidersThatAllowCaching() {
        PromptRequest deterministic = request("i1", "What is 6 x 7?", temperature(0.0));

        assertThat(CacheKeys.of(FREE, MODEL, deterministic)).isNull();
        // The key of the request merged with the model's params, as it was before providers said so
        assertThat(CacheKeys.of(PAID, MODEL, deterministic)).isEqualTo("45a041c6ac77556bab74daa027906513");
    }

    @Test
    void identicalDeterministicRequestsShareAKeyAndSamplingOnesGetNone() {
        String key = CacheKeys.of(PAID, MODEL, request("i1", "What is 6 x 7?", temperature(0.0)));

        // Another item with the same messages and params deserves the same answer
        assertThat(CacheKeys.of(PAID, MODEL, request("i2", "What is 6 x 7?", temperature(0.0))))
                .isEqualTo(key);
        assertThat(CacheKeys.of(PAID, MODEL, request("i1", "What is 6 x 8?", temperature(0.0))))
                .isNotEqualTo(key);
        // A seed makes a sampling request reproducible; sampling without one (the model's 0.7) does not
        assertThat(CacheKeys.of(
                        PAID,
                        MODEL,
                        request("i1", "What is 6 x 7?", new SamplingParams(0.7, null, null, 7L, null, null, null))))
                .isNotNull()
                .isNotEqualTo(key);
        assertThat(CacheKeys.of(PAID, MODEL, request("i1", "What is 6 x 7?", null)))
                .isNull();
    }
}
