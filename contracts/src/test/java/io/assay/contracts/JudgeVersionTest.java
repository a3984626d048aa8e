package io.assay.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link JudgeSpec#versionKey()}: a changed judge (model, jury, prompt, version, scale) is a new version. */
class JudgeVersionTest {

    @Test
    void aReferenceJudgeKeepsTheKeyItHadBeforeModelsWerePartOfIt() {
        assertThat(JudgeSpec.REFERENCE_AUTO.versionKey()).isEqualTo("1");
        assertThat(JudgeSpec.REFERENCE_AUTO.withScale(JudgeSpec.Scale.UNIT).versionKey())
                .isEqualTo("1/0..1");
    }

    @Test
    void anLlmJudgesModelIsPartOfItsVersion() {
        JudgeSpec a = llm("judge-a", null, null);
        JudgeSpec b = llm("judge-b", null, null);

        assertThat(a.versionKey()).isEqualTo("1/1/1..10@judge-a");
        assertThat(b.versionKey()).isNotEqualTo(a.versionKey());
    }

    @Test
    void aJuryIsItsMembersInAnyOrderAndHowItCombines() {
        assertThat(llm(null, List.of("b", "a"), null).versionKey()).isEqualTo("1/1/1..10@a+b");
        assertThat(llm(null, List.of("a", "b"), "mean").versionKey()).isEqualTo("1/1/1..10@a+b");
        assertThat(llm(null, List.of("a", "b"), "majority").versionKey()).isEqualTo("1/1/1..10@a+b:majority");
        assertThat(llm(null, List.of("a", "c"), null).versionKey()).isEqualTo("1/1/1..10@a+c");
    }

    private static JudgeSpec llm(String model, List<String> jury, String combine) {
        return new JudgeSpec(
                "wb-score",
                Protocol.SCORE,
                "wildbench-score",
                "1",
                model,
                "1",
                null,
                null,
                null,
                jury,
                combine,
                JudgeSpec.Scale.ONE_TO_TEN);
    }
}
