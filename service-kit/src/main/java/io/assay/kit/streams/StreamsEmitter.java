package io.assay.kit.streams;

import io.assay.contracts.Json;
import io.assay.contracts.Topic;
import io.assay.contracts.Topics;
import io.assay.kit.events.DeadLetterSink;
import io.assay.kit.events.EventHeaders;
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
 * Keys and values travel as bytes: a dead letter carries exactly what was read.
 */
public final class StreamsEmitter {
    private final ProcessorContext<byte[], byte[]> context;
    private final EventHeaders headers;
    private final DeadLetterSink deadLetters;

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

    /** Sends {@code event} with id {@code id} under {@code key} to {@code topic}'s sink. */
    public <V> void emit(Topic<String, V> topic, String key, String id, V event, long timestamp) {
        context.forward(
                new Record<>(
                        key.getBytes(StandardCharsets.UTF_8),
                        Json.writeBytes(event),
                        timestamp,
                        headers.of(topic.type(), id)),
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
        DeadLetterSink.DeadLetter letter = deadLetters.letter(
                topic, partition, offset, record.key(), record.value(), record.headers(), reasonClass, reason);
        context.forward(
                new Record<>(letter.key(), letter.value(), record.timestamp(), letter.headers()),
                Topics.DEAD_LETTERS.name());
        deadLetters.delivered(letter);
    }
}
