package io.assay.kit.events;

import io.assay.contracts.DeadLetters;
import io.assay.contracts.Topics;
import io.assay.kit.ServiceIdentity;
import io.assay.kit.traces.Traces;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

/**
 * The one way a service rejects an event: the original key, bytes (at most
 * {@link DeadLetters#MAX_VALUE_BYTES} of them, the length in {@link DeadLetters#VALUE_BYTES} when cut)
 * and headers go to
 * {@code assay.dead-letters} with headers saying which stage rejected it, why, and where it was read
 * ({@link DeadLetters}); the rejection is logged and counted as {@code assay.<service>.dead.letters}
 * with the source topic and a low-cardinality reason class. Kafka Streams processors forward the
 * letter inside their transaction ({@link io.assay.kit.streams.StreamsEmitter#deadLetter}); other
 * consumers {@link #send} it before they acknowledge the event, so a rejected event is never lost.
 *
 * <p>The headers and the reason classes of every stage: docs/delivery.md, "Dead letters".
 */
public final class DeadLetterSink {
    private static final Logger LOG = Logger.getLogger(DeadLetterSink.class);

    private final ServiceIdentity identity;
    private final MeterRegistry meters;
    private final Supplier<EventPublisher> publisher;

    /**
     * @param meters where the count goes; {@code null} for none
     * @param publisher the publisher of letters sent outside Kafka Streams (asked for on first use)
     */
    public DeadLetterSink(ServiceIdentity identity, MeterRegistry meters, Supplier<EventPublisher> publisher) {
        this.identity = identity;
        this.meters = meters;
        this.publisher = publisher;
    }

    /**
     * The dead letter of an event read from {@code topic}-{@code partition}@{@code offset} (negative
     * when unknown).
     *
     * @param reasonClass a low-cardinality class of the reason, for the meter ({@code invalid}, {@code key-mismatch}, ...)
     * @param reason the reason in words, for the header and the log
     */
    public DeadLetter letter(
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            Headers original,
            String reasonClass,
            String reason) {
        Headers headers = DeadLetters.headers(
                original, identity.name(), reason == null ? reasonClass : reason, topic, partition, offset);
        byte[] kept = value;
        if (value != null && value.length > DeadLetters.MAX_VALUE_BYTES) {
            // A letter over the producer's limit would fail the stage that writes it: keep the head.
            kept = Arrays.copyOf(value, DeadLetters.MAX_VALUE_BYTES);
            headers.add(DeadLetters.VALUE_BYTES, Integer.toString(value.length).getBytes(StandardCharsets.UTF_8));
        }
        return new DeadLetter(topic, reasonClass, reason, key, kept, headers);
    }

    /** Publishes {@code letter}; completes when the broker has it, then counts and logs it. */
    public CompletableFuture<Void> send(DeadLetter letter) {
        return publisher
                .get()
                .send(Topics.DEAD_LETTERS.name(), letter.key(), letter.value(), letter.headers())
                .thenAccept(metadata -> delivered(letter));
    }

    /** Counts and logs a letter delivered by other means (a Kafka Streams sink). */
    public void delivered(DeadLetter letter) {
        if (meters != null) {
            meters.counter(
                            identity.meterPrefix() + "dead.letters",
                            "topic",
                            letter.topic(),
                            "reason",
                            letter.reasonClass())
                    .increment();
        }
        // The trace id is the letter's own (its producer's traceparent), not the MDC's: a letter sent
        // outside Kafka Streams is logged on the producer's I/O thread, which handles no record.
        LOG.warnf(
                "dead-lettered a record of %s (key %s, trace %s): %s",
                letter.topic(),
                letter.key() == null ? null : new String(letter.key(), StandardCharsets.UTF_8),
                traceId(letter.headers()),
                letter.reason() == null ? letter.reasonClass() : letter.reason());
    }

    /** The trace id of the {@code traceparent} in {@code headers}; "none" when it has no valid one. */
    static String traceId(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(Traces.TRACEPARENT);
        if (header == null || header.value() == null) {
            return "none";
        }
        String value = new String(header.value(), StandardCharsets.UTF_8);
        // version "-" trace-id "-" parent-id "-" flags; validity is Traces' business, this is only a log line.
        return value.length() >= 35 && value.charAt(2) == '-' ? value.substring(3, 35) : "none";
    }

    /**
     * A rejected event as it goes to {@code assay.dead-letters}.
     *
     * @param topic where it was read
     * @param reasonClass the reason's class (meter tag)
     * @param reason the reason in words
     * @param key the original key bytes
     * @param value the original value bytes
     * @param headers the original headers plus the dead-letter headers
     */
    public record DeadLetter(
            String topic, String reasonClass, String reason, byte[] key, byte[] value, Headers headers) {}
}
