package io.assay.systemtests.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.assay.cli.api.ServiceHttp;
import io.assay.contracts.DeadLetters;
import io.assay.contracts.Ids;
import io.assay.contracts.Message;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Purpose;
import io.assay.contracts.Topic;
import io.assay.contracts.Topics;
import io.assay.contracts.Variant;
import io.assay.systemtests.ServiceProcess;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's "secrets stay where they are", against the packaged model-invoker as its own process: a
 * spec naming {@code KAFKA_BOOTSTRAP_SERVERS} as its credential is dead-lettered with the reason, and a
 * planted key ({@code ASSAY_KEY_PLANTED}) that an endpoint echoes back — in an error body and in an
 * answer — appears in no {@code assay.*} topic (values, keys and headers), no log line and no metric.
 * Port 8082 + 17000 (this suite's offset).
 */
@RequiresBroker
class SecretsIT {
    private static final int PORT = 8082 + 17_000;
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final Path REPO =
            Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
    private static final Path LOG = REPO.resolve("system-tests/target/secrets-it/model-invoker.log");
    private static final String PLANTED =
            "sk-planted-" + UUID.randomUUID().toString().replace("-", "");

    private static TestClient kafka;
    private static ServiceProcess invoker;
    private static HttpServer echo;
    private static final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = TestBroker.get().client();
        // An endpoint that echoes the Authorization header: in a 401 body when the prompt says "fail",
        // else as the answer.
        echo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        echo.createContext("/v1/chat/completions", exchange -> {
            String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            authorizations.add(auth);
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean fail = request.contains("please fail");
            String body = fail
                    ? "{\"error\":{\"message\":\"Incorrect API key provided: " + auth + "\"}}"
                    : "{\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\","
                            + "\"content\":\"You sent " + auth + " and the key was " + PLANTED + "\"}}],"
                            + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(fail ? 401 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        echo.start();
        Files.createDirectories(LOG.getParent());
        Files.deleteIfExists(LOG);
        Path state = Files.createDirectories(LOG.resolveSibling("state"));
        invoker = new ServiceProcess(
                REPO,
                "model-invoker",
                LOG,
                PORT,
                List.of("-Djava.io.tmpdir=" + state),
                Map.of(
                        "ASSAY_STATE_DIR",
                        state.toString(),
                        "KAFKA_BOOTSTRAP_SERVERS",
                        TestBroker.get().bootstrapServers(),
                        "ASSAY_KEY_PLANTED",
                        PLANTED,
                        "ASSAY_INSTANCE_ID",
                        "secrets-it"));
        invoker.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (invoker != null) {
            invoker.stop();
        }
        if (echo != null) {
            echo.stop(0);
        }
        kafka.close();
    }

    @Test
    void aCredentialNotExposedIsRefusedAndAPlantedKeyEchoedBackReachesNoTopicLogOrMetric() throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36);
        String baseUrl = "http://127.0.0.1:" + echo.getAddress().getPort() + "/v1";

        // Given a spec naming Kafka's bootstrap variable as its credential
        String hostile = "hostile-" + run;
        kafka.sendRaw(Topics.MODELS.name(), hostile, spec(hostile, baseUrl, "KAFKA_BOOTSTRAP_SERVERS"));

        // Then it is dead-lettered once, with a reason that says why
        ConsumerRecord<String, byte[]> dead = kafka.awaitRaw(
                        Topics.DEAD_LETTERS.name(), r -> hostile.equals(r.key()), 1, PATIENCE)
                .get(0);
        assertThat(TestClient.header(dead, DeadLetters.REASON))
                .isEqualTo("credentialEnv KAFKA_BOOTSTRAP_SERVERS of model " + hostile
                        + " is not a credential exposed to models: its name must start with ASSAY_KEY_ "
                        + "(assay.invoker.credential-prefix)");

        // Given a model whose key is the planted ASSAY_KEY_PLANTED, on the echoing endpoint
        String modelId = "echo-" + run;
        String benchmark = "secrets-" + run;
        kafka.sendRaw(Topics.MODELS.name(), modelId, spec(modelId, baseUrl, "ASSAY_KEY_PLANTED"));

        // When one prompt is answered with the key echoed, and one fails with the key in the error body
        kafka.send(Topics.PROMPTS, benchmark + "/q1", prompt(benchmark, "q1", modelId, "hello"));
        kafka.send(Topics.PROMPTS, benchmark + "/q2", prompt(benchmark, "q2", modelId, "please fail"));
        List<ModelResponse> responses =
                kafka.await(Topics.RESPONSES, r -> r.benchmark().equals(benchmark), 2, PATIENCE);

        // Then the key was sent to the endpoint (so it had something to echo) ...
        assertThat(authorizations).contains("Bearer " + PLANTED);
        // ... the responses say what happened, without it
        ModelResponse answered = responses.stream()
                .filter(r -> r.itemId().equals("q1"))
                .findFirst()
                .orElseThrow();
        ModelResponse failed = responses.stream()
                .filter(r -> r.itemId().equals("q2"))
                .findFirst()
                .orElseThrow();
        assertThat(answered.output()).startsWith("You sent Bearer [REDACTED]");
        assertThat(failed.error().kind()).isEqualTo("auth");
        assertThat(failed.error().message()).contains("HTTP 401").contains("[REDACTED]");
        // ... and the key is in no assay.* topic: no value, key or header
        for (Topic<?, ?> topic : Topics.ALL) {
            for (ConsumerRecord<String, byte[]> r : kafka.readAllRaw(topic.name())) {
                assertThat(text(r.value())).as(topic.name()).doesNotContain(PLANTED);
                assertThat(String.valueOf(r.key())).as(topic.name()).doesNotContain(PLANTED);
                for (Header h : r.headers()) {
                    assertThat(text(h.value())).as(topic.name() + " " + h.key()).doesNotContain(PLANTED);
                }
            }
        }
        // ... in no metric
        String metrics = ServiceHttp.client()
                .send(
                        HttpRequest.newBuilder(URI.create(invoker.url() + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics).contains("assay_model_invoker").doesNotContain(PLANTED);
        // ... and in no log line
        assertThat(Files.readString(LOG)).isNotEmpty().doesNotContain(PLANTED);
    }

    private static String spec(String modelId, String baseUrl, String credentialEnv) {
        return "{\"modelId\":\"" + modelId + "\",\"provider\":\"openai\",\"baseUrl\":\"" + baseUrl
                + "\",\"providerModel\":\"echo\",\"credentialEnv\":\"" + credentialEnv
                + "\",\"limits\":{\"maxConcurrency\":2}}";
    }

    private static PromptRequest prompt(String benchmark, String itemId, String modelId, String text) {
        Variant variant = new Variant("plain", "1", 0, null);
        return new PromptRequest(
                Ids.requestId(benchmark, itemId, 1, modelId, variant, null),
                Purpose.EVALUATE,
                benchmark,
                itemId,
                1,
                modelId,
                variant,
                List.of(Message.user(text)),
                null,
                "chat",
                Instant.now(),
                null,
                null,
                null,
                null,
                null,
                Instant.now());
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
