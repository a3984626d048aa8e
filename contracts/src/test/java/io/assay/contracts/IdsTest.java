package io.assay.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdsTest {
    private static final Variant PLAIN = new Variant("plain", "1", 0, null);

    @Test
    void requestIdIsDeterministicAndSensitiveToEveryPart() {
        String id = Ids.requestId("dyval", "a1", 1, "m", PLAIN, SamplingParams.DEFAULTS);

        assertThat(id).hasSize(32).isEqualTo(Ids.requestId("dyval", "a1", 1, "m", PLAIN, SamplingParams.DEFAULTS));
        assertThat(List.of(
                        Ids.requestId("dyval2", "a1", 1, "m", PLAIN, SamplingParams.DEFAULTS),
                        Ids.requestId("dyval", "a2", 1, "m", PLAIN, SamplingParams.DEFAULTS),
                        Ids.requestId("dyval", "a1", 2, "m", PLAIN, SamplingParams.DEFAULTS),
                        Ids.requestId("dyval", "a1", 1, "m2", PLAIN, SamplingParams.DEFAULTS),
                        Ids.requestId(
                                "dyval", "a1", 1, "m", new Variant("plain", "2", 0, null), SamplingParams.DEFAULTS),
                        Ids.requestId(
                                "dyval", "a1", 1, "m", new Variant("plain", "1", 1, null), SamplingParams.DEFAULTS),
                        Ids.requestId(
                                "dyval",
                                "a1",
                                1,
                                "m",
                                PLAIN,
                                new SamplingParams(0.7, null, null, null, null, null, null))))
                .doesNotContain(id)
                .doesNotHaveDuplicates();
    }

    @Test
    void partsCannotRunIntoEachOther() {
        assertThat(Ids.hash("ab", "c")).isNotEqualTo(Ids.hash("a", "bc"));
    }

    @Test
    void judgmentIdDependsOnTheRequestsAndTheJudge() {
        String id = Ids.judgmentId(List.of("r1"), JudgeSpec.REFERENCE_AUTO);

        assertThat(id).isEqualTo(Ids.judgmentId(List.of("r1"), JudgeSpec.REFERENCE_AUTO));
        assertThat(id).isNotEqualTo(Ids.judgmentId(List.of("r2"), JudgeSpec.REFERENCE_AUTO));
        assertThat(id)
                .isNotEqualTo(Ids.judgmentId(
                        List.of("r1"),
                        new JudgeSpec("reference", Protocol.REFERENCE, "auto", "2", null, null, null, null, null)));
    }
}
