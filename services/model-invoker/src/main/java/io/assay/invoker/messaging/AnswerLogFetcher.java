package io.assay.invoker.messaging;

import io.assay.contracts.Json;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Topics;
import io.assay.invoker.cache.AnswerIndex;
import io.assay.invoker.cache.AnswerReadBack;
import io.assay.kit.kafka.KafkaClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one record of {@code assay.answers} back at the location the {@link AnswerIndex} noted: the
 * answer of a request stored by another process and not published yet, or of a content key evicted from
 * the content cache's heap. One consumer, assigned (no group), used by one caller at a time; created on
 * the first read.
 */
public final class AnswerLogFetcher implements AnswerReadBack, AutoCloseable {
    /** How long one read back may wait for the broker. */
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private final KafkaClients clients;
    private Consumer<String, byte[]> consumer;

    /** Reads with the service's clients. */
    public AnswerLogFetcher(KafkaClients clients) {
        this.clients = clients;
    }

    @Override
    public synchronized Optional<Logged> read(long location) {
        TopicPartition where = new TopicPartition(Topics.ANSWERS.name(), AnswerIndex.partition(location));
        long offset = AnswerIndex.offset(location);
        try {
            if (consumer == null) {
                consumer = clients.reader("answers-fetch", new StringDeserializer(), new ByteArrayDeserializer());
            }
            consumer.assign(List.of(where));
            consumer.seek(where, offset);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    // The first record at or after the offset: the one noted, or a later one if it was compacted away.
                    return record.offset() == offset ? Optional.of(logged(record)) : Optional.empty();
                }
            }
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot read " + where + "@" + offset + " back: " + e.getMessage(), e);
        }
        throw new IllegalStateException("no record at " + where + "@" + offset + " within " + PATIENCE);
    }

    private static Logged logged(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(AnswerLogWriter.CACHE_KEY);
        String cacheKey = header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        ModelResponse response = null;
        if (record.value() != null) {
            try {
                response = Json.mapper().readValue(record.value(), ModelResponse.class);
            } catch (IOException | RuntimeException e) {
                // Only this service writes the topic; an unreadable record means that answer is paid again.
            }
        }
        return new Logged(record.key(), cacheKey, response);
    }

    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.close();
        }
    }
}
