package io.assay.kit.events;

import io.assay.contracts.Json;
import io.assay.contracts.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;

/**
 * Publishes this service's events outside Kafka Streams (the invoker's responses and answers, the
 * aggregator's snapshots, dead letters of non-Streams consumers): JSON values with their CloudEvents
 * headers, through one idempotent {@code acks=all} producer per service. Kafka Streams processors
 * emit through {@link io.assay.kit.streams.StreamsEmitter} instead, inside their transaction.
 */
public final class EventPublisher implements AutoCloseable {
    private final Producer<byte[], byte[]> producer;
    private final EventHeaders headers;
    /**
     * The last event this thread serialised, with its bytes: the invoker publishes the same immutable
     * response up to three times (stored answer, response, published mark), and serialising it once
     * is a tenth of its CPU per prompt.
     */
    private final ThreadLocal<Serialized> last = new ThreadLocal<>();

    private record Serialized(Object event, byte[] bytes) {}

    /** Publishes through {@code producer} (which it closes) with {@code headers}. */
    public EventPublisher(Producer<byte[], byte[]> producer, EventHeaders headers) {
        this.producer = producer;
        this.headers = headers;
    }

    /** Publishes {@code event} under {@code key}; completes when the broker has it. */
    public <V> CompletableFuture<RecordMetadata> publish(Topic<String, V> topic, String key, String id, V event) {
        return publish(topic, key, id, event, h -> {});
    }

    /** Like {@link #publish(Topic, String, String, Object)}, with {@code extra} headers added. */
    public <V> CompletableFuture<RecordMetadata> publish(
            Topic<String, V> topic, String key, String id, V event, Consumer<Headers> extra) {
        Headers h = headers.of(topic.type(), id);
        extra.accept(h);
        return send(topic.name(), key == null ? null : key.getBytes(StandardCharsets.UTF_8), bytes(event), h);
    }

    /** The event's JSON, reused when this thread publishes the same instance again (events are immutable records). */
    private byte[] bytes(Object event) {
        Serialized s = last.get();
        if (s != null && s.event() == event) {
            return s.bytes();
        }
        byte[] bytes = Json.writeBytes(event);
        last.set(new Serialized(event, bytes));
        return bytes;
    }

    /** Publishes raw bytes (a dead letter keeps the original key and value exactly). */
    public CompletableFuture<RecordMetadata> send(String topic, byte[] key, byte[] value, Headers recordHeaders) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, null, key, value, recordHeaders), (metadata, error) -> {
                if (error == null) {
                    done.complete(metadata);
                } else {
                    done.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            // send() itself throws when the record cannot be sent at all (too large, producer closed).
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
