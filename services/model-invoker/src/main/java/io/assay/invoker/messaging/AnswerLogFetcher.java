package io.assay.invoker.messaging;

import io.assay.contracts.Json;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Topics;
import io.assay.invoker.cache.ContentCache;
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
import org.jboss.logging.Logger;

/**
 * Reads one answer back from {@code assay.answers} at the offset the {@link ContentCache} noted for its
 * content key, for an answer evicted from heap. One consumer, assigned (no group), used by one caller at
 * a time; created on the first read. A record that no longer carries the key (compacted away, or the
 * request was forgotten) is a miss: the request is then paid again, as it was before it was cached.
 */
public final class AnswerLogFetcher implements ContentCache.ContentLog, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AnswerLogFetcher.class);
    /** How long one read back may wait for the broker before it counts as a miss. */
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private final KafkaClients clients;
    private Consumer<String, byte[]> consumer;

    /** Reads with the service's clients. */
    public AnswerLogFetcher(KafkaClients clients) {
        this.clients = clients;
    }

    @Override
    public synchronized Optional<ModelResponse> read(String cacheKey, int partition, long offset) {
        try {
            if (consumer == null) {
                consumer = clients.reader("answers-fetch", new StringDeserializer(), new ByteArrayDeserializer());
            }
            TopicPartition where = new TopicPartition(Topics.ANSWERS.name(), partition);
            consumer.assign(List.of(where));
            consumer.seek(where, offset);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    // The first record at or after the offset: the one noted, or a later one if it was compacted away.
                    return record.offset() == offset ? answer(cacheKey, record) : Optional.empty();
                }
            }
            LOG.debugf("no record at %s@%d within %s", where, offset, PATIENCE);
            return Optional.empty();
        } catch (KafkaException e) {
            LOG.debugf("could not read back the answer of %s: %s", cacheKey, e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<ModelResponse> answer(String cacheKey, ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(AnswerLogWriter.CACHE_KEY);
        if (record.value() == null
                || header == null
                || !cacheKey.equals(new String(header.value(), StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        try {
            ModelResponse response = Json.mapper().readValue(record.value(), ModelResponse.class);
            return response.failed() ? Optional.empty() : Optional.of(response);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.close();
        }
    }
}
