package io.assay.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

/** Events an Assay service emitted are bound without the schema check; everyone else's are validated (docs/delivery.md). */
class EmittedByAssayTest {
    private static final byte[] JUDGMENT = ("{\"benchmark\":\"b\",\"itemId\":\"i\",\"judge\":{\"id\":\"reference\","
                    + "\"protocol\":\"reference\",\"method\":\"choice\",\"version\":\"1\"},\"subject\":{\"modelId\":\"m\"},"
                    + "\"kind\":\"correct\",\"correct\":true,\"judgmentId\":\"j-1\",\"judgedAt\":\"2026-01-01T00:00:00Z\"}")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aJudgmentFromTheJudgeBindsToTheSameRecordAsAValidatedOne() {
        Headers fromJudge = CloudEvents.headers(EventType.JUDGMENT, "j-1", "/assay/judge");

        Judgment trusted = EventType.JUDGMENT.parse(JUDGMENT, Judgment.class, fromJudge);

        assertThat(EventType.JUDGMENT.emittedByAssay(fromJudge)).isTrue();
        assertThat(trusted).isEqualTo(EventType.JUDGMENT.parse(JUDGMENT, Judgment.class));
    }

    @Test
    void anInvalidJudgmentFromTheCliOrAnotherServiceIsStillRefused() {
        byte[] invalid = new String(JUDGMENT, StandardCharsets.UTF_8)
                .replace("\"correct\":true", "\"correct\":\"yes\"")
                .getBytes(StandardCharsets.UTF_8);

        for (String source : new String[] {"/assay/cli", "/assay/model-invoker", "/assay/aggregator"}) {
            Headers headers = CloudEvents.headers(EventType.JUDGMENT, "j-1", source);
            assertThat(EventType.JUDGMENT.emittedByAssay(headers)).as(source).isFalse();
            assertThatThrownBy(() -> EventType.JUDGMENT.parse(invalid, Judgment.class, headers))
                    .as(source)
                    .isInstanceOf(InvalidEventException.class);
        }
    }

    @Test
    void itemsAndSpecsComeFromOutsideAndAreAlwaysValidated() {
        assertThat(EventType.BENCHMARK_ITEM.emitters()).isEmpty();
        assertThat(EventType.MODEL_SPEC.emitters()).isEmpty();
        assertThat(EventType.BENCHMARK_SPEC.emitters()).isEmpty();
        assertThat(EventType.PROMPT_REQUEST.emitters())
                .containsExactlyInAnyOrder("/assay/prompt-generator", "/assay/judge");
        assertThat(EventType.MODEL_RESPONSE.emitters()).containsExactly("/assay/model-invoker");
    }

    @Test
    void bytesThatDoNotBindAreValidatedInFullAndRefusedWithTheReason() {
        Headers fromJudge = CloudEvents.headers(EventType.JUDGMENT, "j-1", "/assay/judge");

        assertThatThrownBy(() -> EventType.JUDGMENT.parse(
                        "{not json".getBytes(StandardCharsets.UTF_8), Judgment.class, fromJudge))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("not JSON");
    }
}
