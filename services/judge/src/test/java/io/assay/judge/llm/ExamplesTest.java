package io.assay.judge.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.EventType;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Protocol;
import io.assay.judge.prompts.JudgePrompts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The judged benchmark examples and the README's judging example are valid and resolve to shipped prompts. */
class ExamplesTest {
    private final LlmJudging llm = new LlmJudging(JudgePrompts.shipped(), Clock.systemUTC());

    @Test
    void theExampleFilesAreValidSpecs() throws IOException {
        for (String line : Files.readAllLines(Path.of("examples/sim-judges.jsonl"))) {
            ModelSpec judge = EventType.MODEL_SPEC.parse(line.getBytes(StandardCharsets.UTF_8), ModelSpec.class);
            assertThat(judge.simulated()).isTrue();
            assertThat(judge.evaluates("dyval-judged"))
                    .as("a judge is not evaluated")
                    .isFalse();
        }
        List<String> lines = Files.readAllLines(Path.of("examples/dyval-judged.jsonl"));
        assertResolves(
                EventType.BENCHMARK_SPEC.parse(lines.get(0).getBytes(StandardCharsets.UTF_8), BenchmarkSpec.class));
    }

    @Test
    void theReadmeJudgingExampleIsAValidSpec() throws IOException {
        String readme = Files.readString(Path.of("../../README.md"));
        int section = readme.indexOf("## Judging");
        int start = readme.indexOf("```json", section) + "```json".length();
        String json = readme.substring(start, readme.indexOf("```", start)).replace('\n', ' ');
        assertResolves(EventType.BENCHMARK_SPEC.parse(json.getBytes(StandardCharsets.UTF_8), BenchmarkSpec.class));
    }

    private void assertResolves(BenchmarkSpec spec) {
        for (JudgeSpec judge : spec.judges()) {
            if (judge.protocol() != Protocol.REFERENCE) {
                assertThat(llm.resolve(judge)).as(judge.id()).isPresent();
            }
        }
    }
}
