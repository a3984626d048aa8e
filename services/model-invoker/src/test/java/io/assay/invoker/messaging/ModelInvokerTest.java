package io.assay.invoker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.AnswerFormat;
import io.assay.contracts.CloudEvents;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.EventType;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Ids;
import io.assay.contracts.Json;
import io.assay.contracts.Keys;
import io.assay.contracts.Message;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Provider;
import io.assay.contracts.Purpose;
import io.assay.contracts.Samples;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.SimHints;
import io.assay.contracts.Topics;
import io.assay.contracts.Variant;
import io.assay.invoker.providers.ErrorKinds;
import io.assay.invoker.providers.FakeOpenAi;
import io.assay.invoker.service.Invoker;
import io.assay.invoker.sim.Simulator;
import io.assay.testing.KafkaResource;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@RequiresBroker
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class ModelInvokerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static TestClient client;

    @BeforeAll
    static void connect() {
        client = TestBroker.get().client();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ModelSpec simModel(String modelId, double skill, double errorRate) {
        return new ModelSpec(
                modelId,
                "simulated " + modelId,
                Provider.SIM,
                null,
                null,
                null,
                null,
                null,
                null,
                new ModelSpec.Price(1.0, 4.0),
                null,
                null,
                new ModelSpec.SimSpec(skill, 120, 2, errorRate, 7L),
                Instant.now());
    }

    private static PromptRequest prompt(String benchmark, String itemId, String modelId, SimHints hints) {
        Variant variant = new Variant("plain", "1", 0, null);
        return new PromptRequest(
                Ids.requestId(benchmark, itemId, 1, modelId, variant, SamplingParams.DEFAULTS),
                Purpose.EVALUATE,
                benchmark,
                itemId,
                1,
                modelId,
                variant,
                List.of(Message.user("Question " + itemId + ": pick one.")),
                SamplingParams.DEFAULTS,
                "arith",
                Instant.parse("2025-03-01T00:00:00Z"),
                hints.format(),
                null,
                hints,
                null,
                null,
                Instant.now());
    }

    private static void send(PromptRequest request) {
        client.send(Topics.PROMPTS, request.key(), request);
    }

    @Test
    void everyPromptGetsOneResponseWhoseCorrectnessIsTheSimulatorsDraw() throws Exception {
        // Given a registered sim model and 30 prompts of mixed formats
        String benchmark = unique("happy");
        String modelId = unique("sim-a");
        ModelSpec model = simModel(modelId, 0.4, 0.0);
        client.send(Topics.MODELS, modelId, model);
        List<PromptRequest> prompts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            SimHints hints = switch (i % 3) {
                case 0 -> new SimHints(i / 10.0 - 1.5, "C", AnswerFormat.CHOICE, 4);
                case 1 -> new SimHints(i / 10.0 - 1.5, Integer.toString(i * 7), AnswerFormat.NUMBER, null);
                default -> new SimHints(i / 10.0 - 1.5, "yes", AnswerFormat.TEXT, null);
            };
            prompts.add(prompt(benchmark, "item-" + i, modelId, hints));
        }

        // When they are published
        prompts.forEach(ModelInvokerTest::send);

        // Then one response per request arrives, ending with the answer line the simulator decided on
        List<ModelResponse> responses =
                client.await(Topics.RESPONSES, r -> r.benchmark().equals(benchmark), 30, WAIT);
        Map<String, ModelResponse> byRequest = responses.stream()
                .collect(Collectors.toMap(ModelResponse::requestId, Function.identity(), (a, b) -> a));
        assertThat(byRequest).hasSize(30);
        int correct = 0;
        for (PromptRequest request : prompts) {
            ModelResponse response = byRequest.get(request.requestId());
            assertThat(response.failed()).isFalse();
            assertThat(response.simulated()).isTrue();
            assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(response.attempts()).isEqualTo(1);
            assertThat(response.usage().outputTokens()).isPositive();
            assertThat(response.costUsd()).isPositive();
            assertThat(response.category()).isEqualTo("arith");
            assertThat(response.publishedAt()).isEqualTo(request.publishedAt());
            String lastLine = response.output().substring(response.output().lastIndexOf('\n') + 1);
            assertThat(lastLine).startsWith("Answer: ");
            boolean answeredCorrectly =
                    lastLine.equals("Answer: " + request.simulation().answer());
            assertThat(answeredCorrectly).isEqualTo(Simulator.decidesCorrect(model, request));
            correct += answeredCorrectly ? 1 : 0;
        }
        assertThat(correct).isBetween(1, 29);

        // And each response is keyed benchmark/itemId with CloudEvents headers, ce_id = requestId
        List<ConsumerRecord<String, byte[]>> records = client.readAllRaw(Topics.RESPONSES.name()).stream()
                .filter(r -> r.key() != null && r.key().startsWith(benchmark + "/"))
                .toList();
        assertThat(records).isNotEmpty().allSatisfy(r -> {
            ModelResponse response = EventType.MODEL_RESPONSE.parse(r.value(), ModelResponse.class);
            assertThat(r.key()).isEqualTo(Keys.item(response.benchmark(), response.itemId()));
            assertThat(TestClient.header(r, CloudEvents.ID)).isEqualTo(response.requestId());
            assertThat(TestClient.header(r, CloudEvents.TYPE)).isEqualTo(EventType.MODEL_RESPONSE.cloudEventType());
            assertThat(TestClient.header(r, CloudEvents.SOURCE)).isEqualTo("/assay/model-invoker");
            assertThat(TestClient.header(r, CloudEvents.SPEC_VERSION)).isEqualTo("1.0");
        });

        // And each answer (not cacheable: simulated) is in the durable log, then marked published by an
        // empty record under the same key: the log keeps which requests were paid for, not their bodies twice
        for (PromptRequest request : prompts) {
            List<ConsumerRecord<String, byte[]>> logged = client.awaitRaw(
                    Topics.ANSWERS.name(), r -> request.requestId().equals(r.key()), 2, WAIT);
            assertThat(logged).hasSize(2);
            assertThat(TestClient.header(logged.get(0), "assay-published")).isNull();
            assertThat(Json.mapper().readValue(logged.get(0).value(), ModelResponse.class))
                    .isEqualTo(byRequest.get(request.requestId()));
            assertThat(TestClient.header(logged.get(1), "assay-published")).isNotNull();
            assertThat(TestClient.header(logged.get(1), "assay-cache-key")).isNull();
            assertThat(logged.get(1).value()).isNotNull().isEmpty();
        }
    }

    @Test
    void aResponseCarriesItsPromptsTraceUnderASpanOfItsOwn() {
        // Given a sim model, a prompt in a trace and one without a traceparent
        String benchmark = unique("trace");
        String modelId = unique("sim-t");
        client.send(Topics.MODELS, modelId, simModel(modelId, 0.4, 0.0));
        SimHints hints = new SimHints(0.0, "yes", AnswerFormat.TEXT, null);
        PromptRequest traced = prompt(benchmark, "traced", modelId, hints);
        PromptRequest plain = prompt(benchmark, "plain", modelId, hints);
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        // When both are published
        client.send(Topics.PROMPTS, traced.key(), traced, Map.of("traceparent", traceparent));
        send(plain);

        // Then the first's response goes on in its trace under the invoker's span, the second's in a new one
        List<ConsumerRecord<String, byte[]>> records = client.awaitRaw(
                Topics.RESPONSES.name(), r -> r.key() != null && r.key().startsWith(benchmark + "/"), 2, WAIT);
        Map<String, String> byKey = records.stream()
                .collect(Collectors.toMap(ConsumerRecord::key, r -> TestClient.header(r, "traceparent"), (a, b) -> a));
        assertThat(byKey.get(traced.key()))
                .matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01")
                .isNotEqualTo(traceparent);
        assertThat(byKey.get(plain.key()))
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
                .doesNotContain("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void aPromptForAnUnknownModelGetsATypedErrorAfterTheWait() {
        // Given no model registered under this id
        String benchmark = unique("unknown");
        PromptRequest request = prompt(benchmark, "q1", unique("ghost"), new SimHints(0, "A", AnswerFormat.CHOICE, 4));

        // When a prompt for it is published
        send(request);

        // Then an error response of kind unknown_model arrives
        ModelResponse response = client.await(
                        Topics.RESPONSES, r -> r.requestId().equals(request.requestId()), 1, WAIT)
                .get(0);
        assertThat(response.finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(response.error().kind()).isEqualTo(Invoker.UNKNOWN_MODEL);
        assertThat(response.error().retryable()).isFalse();
        assertThat(response.output()).isNull();
    }

    @Test
    void anOpenaiModelIsCalledOverHttpOnceAndRedeliveriesAndIdenticalRequestsAreNotPaidAgain() throws Exception {
        try (FakeOpenAi server = new FakeOpenAi()) {
            // Given an openai model at temperature 0 on a local endpoint
            server.script(c -> FakeOpenAi.Reply.ok("Answer: B"));
            String benchmark = unique("openai");
            String modelId = unique("gpt");
            client.send(Topics.MODELS, modelId, openaiModel(modelId, server.baseUrl()));
            PromptRequest first = openaiPrompt(benchmark, "q1", modelId);

            // When a prompt is published
            send(first);

            // Then the endpoint is called once and the answer is published with usage and cost
            ModelResponse answered = client.await(
                            Topics.RESPONSES, r -> r.requestId().equals(first.requestId()), 1, WAIT)
                    .get(0);
            assertThat(answered.failed()).isFalse();
            assertThat(answered.simulated()).isFalse();
            assertThat(answered.output()).isEqualTo("Answer: B");
            assertThat(answered.usage().inputTokens()).isEqualTo(11);
            assertThat(answered.costUsd()).isEqualTo(18 / 1e6);
            assertThat(answered.cached()).isFalse();
            // And the answer is in the durable log, keyed by request id, then marked published
            List<ConsumerRecord<String, byte[]>> stored = client.awaitRaw(
                    Topics.ANSWERS.name(), r -> first.requestId().equals(r.key()), 2, WAIT);
            assertThat(stored).hasSize(2);
            assertThat(TestClient.header(stored.get(0), "assay-published")).isNull();
            assertThat(TestClient.header(stored.get(1), "assay-published")).isNotNull();
            assertThat(TestClient.header(stored.get(1), "assay-cache-key")).isNotNull();
            // (a cacheable answer's mark is the answer again: the content cache reads it back)
            assertThat(stored.get(1).value()).isEqualTo(stored.get(0).value());

            // When the same prompt is delivered again, and another item asks exactly the same
            send(first);
            PromptRequest twin = openaiPrompt(benchmark, "q2", modelId);
            send(twin);

            // Then the redelivery is answered from the store and, its response being published already,
            // not published again; the twin gets a cached copy; the endpoint is not called again
            Awaitility.await()
                    .atMost(WAIT)
                    .untilAsserted(
                            () -> assertThat(RestAssured.get("/q/metrics").asString())
                                    .contains("assay_model_invoker_redelivered_total{model=\"" + modelId + "\"} 1.0"));
            List<ModelResponse> again = client.readAll(Topics.RESPONSES).stream()
                    .filter(r -> r.requestId().equals(first.requestId()))
                    .toList();
            assertThat(again).containsExactly(answered);
            ModelResponse cached = client.await(
                            Topics.RESPONSES, r -> r.requestId().equals(twin.requestId()), 1, WAIT)
                    .get(0);
            assertThat(cached.cached()).isTrue();
            assertThat(cached.output()).isEqualTo("Answer: B");
            assertThat(cached.costUsd()).isZero();
            assertThat(server.calls()).hasSize(1);
        }
    }

    /** An openai model at temperature 0 (its answers are cacheable) on {@code baseUrl}. */
    static ModelSpec openaiModel(String modelId, String baseUrl) {
        return new ModelSpec(
                modelId,
                null,
                Provider.OPENAI,
                baseUrl,
                "gpt-x",
                null,
                new SamplingParams(0.0, null, null, null, null, null, null),
                null,
                null,
                new ModelSpec.Price(1.0, 1.0),
                null,
                null,
                null,
                null);
    }

    private static PromptRequest openaiPrompt(String benchmark, String itemId, String modelId) {
        return openaiPrompt(benchmark, itemId, modelId, "The same question, word for word.");
    }

    /** A chat prompt asking {@code question} of an openai model. */
    static PromptRequest openaiPrompt(String benchmark, String itemId, String modelId, String question) {
        Variant variant = new Variant("plain", "1", 0, null);
        return new PromptRequest(
                Ids.requestId(benchmark, itemId, 1, modelId, variant, SamplingParams.DEFAULTS),
                Purpose.EVALUATE,
                benchmark,
                itemId,
                1,
                modelId,
                variant,
                List.of(Message.user(question)),
                SamplingParams.DEFAULTS,
                "chat",
                Instant.parse("2025-03-01T00:00:00Z"),
                AnswerFormat.CHOICE,
                null,
                null,
                null,
                null,
                Instant.now());
    }

    @Test
    void aReplayModelWithoutARecordGetsATypedError() {
        // Given a replay model whose file has no record for the item
        String benchmark = unique("replay");
        String modelId = unique("recorded");
        client.send(
                Topics.MODELS,
                modelId,
                new ModelSpec(
                        modelId,
                        null,
                        Provider.REPLAY,
                        // inside the test profile's replay directory (target), but missing
                        Path.of("target", "no-such-recording", "answers.jsonl")
                                .toAbsolutePath()
                                .toUri()
                                .toString(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null));
        PromptRequest request = prompt(benchmark, "q1", modelId, new SimHints(0, "A", AnswerFormat.CHOICE, 4));

        // When a prompt for it is published
        send(request);

        // Then its response is a typed, non-retryable failure
        ModelResponse response = client.await(
                        Topics.RESPONSES, r -> r.requestId().equals(request.requestId()), 1, WAIT)
                .get(0);
        assertThat(response.error().kind()).isEqualTo(ErrorKinds.REPLAY_FILE);
        assertThat(response.error().retryable()).isFalse();
    }

    @Test
    void malformedPromptsAreDeadLetteredAndProcessingContinues() {
        // Given a registered model, a prompt that is not JSON and one that violates the schema
        String benchmark = unique("bad");
        String modelId = unique("sim-b");
        client.send(Topics.MODELS, modelId, simModel(modelId, 1.0, 0.0));
        String notJsonKey = benchmark + "/not-json";
        String invalidKey = benchmark + "/invalid";
        client.sendRaw(Topics.PROMPTS.name(), notJsonKey, "this is {not json");
        client.sendRaw(Topics.PROMPTS.name(), invalidKey, "{\"requestId\":\"nope\",\"revision\":0}");
        PromptRequest good = prompt(benchmark, "good", modelId, new SimHints(0, "B", AnswerFormat.CHOICE, 4));

        // When a valid prompt follows
        send(good);

        // Then both bad ones are dead letters with their original key, bytes and headers
        List<ConsumerRecord<String, byte[]>> dead = client.awaitRaw(
                Topics.DEAD_LETTERS.name(), r -> r.key() != null && r.key().startsWith(benchmark + "/"), 2, WAIT);
        ConsumerRecord<String, byte[]> notJson = dead.stream()
                .filter(r -> r.key().equals(notJsonKey))
                .findFirst()
                .orElseThrow();
        assertThat(new String(notJson.value(), StandardCharsets.UTF_8)).isEqualTo("this is {not json");
        assertThat(TestClient.header(notJson, DeadLetters.STAGE)).isEqualTo("model-invoker");
        assertThat(TestClient.header(notJson, DeadLetters.REASON)).startsWith("not JSON");
        assertThat(TestClient.header(notJson, DeadLetters.TOPIC)).isEqualTo(Topics.PROMPTS.name());
        assertThat(TestClient.header(notJson, DeadLetters.PARTITION)).matches("[0-2]");
        assertThat(TestClient.header(notJson, DeadLetters.OFFSET)).matches("\\d+");
        ConsumerRecord<String, byte[]> invalid = dead.stream()
                .filter(r -> r.key().equals(invalidKey))
                .findFirst()
                .orElseThrow();
        assertThat(TestClient.header(invalid, DeadLetters.REASON)).isNotBlank();
        // And the valid prompt is answered
        ModelResponse response = client.await(
                        Topics.RESPONSES, r -> r.requestId().equals(good.requestId()), 1, WAIT)
                .get(0);
        assertThat(response.failed()).isFalse();
    }

    @Test
    void theContractsSamplePromptsAreAnsweredAndItsInvalidOnesDeadLettered() {
        // Given the contract's sample models (the sample prompts are for them)
        Samples.valid(EventType.MODEL_SPEC).forEach(m -> client.sendRaw(Topics.MODELS.name(), m.key(), m.bytes()));

        // When every sample prompt, valid and invalid, is published
        Samples.valid(EventType.PROMPT_REQUEST).forEach(p -> client.sendRaw(Topics.PROMPTS.name(), p.key(), p.bytes()));
        List<Samples.Sample> invalid = Samples.invalid(EventType.PROMPT_REQUEST);
        invalid.forEach(p -> client.sendRaw(Topics.PROMPTS.name(), p.key(), p.bytes()));

        // Then each valid one gets a response, and each invalid one is dead-lettered with a reason
        for (Samples.Sample sample : Samples.valid(EventType.PROMPT_REQUEST)) {
            String requestId = sample.parse(PromptRequest.class).requestId();
            assertThat(client.await(Topics.RESPONSES, r -> r.requestId().equals(requestId), 1, WAIT))
                    .as(sample.name())
                    .hasSize(1);
        }
        assertThat(invalid).isNotEmpty();
        for (Samples.Sample sample : invalid) {
            ConsumerRecord<String, byte[]> dead = client.awaitRaw(
                            Topics.DEAD_LETTERS.name(),
                            r -> java.util.Arrays.equals(r.value(), sample.bytes()),
                            1,
                            WAIT)
                    .get(0);
            assertThat(TestClient.header(dead, DeadLetters.REASON))
                    .as(sample.name())
                    .isNotBlank();
        }
    }

    @Test
    void invalidModelAndBenchmarkSpecsAreDeadLetteredOnce() {
        // Given a model spec that is not JSON, a benchmark spec that breaks its schema, and a valid spec
        String bad = unique("bad-spec");
        client.sendRaw(Topics.MODELS.name(), bad + "-model", "{oops");
        client.sendRaw(
                Topics.BENCHMARKS.name(), bad + "-bench", "{\"benchmark\":\"" + bad + "-bench\",\"samplesPerItem\":0}");
        client.send(Topics.MODELS, bad + "-ok", simModel(bad + "-ok", 0.0, 0.0));

        // Then the two invalid ones are dead letters naming their topic and reason; the valid one is not
        List<ConsumerRecord<String, byte[]>> dead = client.awaitRaw(
                Topics.DEAD_LETTERS.name(), r -> r.key() != null && r.key().startsWith(bad), 2, WAIT);
        assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(bad + "-model", bad + "-bench");
        ConsumerRecord<String, byte[]> model = dead.stream()
                .filter(r -> r.key().endsWith("-model"))
                .findFirst()
                .orElseThrow();
        assertThat(TestClient.header(model, DeadLetters.TOPIC)).isEqualTo(Topics.MODELS.name());
        assertThat(TestClient.header(model, DeadLetters.REASON)).startsWith("not JSON");
        ConsumerRecord<String, byte[]> bench = dead.stream()
                .filter(r -> r.key().endsWith("-bench"))
                .findFirst()
                .orElseThrow();
        assertThat(TestClient.header(bench, DeadLetters.TOPIC)).isEqualTo(Topics.BENCHMARKS.name());
        assertThat(TestClient.header(bench, DeadLetters.REASON)).contains("samplesPerItem");
    }

    @Test
    void aSpecNamingACredentialTheOperatorDidNotExposeIsDeadLetteredWithTheReason() {
        // Given a model spec whose credentialEnv is Kafka's bootstrap variable, not an ASSAY_KEY_* one
        String id = unique("echo");
        client.sendRaw(
                Topics.MODELS.name(),
                id,
                "{\"modelId\":\"" + id + "\",\"provider\":\"openai\",\"baseUrl\":\"http://127.0.0.1:9/v1\","
                        + "\"providerModel\":\"m\",\"credentialEnv\":\"KAFKA_BOOTSTRAP_SERVERS\"}");

        // Then it is dead-lettered with the policy's reason
        ConsumerRecord<String, byte[]> dead = client.awaitRaw(
                        Topics.DEAD_LETTERS.name(), r -> id.equals(r.key()), 1, WAIT)
                .get(0);
        assertThat(TestClient.header(dead, DeadLetters.REASON))
                .contains("credentialEnv KAFKA_BOOTSTRAP_SERVERS")
                .contains("must start with ASSAY_KEY_");
    }

    @Test
    void transientErrorsAreRetriedAndEveryPromptIsAnswered() {
        // Given a sim model that fails half of its calls, with up to 5 attempts
        String benchmark = unique("flaky");
        String modelId = unique("sim-flaky");
        client.send(Topics.MODELS, modelId, simModel(modelId, 0.0, 0.5));
        List<PromptRequest> prompts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            prompts.add(prompt(benchmark, "f" + i, modelId, new SimHints(0, "A", AnswerFormat.CHOICE, 4)));
        }

        // When 40 prompts are published
        prompts.forEach(ModelInvokerTest::send);

        // Then 40 responses arrive; some needed retries; any failure is a typed transient error after 5 attempts
        List<ModelResponse> responses =
                client.await(Topics.RESPONSES, r -> r.benchmark().equals(benchmark), 40, WAIT);
        assertThat(responses.stream().map(ModelResponse::requestId).distinct()).hasSize(40);
        assertThat(responses).anySatisfy(r -> assertThat(r.attempts()).isGreaterThan(1));
        assertThat(responses).allSatisfy(r -> {
            if (r.failed()) {
                assertThat(r.attempts()).isEqualTo(5);
                assertThat(r.error().kind()).isEqualTo("transient");
            } else {
                assertThat(r.attempts()).isBetween(1, 5);
            }
        });
    }

    @Test
    void readyOnceTheRegistryHasCaughtUpAndMetricsAreExported() {
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> RestAssured.get("/q/health/ready").then().statusCode(200));
        client.send(Topics.MODELS, "metrics-probe", simModel("metrics-probe", 0, 0));
        PromptRequest request =
                prompt(unique("metrics"), "m1", "metrics-probe", new SimHints(0, "A", AnswerFormat.CHOICE, 4));
        send(request);
        client.await(Topics.RESPONSES, r -> r.requestId().equals(request.requestId()), 1, WAIT);
        String metrics =
                RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("assay_model_invoker_calls_total")
                .contains("assay_model_invoker_inflight")
                .contains("assay_model_invoker_latency_seconds_bucket")
                .contains("assay_model_invoker_tokens_total")
                .contains("assay_model_invoker_cost_usd_total")
                .contains("assay_model_invoker_paced_rate{model=\"metrics-probe\"}")
                .contains("kafka_consumer_fetch_manager_records_lag");
    }
}
