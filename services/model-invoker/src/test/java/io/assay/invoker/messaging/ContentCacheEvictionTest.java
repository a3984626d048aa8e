package io.assay.invoker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Topics;
import io.assay.invoker.providers.FakeOpenAi;
import io.assay.testing.KafkaResource;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The content cache with room for one answer in heap, against the real broker: an answer pushed out of
 * heap by a newer one is read back from {@code assay.answers} when an identical request comes, not paid
 * for again.
 */
@RequiresBroker
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@TestProfile(ContentCacheEvictionTest.OneAnswerInHeap.class)
class ContentCacheEvictionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static TestClient client;

    /** {@code assay.invoker.cache.max-entries=1}. */
    public static final class OneAnswerInHeap implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("assay.invoker.cache.max-entries", "1");
        }
    }

    @BeforeAll
    static void connect() {
        client = TestBroker.get().client();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void anAnswerEvictedFromHeapIsReadBackFromTheLogAndNotPaidAgain() throws Exception {
        try (FakeOpenAi server = new FakeOpenAi()) {
            // Given an openai model at temperature 0, and two different questions answered (the second
            // pushes the first out of heap)
            server.script(c -> FakeOpenAi.Reply.ok("Answer: B"));
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            String benchmark = "evict-" + suffix;
            String modelId = "gpt-evict-" + suffix;
            client.send(Topics.MODELS, modelId, ModelInvokerTest.openaiModel(modelId, server.baseUrl()));
            PromptRequest first = ModelInvokerTest.openaiPrompt(benchmark, "q1", modelId, "First question " + suffix);
            PromptRequest second = ModelInvokerTest.openaiPrompt(benchmark, "q2", modelId, "Second question " + suffix);
            client.send(Topics.PROMPTS, first.key(), first);
            awaitResponse(first);
            client.send(Topics.PROMPTS, second.key(), second);
            awaitResponse(second);
            assertThat(server.calls()).hasSize(2);

            // When another item asks the first question word for word
            PromptRequest twin = ModelInvokerTest.openaiPrompt(benchmark, "q3", modelId, "First question " + suffix);
            client.send(Topics.PROMPTS, twin.key(), twin);

            // Then it gets the first answer as a cached copy, read back from the log; the endpoint is not called
            ModelResponse cached = awaitResponse(twin);
            assertThat(cached.cached()).isTrue();
            assertThat(cached.output()).isEqualTo("Answer: B");
            assertThat(server.calls()).hasSize(2);
            String metrics = RestAssured.get("/q/metrics").asString();
            assertThat(metrics)
                    .containsPattern("assay_model_invoker_cache_log_reads_total(\\{[^}]*})? [1-9]")
                    .containsPattern("assay_model_invoker_cache_answers(\\{[^}]*})? 1\\.0");
        }
    }

    private static ModelResponse awaitResponse(PromptRequest request) {
        return client.await(Topics.RESPONSES, r -> r.requestId().equals(request.requestId()), 1, WAIT)
                .get(0);
    }
}
