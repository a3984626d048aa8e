package io.assay.judge.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.EventType;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Ids;
import io.assay.contracts.Json;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Origin;
import io.assay.contracts.Purpose;
import io.assay.contracts.Reference;
import io.assay.contracts.Variant;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferenceJudgeTest {
    private static final Instant NOW = Instant.parse("2026-11-28T09:00:02Z");
    private final ReferenceJudge judge = new ReferenceJudge(new ReferenceScorer(), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void buildsAValidJudgmentWithADeterministicId() {
        // Given a numeric item and a correct answer
        BenchmarkItem item = new BenchmarkItem(
                "dyval",
                "arith-1",
                2,
                Instant.parse("2026-11-28T09:00:00Z"),
                null,
                "arithmetic",
                null,
                "(3+4)*2-5?",
                null,
                null,
                Reference.numeric(9, 0),
                null,
                null);
        ModelResponse response = response("so 9\nAnswer: 9", FinishReason.STOP);

        // When it is judged
        Judgment judgment = judge.judge(item, response, JudgeSpec.REFERENCE_AUTO);

        // Then the judgment says correct, carries its provenance and validates against the schema
        assertThat(judgment.judgmentId()).isEqualTo(Ids.judgmentId(List.of("req-1"), JudgeSpec.REFERENCE_AUTO));
        assertThat(judgment.kind()).isEqualTo(JudgmentKind.CORRECT);
        assertThat(judgment.correct()).isTrue();
        assertThat(judgment.extracted()).isEqualTo("9");
        assertThat(judgment.revision()).isEqualTo(2);
        assertThat(judgment.category()).isEqualTo("arithmetic");
        assertThat(judgment.subject().answerChars()).isEqualTo(14);
        assertThat(judgment.subject().modelId()).isEqualTo("sim-strong");
        assertThat(judgment.truncated()).isFalse();
        assertThat(judgment.empty()).isFalse();
        assertThat(judgment.origin()).isEqualTo(Origin.PIPELINE);
        assertThat(judgment.judgedAt()).isEqualTo(NOW);
        assertThat(judgment.details()).containsEntry("scorer", "numeric");
        assertThat(judgment.key()).isEqualTo("dyval/arith-1");
        assertThat(EventType.JUDGMENT.violations(Json.mapper().valueToTree(judgment)))
                .isEmpty();
    }

    @Test
    void flagsTruncatedAndEmptyAnswersAndCountsCodePoints() {
        BenchmarkItem item = new BenchmarkItem(
                "b",
                "i",
                null,
                Instant.parse("2026-01-01T00:00:00Z"),
                null,
                null,
                null,
                "q",
                null,
                null,
                Reference.answer("x"),
                null,
                null);

        Judgment empty = judge.judge(item, response("  ", FinishReason.LENGTH), JudgeSpec.REFERENCE_AUTO);
        assertThat(empty.truncated()).isTrue();
        assertThat(empty.empty()).isTrue();
        assertThat(empty.correct()).isFalse();
        assertThat(empty.category()).isEqualTo(BenchmarkItem.DEFAULT_CATEGORY);

        // "x😀" is two code points but three UTF-16 chars.
        Judgment emoji = judge.judge(item, response("x\uD83D\uDE00", FinishReason.STOP), JudgeSpec.REFERENCE_AUTO);
        assertThat(emoji.subject().answerChars()).isEqualTo(2);
    }

    private static ModelResponse response(String output, FinishReason finish) {
        return new ModelResponse(
                "req-1",
                Purpose.EVALUATE,
                "dyval",
                "arith-1",
                2,
                "sim-strong",
                true,
                new Variant("plain", "1", 0, null),
                "arithmetic",
                null,
                output,
                finish,
                null,
                5L,
                0.0,
                false,
                1,
                null,
                null,
                Instant.parse("2026-11-28T09:00:01Z"));
    }
}
