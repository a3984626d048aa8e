package io.assay.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class HeadersTest {

    @Test
    void cloudEventsHeadersIdentifyTheEvent() {
        Headers headers = CloudEvents.headers(EventType.JUDGMENT, "j-1", "/assay/judge");

        assertThat(text(headers, CloudEvents.TYPE)).isEqualTo("io.assay.judgment.v1");
        assertThat(text(headers, CloudEvents.ID)).isEqualTo("j-1");
        assertThat(text(headers, CloudEvents.SOURCE)).isEqualTo("/assay/judge");
        assertThat(text(headers, CloudEvents.SPEC_VERSION)).isEqualTo("1.0");
    }

    @Test
    void deadLetterHeadersKeepTheOriginalOnesAndSayWhereAndWhy() {
        Headers original = new RecordHeaders().add("ce_type", "x".getBytes(StandardCharsets.UTF_8));

        Headers headers = DeadLetters.headers(original, "judge", "not JSON", "assay.responses", 2, 41L);

        assertThat(text(headers, "ce_type")).isEqualTo("x");
        assertThat(text(headers, DeadLetters.STAGE)).isEqualTo("judge");
        assertThat(text(headers, DeadLetters.REASON)).isEqualTo("not JSON");
        assertThat(text(headers, DeadLetters.TOPIC)).isEqualTo("assay.responses");
        assertThat(text(headers, DeadLetters.PARTITION)).isEqualTo("2");
        assertThat(text(headers, DeadLetters.OFFSET)).isEqualTo("41");
        assertThat(original.lastHeader(DeadLetters.STAGE))
                .as("the original is not modified")
                .isNull();
    }

    @Test
    void unknownPositionsAreLeftOutAndLongReasonsCut() {
        Headers headers = DeadLetters.headers(null, "cli", "x".repeat(5000), "assay.items", -1, -1L);

        assertThat(headers.lastHeader(DeadLetters.PARTITION)).isNull();
        assertThat(headers.lastHeader(DeadLetters.OFFSET)).isNull();
        assertThat(text(headers, DeadLetters.REASON)).hasSize(DeadLetters.MAX_REASON_CHARS);
    }

    private static String text(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
