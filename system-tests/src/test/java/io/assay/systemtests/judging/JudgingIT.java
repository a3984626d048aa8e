package io.assay.systemtests.judging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.stack.LocalStack;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Protocol;
import io.assay.contracts.Provider;
import io.assay.contracts.Purpose;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.Topics;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LLM judging across the packaged services: the judge sends JUDGE prompts, the model-invoker answers
 * them with the {@code sim} judge, and the judge parses the real-format replies into score, pairwise
 * (position-swapped) and preference judgments. Services are separate processes on ports 8080 + 14000.
 */
@RequiresBroker
class JudgingIT {
    private static final int ITEMS = 8;
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final String BENCHMARK = "judging-" + System.currentTimeMillis();
    private static final List<String> CANDIDATES = List.of("jit-strong", "jit-weak");

    private static LocalStack services;
    private static TestClient kafka;

    @BeforeAll
    static void startServices() {
        Path repo =
                Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
        services = new LocalStack(repo, repo.resolve("system-tests/target/judging-it"), 14_000);
        services.startServices(TestBroker.get().bootstrapServers(), System.out);
        kafka = TestBroker.get().client();
    }

    @AfterAll
    static void stopServices() {
        if (kafka != null) {
            kafka.close();
        }
        if (services != null) {
            services.stop();
        }
    }

    @Test
    void judgePromptsGoThroughTheInvokerAndComeBackAsJudgments() {
        // Given two candidates, a baseline and a biased sim judge that is never evaluated itself
        List<ModelSpec> models = List.of(
                candidate("jit-strong", 2.0, 401),
                candidate("jit-weak", -2.0, 402),
                candidate("jit-base", 0.0, 403),
                new ModelSpec(
                        "jit-judge",
                        "Simulated judge",
                        Provider.SIM,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        List.of("judges-only"),
                        new ModelSpec.SimSpec(0.0, 50, 1, 0.0, 404L, null, null, 2.0, 0.5, 0.5),
                        Instant.now()));
        models.forEach(m -> kafka.send(Topics.MODELS, m.modelId(), m));
        JudgeSpec score = new JudgeSpec("wb-score", Protocol.SCORE, null, null, "jit-judge", null, null, null, null);
        JudgeSpec pairwise = new JudgeSpec(
                "wb-reward", Protocol.PAIRWISE, null, null, "jit-judge", null, List.of("jit-base"), 500, true);
        JudgeSpec preference = new JudgeSpec(
                "alpaca", Protocol.PREFERENCE, null, null, "jit-judge", null, List.of("jit-base"), null, false);
        kafka.send(
                Topics.BENCHMARKS,
                BENCHMARK,
                new BenchmarkSpec(
                        BENCHMARK,
                        null,
                        null,
                        1,
                        false,
                        List.of(JudgeSpec.REFERENCE_AUTO, score, pairwise, preference),
                        Map.of(),
                        List.of("jit-base"),
                        Instant.now()));

        // When items are published
        ItemGenerator generator = new ItemGenerator(BENCHMARK, 21);
        for (int i = 0; i < ITEMS; i++) {
            BenchmarkItem item = generator.item(i, Instant.now());
            kafka.send(Topics.ITEMS, item.key(), item);
        }

        // Then every answer gets a score judgment, and every candidate answer a pairwise and a preference one
        int expected = ITEMS * 3 + ITEMS * CANDIDATES.size() * 2;
        List<Judgment> llm = kafka.await(
                Topics.JUDGMENTS,
                j -> BENCHMARK.equals(j.benchmark()) && j.judge().protocol() != Protocol.REFERENCE,
                expected,
                PATIENCE);
        assertThat(llm).hasSize(expected);
        assertThat(llm).allSatisfy(j -> {
            assertThat(j.unparseable()).as(j.rationale()).isFalse();
            assertThat(j.judge().promptVersion()).isEqualTo("1");
            assertThat(j.judge().judgeModel()).isEqualTo("jit-judge");
        });
        assertThat(llm)
                .filteredOn(j -> j.kind() == JudgmentKind.SCORE)
                .hasSize(ITEMS * 3)
                .allSatisfy(j -> assertThat(j.score().value()).isBetween(1.0, 10.0));
        assertThat(llm)
                .filteredOn(j -> j.kind() == JudgmentKind.PAIRWISE)
                .hasSize(ITEMS * CANDIDATES.size())
                .allSatisfy(j -> {
                    assertThat(j.subject().modelId()).isIn(CANDIDATES);
                    assertThat(j.pairwise().order()).isEqualTo("both");
                    assertThat(j.pairwise().verdicts()).hasSize(2);
                });
        assertThat(llm)
                .filteredOn(j -> j.kind() == JudgmentKind.PREFERENCE)
                .hasSize(ITEMS * CANDIDATES.size())
                .allSatisfy(j -> assertThat(j.preference()).isBetween(1.0, 2.0));

        // and the judge's calls went through the invoker as simulated JUDGE responses
        List<PromptRequest> judgePrompts = kafka.readAll(Topics.PROMPTS).stream()
                .filter(p -> BENCHMARK.equals(p.benchmark()) && p.purpose() == Purpose.JUDGE)
                .toList();
        assertThat(judgePrompts)
                .hasSize(ITEMS * 3 + ITEMS * CANDIDATES.size() * 3)
                .allSatisfy(p -> assertThat(p.simulation().qualities()).isNotEmpty());
        List<ModelResponse> verdicts = kafka.readAll(Topics.RESPONSES).stream()
                .filter(r -> BENCHMARK.equals(r.benchmark()) && r.purpose() == Purpose.JUDGE)
                .toList();
        assertThat(verdicts).allSatisfy(r -> {
            assertThat(r.simulated()).isTrue();
            assertThat(r.failed()).isFalse();
        });
    }

    private static ModelSpec candidate(String id, double skill, long seed) {
        return new ModelSpec(
                id,
                "Simulated model (skill " + skill + ")",
                Provider.SIM,
                null,
                null,
                null,
                new SamplingParams(0.0, null, 1024, null, null, null, null),
                null,
                null,
                null,
                null,
                List.of(BENCHMARK),
                new ModelSpec.SimSpec(skill, 300, 1, 0.0, seed),
                Instant.now());
    }
}
