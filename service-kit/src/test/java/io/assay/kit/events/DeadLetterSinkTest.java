package io.assay.kit.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.DeadLetters;
import io.assay.contracts.Topics;
import io.assay.kit.ServiceIdentity;
import io.assay.kit.traces.Traces;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** What a dead letter keeps of the record it refuses. */
class DeadLetterSinkTest {
    private final DeadLetterSink sink = new DeadLetterSink(new ServiceIdentity("kit-test", "test"), null, () -> {
        throw new IllegalStateException("not sent here");
    });

    @Test
    void aValueOverTheLimitIsCutAndItsLengthKept() {
        // Given a 5 MB value, which no stage's producer could write back under Kafka's default 1 MiB limit
        byte[] huge = new byte[5 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'x');

        // When it is dead-lettered
        DeadLetterSink.DeadLetter letter =
                sink.letter(Topics.ITEMS.name(), 0, 7, null, huge, null, "invalid", "too large");

        // Then the letter keeps its head and says how long it was
        assertThat(letter.value()).hasSize(DeadLetters.MAX_VALUE_BYTES);
        assertThat(new String(
                        letter.headers().lastHeader(DeadLetters.VALUE_BYTES).value(), StandardCharsets.UTF_8))
                .isEqualTo(Integer.toString(huge.length));
    }

    @Test
    void aValueUnderTheLimitIsKeptByteForByte() {
        byte[] value = {(byte) 0xff, 'x'};
        DeadLetterSink.DeadLetter letter =
                sink.letter(Topics.ITEMS.name(), 0, 7, null, value, null, "invalid", "not JSON");
        assertThat(letter.value()).isEqualTo(value);
        assertThat(letter.headers().lastHeader(DeadLetters.VALUE_BYTES)).isNull();
    }

    @Test
    void theLogLineNamesTheTraceOfTheRecordTheLetterHolds() {
        RecordHeaders headers = new RecordHeaders();
        assertThat(DeadLetterSink.traceId(headers)).isEqualTo("none");
        assertThat(DeadLetterSink.traceId(null)).isEqualTo("none");
        headers.add(Traces.TRACEPARENT, "bad".getBytes(StandardCharsets.UTF_8));
        assertThat(DeadLetterSink.traceId(headers)).isEqualTo("none");
        headers.add(
                Traces.TRACEPARENT,
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
        assertThat(DeadLetterSink.traceId(headers)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }
}
