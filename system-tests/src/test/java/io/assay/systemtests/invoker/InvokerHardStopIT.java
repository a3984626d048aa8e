package io.assay.systemtests.invoker;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.bench.RateLimitedEndpoint;
import io.assay.contracts.Ids;
import io.assay.contracts.Message;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Provider;
import io.assay.contracts.Purpose;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.Topics;
import io.assay.contracts.Variant;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged invoker killed with SIGKILL in the middle of a stream of paid calls, then restarted:
 * every request is answered, every answer published for a request is the same answer, and the
 * endpoint was never called again for a request answered before the kill.
 */
@RequiresBroker
class InvokerHardStopIT {
    private static final int PROMPTS = 300;
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final Path REPO =
            Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();

    private static TestClient kafka;
    private static InvokerProcess invoker;

    @BeforeAll
    static void connect() {
        kafka = TestBroker.get().client();
        invoker = new InvokerProcess(REPO, REPO.resolve("system-tests/target/invoker-it/hard-stop.log"));
    }

    @AfterAll
    static void close() throws InterruptedException {
        invoker.stop();
        kafka.close();
    }

    @Test
    void aHardStopMidStreamNeitherLosesNorRepaysAnAnswer() throws Exception {
        try (RateLimitedEndpoint endpoint = new RateLimitedEndpoint(40, 0)) {
            // Given an openai model on a local endpoint (40 ms per call) and 300 prompts waiting
            String run = Long.toString(System.currentTimeMillis(), 36);
            String benchmark = "hard-stop-" + run;
            String modelId = "paid-" + run;
            kafka.send(
                    Topics.MODELS,
                    modelId,
                    new ModelSpec(
                            modelId,
                            null,
                            Provider.OPENAI,
                            endpoint.baseUrl(),
                            "fake",
                            null,
                            new SamplingParams(0.7, null, null, null, null, null, null),
                            null,
                            null,
                            null,
                            new ModelSpec.Limits(4, null, null),
                            List.of(benchmark),
                            null,
                            Instant.now()));
            Map<String, String> promptOf = new HashMap<>();
            for (int i = 0; i < PROMPTS; i++) {
                PromptRequest p = prompt(benchmark, modelId, i);
                promptOf.put(p.requestId(), p.messages().get(0).content().asText());
                kafka.send(Topics.PROMPTS, p.key(), p);
            }

            // When the invoker runs until about a third is answered, is killed (SIGKILL), and restarts
            invoker.start(TestBroker.get().bootstrapServers());
            List<ModelResponse> before =
                    kafka.await(Topics.RESPONSES, r -> r.benchmark().equals(benchmark), PROMPTS / 3, PATIENCE);
            invoker.kill();
            Set<String> answeredBeforeKill = kafka.readAll(Topics.RESPONSES).stream()
                    .filter(r -> r.benchmark().equals(benchmark))
                    .map(ModelResponse::requestId)
                    .collect(Collectors.toSet());
            Map<String, Integer> callsAtKill = endpoint.answersPerPrompt();
            invoker.start(TestBroker.get().bootstrapServers());
            List<ModelResponse> all = awaitDistinct(benchmark, PROMPTS);

            // Then every request is answered, and all copies of a request's response are the same answer
            Map<String, List<ModelResponse>> byRequest =
                    all.stream().collect(Collectors.groupingBy(ModelResponse::requestId));
            assertThat(byRequest).hasSize(PROMPTS);
            byRequest.forEach((id, copies) -> {
                assertThat(copies).allSatisfy(r -> assertThat(r.failed()).isFalse());
                assertThat(copies.stream().map(ModelResponse::output).distinct())
                        .hasSize(1);
                assertThat(copies.stream().map(ModelResponse::answeredAt).distinct())
                        .hasSize(1);
            });
            // And the endpoint was not called again for any request answered before the kill
            Map<String, Integer> calls = endpoint.answersPerPrompt();
            List<String> repaid = new ArrayList<>();
            for (String id : answeredBeforeKill) {
                String text = promptOf.get(id);
                if (calls.getOrDefault(text, 0) > callsAtKill.getOrDefault(text, 0)) {
                    repaid.add(id);
                }
            }
            assertThat(repaid)
                    .as("requests answered before the kill and paid again after it")
                    .isEmpty();
            // And only calls the endpoint had answered but whose answer was not yet stored and published
            // when the process died were ever paid twice
            long paidTwice = calls.values().stream().filter(n -> n > 1).count();
            int paidAtKill =
                    callsAtKill.values().stream().mapToInt(Integer::intValue).sum();
            assertThat(paidTwice).isLessThanOrEqualTo(paidAtKill - answeredBeforeKill.size());
            assertThat(before).isNotEmpty();
            System.out.printf(
                    "hard stop: %d answered before the kill, %d response records for %d requests, "
                            + "%d endpoint calls, %d prompts paid twice%n",
                    answeredBeforeKill.size(),
                    all.size(),
                    PROMPTS,
                    calls.values().stream().mapToInt(Integer::intValue).sum(),
                    paidTwice);
        }
    }

    private static List<ModelResponse> awaitDistinct(String benchmark, int n) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<ModelResponse> all = List.of();
        while (System.nanoTime() < deadline) {
            all = kafka.readAll(Topics.RESPONSES).stream()
                    .filter(r -> r.benchmark().equals(benchmark))
                    .toList();
            if (all.stream().map(ModelResponse::requestId).distinct().count() >= n) {
                return all;
            }
            Thread.sleep(500);
        }
        return all;
    }

    private static PromptRequest prompt(String benchmark, String modelId, int i) {
        Variant variant = new Variant("plain", "1", 0, null);
        SamplingParams params = new SamplingParams(0.7, null, null, null, null, null, null);
        return new PromptRequest(
                Ids.requestId(benchmark, "q" + i, 1, modelId, variant, params),
                Purpose.EVALUATE,
                benchmark,
                "q" + i,
                1,
                modelId,
                variant,
                List.of(Message.user("Hard-stop prompt " + benchmark + "/" + i)),
                params,
                "chat",
                Instant.now(),
                null,
                null,
                null,
                null,
                null,
                Instant.now());
    }
}
