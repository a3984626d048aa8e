package io.assay.judge.messaging;

import io.assay.contracts.EventType;
import io.assay.judge.judging.ReadAt;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The judge's first step: sends each item and response either straight to the judge or through the
 * repartition topic. One instance of each {@link Route} sees every record, and exactly one of them passes
 * it on. A record goes straight on when it already sits on the partition the repartition would give it
 * ({@link RekeyPartitions}): a key, a value of at most {@link EventType#MAX_EVENT_BYTES}, and the partition
 * {@code murmur2(key)} picks, as for every record a Java producer wrote. Any other record (librdkafka's CRC32
 * partitioner, no key, too large) is re-keyed: stamped with where it was read ({@value #READ_AT}), so the
 * judge behind the repartition topic still knows which topic a record came from, and a dead letter names
 * the record as its producer published it, not its copy. A record without a key gets an empty one (a
 * repartition topic drops keyless records); the judge treats it as keyless. A value over
 * {@link EventType#MAX_EVENT_BYTES} is cut to that size (the stamp keeps its length), so an operator's
 * raised topic limit cannot make the repartition producer fail. A stamp a producer wrote itself is removed
 * on either route.
 */
final class JudgeInputs implements Processor<byte[], byte[], byte[], byte[]> {
    /** Which records an instance passes on. */
    enum Route {
        /** Those already on their partition, unchanged, straight to the judge. */
        STRAIGHT,
        /** The others, stamped, to the repartition topic. */
        REKEYED
    }

    /** The header that carries where a record was read, as {@code topic:partition:offset}. */
    static final String READ_AT = "assay-read-at";

    private static final byte[] NO_KEY = new byte[0];

    private final Route route;
    private final RekeyPartitions rekey;
    private ProcessorContext<byte[], byte[]> context;
    /** The repartition topic's partitions; 0 when unknown (every record is re-keyed). */
    private int partitions;

    /** Passes on the records of {@code route}, by the repartition topic's partitions of {@code rekey}. */
    JudgeInputs(Route route, RekeyPartitions rekey) {
        this.route = route;
        this.rekey = rekey;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.partitions = rekey.get(context.applicationId()).orElse(0);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        boolean inPlace = partitions > 0
                && record.key() != null
                && record.key().length > 0
                && (record.value() == null || record.value().length <= EventType.MAX_EVENT_BYTES)
                && RekeyPartitions.inPlace(record.key(), source.partition(), partitions);
        if (inPlace != (route == Route.STRAIGHT)) {
            return;
        }
        if (inPlace) {
            record.headers().remove(READ_AT);
            context.forward(record);
            return;
        }
        Record<byte[], byte[]> stamped = record.withKey(record.key() == null ? NO_KEY : record.key());
        String readAt = source.topic() + ":" + source.partition() + ":" + source.offset();
        byte[] value = record.value();
        if (value != null && value.length > EventType.MAX_EVENT_BYTES) {
            // Too large to be an event, and perhaps to pass the repartition topic's producer: only its head
            // goes on, with its length, for the judge to refuse (and dead-letter, if it is a response).
            stamped = stamped.withValue(Arrays.copyOf(value, EventType.MAX_EVENT_BYTES));
            readAt += ":" + value.length;
        }
        stamped.headers().remove(READ_AT).add(READ_AT, readAt.getBytes(StandardCharsets.UTF_8));
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
        int bytes = parts.length > 3 ? Integer.parseInt(parts[3]) : -1;
        return Optional.of(
                new Source(parts[0], new ReadAt(Integer.parseInt(parts[1]), Long.parseLong(parts[2])), bytes));
    }

    /**
     * The topic a record was published to, and where in it.
     *
     * @param cutFrom the value's length when it was over {@link EventType#MAX_EVENT_BYTES} and only its
     *     head came through; -1 otherwise
     */
    record Source(String topic, ReadAt at, int cutFrom) {
        Source(String topic, ReadAt at) {
            this(topic, at, -1);
        }
    }
}
