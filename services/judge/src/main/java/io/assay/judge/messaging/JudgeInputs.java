package io.assay.judge.messaging;

import io.assay.judge.judging.ReadAt;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The judge's first step, before its inputs are re-keyed: stamps each item and response with where it
 * was read ({@value #READ_AT}), so the judge behind the repartition topic still knows which topic a
 * record came from, and a dead letter names the record as its producer published it, not its copy. A
 * record without a key gets an empty one (a repartition topic drops keyless records); the judge treats
 * it as keyless.
 */
final class JudgeInputs implements Processor<byte[], byte[], byte[], byte[]> {
    /** The header that carries where a record was read, as {@code topic:partition:offset}. */
    static final String READ_AT = "assay-read-at";

    private static final byte[] NO_KEY = new byte[0];

    private ProcessorContext<byte[], byte[]> context;

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        Record<byte[], byte[]> stamped = record.withKey(record.key() == null ? NO_KEY : record.key());
        stamped.headers()
                .remove(READ_AT)
                .add(
                        READ_AT,
                        (source.topic() + ":" + source.partition() + ":" + source.offset())
                                .getBytes(StandardCharsets.UTF_8));
        context.forward(stamped);
    }

    /**
     * Where a record was read, taking the stamp off its headers (so a dead letter carries the headers
     * its producer wrote); empty when it carries none.
     */
    static Optional<Source> take(Headers headers) {
        Header header = headers.lastHeader(READ_AT);
        if (header == null) {
            return Optional.empty();
        }
        headers.remove(READ_AT);
        // Topic names cannot contain ':' (Kafka allows letters, digits, '.', '_' and '-').
        String[] parts = new String(header.value(), StandardCharsets.UTF_8).split(":", -1);
        return Optional.of(new Source(parts[0], new ReadAt(Integer.parseInt(parts[1]), Long.parseLong(parts[2]))));
    }

    /** The topic a record was published to, and where in it. */
    record Source(String topic, ReadAt at) {}
}
