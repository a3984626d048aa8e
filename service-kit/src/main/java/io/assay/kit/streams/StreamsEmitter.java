package io.assay.kit.streams;

import io.assay.contracts.Json;
import io.assay.contracts.Topic;
import io.assay.contracts.Topics;
import io.assay.kit.events.DeadLetterSink;
import io.assay.kit.events.EventHeaders;
import io.assay.kit.traces.Trace;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * What a Kafka Streams processor of a service sends, inside its transaction: events as JSON with their
 * CloudEvents headers ({@link EventHeaders}) to the sink of their topic, and rejected records to the
 * dead-letter sink with the original key and bytes ({@link DeadLetterSink}). Sinks are named after the
 * registry's topic name ({@link #addSink}), so a processor says where an event goes by its {@link Topic}.
 * Keys and values travel as bytes: a dead letter carries exactly what was read. A processor opens the
 * trace of the record it handles ({@link #handling}); what it emits until it closes that trace carries
 * the record's trace id in its {@code traceparent} (io.assay.kit.traces.Traces, docs/traces.md).
 */
public final class StreamsEmitter {
    private final ProcessorContext<byte[], byte[]> context;
    private final EventHeaders headers;
    private final DeadLetterSink deadLetters;
    private Trace current;

    /** Emits for the processor of {@code context}. */
    public StreamsEmitter(ProcessorContext<byte[], byte[]> context, EventHeaders headers, DeadLetterSink deadLetters) {
        this.context = context;
        this.headers = headers;
        this.deadLetters = deadLetters;
    }

    /**
     * Adds the sink of {@code topic} (named after the registry's topic) writing to {@code actualTopic}
     * (the same name, or a test's prefixed one), fed by {@code parents}.
     */
    public static void addSinkTo(Topology topology, Topic<?, ?> topic, String actualTopic, String... parents) {
        topology.addSink(topic.name(), actualTopic, new ByteArraySerializer(), new ByteArraySerializer(), parents);
    }

    /** Adds the sink of {@code topic} under its own name. */
    public static void addSink(Topology topology, Topic<?, ?> topic, String... parents) {
        addSinkTo(topology, topic, topic.name(), parents);
    }

    /**
     * Opens the trace of {@code record}, read from {@code topic}: what this emitter emits until it is
     * closed is emitted under it. Processors call it first in {@code process}, in try-with-resources.
     */
    public Trace handling(Record<byte[], byte[]> record, String topic) {
        current = headers.traces().handling(topic, record.headers());
        return current;
    }

    /** Opens the trace of the record being processed, read from the topic its metadata names. */
    public Trace handling(Record<byte[], byte[]> record) {
        return handling(
                record, context.recordMetadata().map(RecordMetadata::topic).orElse("unknown"));
    }

    /**
     * Sends {@code event} with id {@code id} under {@code key} to {@code topic}'s sink, under the trace of
     * the record being handled ({@link #handling}), or a new trace when none is open (a punctuator's work).
     */
    public <V> void emit(Topic<String, V> topic, String key, String id, V event, long timestamp) {
        context.forward(
                new Record<>(
                        key.getBytes(StandardCharsets.UTF_8),
                        Json.writeBytes(event),
                        timestamp,
                        headers.of(topic.type(), id, current)),
                topic.name());
    }

    /**
     * Sends the record being processed to the dead-letter sink, with where it was read and why.
     *
     * @param reasonClass a low-cardinality class of the reason (meter tag)
     * @param reason the reason in words
     */
    public void deadLetter(Record<byte[], byte[]> record, String reasonClass, String reason) {
        RecordMetadata source = context.recordMetadata().orElse(null);
        deadLetter(
                record,
                source == null ? "unknown" : source.topic(),
                source == null ? -1 : source.partition(),
                source == null ? -1 : source.offset(),
                reasonClass,
                reason);
    }

    /**
     * Sends {@code record} to the dead-letter sink as read from {@code topic}-{@code partition}@{@code
     * offset}: for a record the processor kept in a store and rejects later, while it processes another.
     */
    public void deadLetter(
            Record<byte[], byte[]> record,
            String topic,
            int partition,
            long offset,
            String reasonClass,
            String reason) {
        if (current != null && current.isOpen()) {
            current.fail(reasonClass);
        }
        DeadLetterSink.DeadLetter letter = deadLetters.letter(
                topic, partition, offset, record.key(), record.value(), record.headers(), reasonClass, reason);
        context.forward(
                new Record<>(letter.key(), letter.value(), record.timestamp(), letter.headers()),
                Topics.DEAD_LETTERS.name());
        deadLetters.delivered(letter);
    }
}
