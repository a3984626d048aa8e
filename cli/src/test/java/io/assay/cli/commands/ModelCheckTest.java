package io.assay.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.assay.cli.Assay;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Provider;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code models add}'s check against a fake OpenAI endpoint (a JDK HttpServer): each way a spec can be
 * wrong is said with its cause, the provider's message quoted without the key, and nothing is published.
 */
class ModelCheckTest {
    private static final String KEY = "sk-test-0123456789abcdef";
    private static final Map<String, String> ENV = Map.of("ASSAY_KEY_FAKE", KEY);

    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final ModelCheck check = new ModelCheck(Duration.ofSeconds(5), ENV::get);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status;
            String reply;
            if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
                reply = "{\"error\":{\"message\":\"Incorrect API key provided: "
                        + exchange.getRequestHeaders().getFirst("Authorization") + "\",\"code\":\"invalid_api_key\"}}";
            } else if (body.contains("\"gpt-nope\"")) {
                status = 404;
                reply = "{\"error\":{\"message\":\"The model `gpt-nope` does not exist or you do not have access to "
                        + "it.\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}";
            } else {
                status = 200;
                reply = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"p\"},"
                        + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}";
            }
            byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String root() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static ModelSpec spec(String baseUrl, String providerModel, String credentialEnv) {
        return new ModelSpec(
                "m",
                null,
                Provider.OPENAI,
                baseUrl,
                providerModel,
                credentialEnv,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    @Test
    void aRightSpecAnswersWithTheKeyInTheAuthorizationHeader() throws Exception {
        assertThat(check.problem(spec(root() + "/v1", "gpt-4o-mini", "ASSAY_KEY_FAKE")))
                .isEmpty();
        assertThat(authorizations).containsExactly("Bearer " + KEY);
    }

    @Test
    void aRefusedKeyIsSaidWithoutTheKey() throws Exception {
        ModelCheck wrongKey = new ModelCheck(Duration.ofSeconds(5), Map.of("ASSAY_KEY_FAKE", "sk-wrong-99999999")::get);

        Optional<String> problem = wrongKey.problem(spec(root() + "/v1", "gpt-4o-mini", "ASSAY_KEY_FAKE"));

        assertThat(problem)
                .hasValueSatisfying(p -> assertThat(p)
                        .contains("refused the key in ASSAY_KEY_FAKE (HTTP 401")
                        .contains("Incorrect API key provided")
                        .doesNotContain("sk-wrong-99999999"));
    }

    @Test
    void aWrongUrlIs404() throws Exception {
        assertThat(check.problem(spec(root() + "/api", "gpt-4o-mini", "ASSAY_KEY_FAKE")))
                .hasValueSatisfying(p ->
                        assertThat(p).contains("wrong URL: POST " + root() + "/api/chat/completions answered 404"));
    }

    @Test
    void anUnknownModelNameQuotesTheProvider() throws Exception {
        assertThat(check.problem(spec(root() + "/v1", "gpt-nope", "ASSAY_KEY_FAKE")))
                .hasValueSatisfying(p -> assertThat(p)
                        .contains("unknown model name 'gpt-nope'")
                        .contains("the provider says: The model `gpt-nope` does not exist"));
    }

    @Test
    void aBaseUrlEndingWithTheCompletionsPathIsRefusedBeforeAnyRequest() throws Exception {
        assertThat(check.problem(spec(root() + "/v1/chat/completions", "gpt-4o-mini", "ASSAY_KEY_FAKE")))
                .hasValueSatisfying(p -> assertThat(p)
                        .contains("drop the suffix (baseUrl " + root() + "/v1)")
                        .contains("Assay appends /chat/completions itself"));
        assertThat(authorizations).isEmpty();
    }

    @Test
    void anUnsetKeyVariableIsRefusedBeforeAnyRequest() throws Exception {
        assertThat(check.problem(spec(root() + "/v1", "gpt-4o-mini", "ASSAY_KEY_UNSET")))
                .hasValueSatisfying(p -> assertThat(p)
                        .contains("ASSAY_KEY_UNSET")
                        .contains("is not set in this shell")
                        .contains("--no-check"));
        assertThat(authorizations).isEmpty();
    }

    @Test
    void aDeadPortAndAnUnknownHostAreSaid() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        assertThat(check.problem(spec("http://127.0.0.1:" + dead + "/v1", "gpt-4o-mini", null)))
                .hasValueSatisfying(p -> assertThat(p).contains("connection refused by 127.0.0.1:" + dead));
        assertThat(check.problem(spec("http://no-such-host.invalid/v1", "gpt-4o-mini", null)))
                .hasValueSatisfying(p -> assertThat(p).contains("unknown host no-such-host.invalid"));
    }

    @Test
    void modelsAddRefusesAFailingSpecAndPublishesNothing() {
        // Given: a broker that does not exist, so publishing would fail loudly
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Assay.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        // When: a spec whose baseUrl ends with /chat/completions is added
        int code = cli.execute(
                "models",
                "add",
                "--bootstrap",
                "127.0.0.1:1",
                "--json",
                "{\"modelId\":\"suffixed\",\"provider\":\"openai\",\"baseUrl\":\"" + root()
                        + "/v1/chat/completions\",\"providerModel\":\"gpt-4o-mini\"}");

        // Then: exit 1, the cause, nothing published
        assertThat(code).isEqualTo(1);
        assertThat(err.toString())
                .contains("--json: check failed: baseUrl " + root() + "/v1/chat/completions of model suffixed")
                .contains("Nothing published");
        assertThat(out.toString()).doesNotContain("registered");
    }
}
