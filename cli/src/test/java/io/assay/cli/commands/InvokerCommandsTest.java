package io.assay.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.Assay;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Message;
import io.assay.contracts.ModelError;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Purpose;
import io.assay.contracts.Topics;
import io.assay.contracts.Variant;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@RequiresBroker
class InvokerCommandsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Assay.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--bootstrap";
        all[args.length + 1] = TestBroker.get().bootstrapServers();
        return cli.execute(all);
    }

    @Test
    void modelsAreAddedListedAndRetired() {
        // Given a model id not used elsewhere
        String id = "cmd-model-" + System.nanoTime();

        // When it is added inline (unchecked: nothing listens there), Then it is listed with its endpoint and key
        // variable (not a key)
        assertThat(run(
                        "models",
                        "add",
                        "--no-check",
                        "--json",
                        "{\"modelId\":\"" + id + "\",\"provider\":\"openai\","
                                + "\"baseUrl\":\"http://127.0.0.1:11434/v1\",\"providerModel\":\"llama3.1:8b\","
                                + "\"credentialEnv\":\"ASSAY_KEY_TEST_UNSET\"}"))
                .isZero();
        assertThat(out.toString()).contains("registered " + id + " (openai, http://127.0.0.1:11434/v1)");
        assertThat(err.toString()).contains("ASSAY_KEY_TEST_UNSET is not set");
        assertThat(run("models", "list", "--api", "http://127.0.0.1:1")).isZero();
        assertThat(out.toString())
                .containsPattern(id + " +openai +http://127.0.0.1:11434/v1 +llama3.1:8b +ASSAY_KEY_TEST_UNSET");
        // (no aggregator there: the specs alone, and a note saying so)
        assertThat(err.toString()).contains("aggregator unreachable: no call counts");

        // When it is retired, Then it is no longer listed; retiring an unknown model is an error
        assertThat(run("models", "retire", id)).isZero();
        out.getBuffer().setLength(0);
        assertThat(run("models", "list")).isZero();
        assertThat(out.toString()).doesNotContain(id);
        assertThat(run("models", "retire", id)).isEqualTo(1);
        // And an invalid spec is refused with the reason
        assertThat(run("models", "add", "--json", "{\"modelId\":\"x\",\"provider\":\"openai\"}"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("baseUrl");
    }

    @Test
    void aSpecNamingACredentialNotExposedToModelsIsRefusedBeforePublishing() throws Exception {
        // Given a spec inline and a file of two specs, one of which names Kafka's bootstrap variable
        String id = "cmd-hostile-" + System.nanoTime();
        String hostile = "{\"modelId\":\"" + id + "\",\"provider\":\"openai\",\"baseUrl\":\"http://127.0.0.1:9/v1\","
                + "\"providerModel\":\"m\",\"credentialEnv\":\"KAFKA_BOOTSTRAP_SERVERS\"}";
        java.nio.file.Path file = java.nio.file.Files.createTempFile("models", ".jsonl");
        java.nio.file.Files.writeString(
                file,
                hostile.replace(id, id + "-ok").replace("KAFKA_BOOTSTRAP_SERVERS", "ASSAY_KEY_OK") + "\n" + hostile);

        // When both are added
        int inline = run("models", "add", "--json", hostile);
        int fromFile = run("models", "add", file.toString());
        int registered = run("register", "models", file.toString());

        // Then each is refused with the invoker's reason, naming the line, and nothing is published
        assertThat(inline).isEqualTo(1);
        assertThat(fromFile).isEqualTo(1);
        assertThat(registered).isEqualTo(1);
        assertThat(err.toString())
                .contains("--json: refused: credentialEnv KAFKA_BOOTSTRAP_SERVERS of model " + id)
                .contains(file + ":2: refused: credentialEnv KAFKA_BOOTSTRAP_SERVERS")
                .contains("must start with ASSAY_KEY_");
        out.getBuffer().setLength(0);
        assertThat(run("models", "list")).isZero();
        assertThat(out.toString()).doesNotContain(id);
    }

    @Test
    void retryFailedReissuesOnlyRequestsThatNeverGotAnAnswer() {
        // Given three prompts: one answered, one failed, one failed and later answered
        String benchmark = "retry-" + System.nanoTime();
        try (TestClient kafka = TestBroker.get().client()) {
            PromptRequest ok = prompt(benchmark, "ok");
            PromptRequest failed = prompt(benchmark, "failed");
            PromptRequest recovered = prompt(benchmark, "recovered");
            for (PromptRequest p : List.of(ok, failed, recovered)) {
                kafka.send(Topics.PROMPTS, p.key(), p);
            }
            kafka.send(Topics.RESPONSES, ok.key(), response(ok, null));
            kafka.send(Topics.RESPONSES, failed.key(), response(failed, new ModelError("timeout", "slow", true)));
            kafka.send(
                    Topics.RESPONSES,
                    recovered.key(),
                    response(recovered, new ModelError("server_error", "502", true)));
            kafka.send(Topics.RESPONSES, recovered.key(), response(recovered, null));

            // When retry-failed runs for this benchmark
            assertThat(run("retry-failed", "--benchmark", benchmark)).isZero();

            // Then only the failed one is published again, unchanged
            assertThat(out.toString()).contains("Re-issued 1 failed request(s) {timeout=1}.");
            List<PromptRequest> prompts =
                    kafka.await(Topics.PROMPTS, p -> p.benchmark().equals(benchmark), 4, Duration.ofSeconds(20));
            assertThat(prompts).hasSize(4);
            assertThat(prompts.stream().filter(p -> p.requestId().equals(failed.requestId())))
                    .hasSize(2)
                    .allSatisfy(p -> assertThat(p).isEqualTo(failed));
        }
    }

    private static PromptRequest prompt(String benchmark, String itemId) {
        return new PromptRequest(
                "req-" + benchmark + "-" + itemId,
                Purpose.EVALUATE,
                benchmark,
                itemId,
                1,
                "m",
                new Variant("plain", "1", 0, null),
                List.of(Message.user("Q " + itemId)),
                null,
                "c",
                Instant.parse("2026-01-01T00:00:00Z"),
                null,
                null,
                null,
                null,
                null,
                null);
    }

    private static ModelResponse response(PromptRequest p, ModelError error) {
        return new ModelResponse(
                p.requestId(),
                p.purpose(),
                p.benchmark(),
                p.itemId(),
                1,
                "m",
                false,
                p.variant(),
                "c",
                p.publishedAt(),
                error == null ? "Answer: 1" : null,
                error == null ? FinishReason.STOP : FinishReason.ERROR,
                null,
                null,
                null,
                false,
                1,
                error,
                null,
                Instant.now());
    }
}
