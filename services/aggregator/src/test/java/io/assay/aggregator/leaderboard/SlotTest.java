package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.Protocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlotTest {

    @Test
    void aPreferenceJudgmentsBaselineIsTheOneItsDetailsNameElseItsJudgesFirst() {
        // Given a preference judge with two baselines, and a judgment against the second
        Judgment declared = Judgments.preference("slot-b", "i-1", "m", 1.7, "gpt-4");
        JudgeSpec twoBaselines = new JudgeSpec(
                "weighted", Protocol.PREFERENCE, "logprob", "1", "judge", null, List.of("gpt-4", "claude"), null, null);
        Judgment named = new Judgment(
                declared.judgmentId(),
                declared.benchmark(),
                declared.itemId(),
                declared.revision(),
                null,
                declared.publishedAt(),
                twoBaselines,
                declared.subject(),
                declared.kind(),
                null,
                null,
                null,
                1.7,
                null,
                false,
                false,
                false,
                null,
                Map.of("baselineModel", "claude"),
                declared.origin(),
                declared.judgedAt());

        // Then the details decide, and without them the judge's first baseline does
        assertThat(Slot.baselineOfPreference(named)).isEqualTo("claude");
        assertThat(Slot.baselineOfPreference(declared)).isEqualTo("gpt-4");
    }

    @Test
    void aPreferenceSlotKeepsTheBaselineLengthAndTheInstructionDifficultyOfItsDetails() {
        // Given: the details as the judge writes them (baselineChars, instructionDifficulty), and without
        Judgment with = Judgments.preference("slot-b", "i-1", "m", 1.7, "gpt-4", 120, 340, -0.25);
        Judgment without = Judgments.preference("slot-b", "i-1", "m", 1.7, "gpt-4");

        // When
        Slot a = Slot.of(with, 1);
        Slot b = Slot.of(without, 1);

        // Then
        assertThat(a.answerChars()).isEqualTo(120);
        assertThat(a.baselineChars()).isEqualTo(340);
        assertThat(a.instructionDifficulty()).isEqualTo(-0.25);
        assertThat(b.baselineChars()).isNull();
        assertThat(b.instructionDifficulty()).isNull();
    }
}
