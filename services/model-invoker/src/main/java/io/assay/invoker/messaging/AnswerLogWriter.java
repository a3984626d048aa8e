package io.assay.invoker.messaging;

import io.assay.contracts.ModelResponse;
import io.assay.contracts.Topics;
import io.assay.invoker.cache.AnswerStore;
import io.assay.kit.events.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

/**
 * Writes each paid-for answer to the compacted topic {@code assay.answers}, keyed by request id,
 * and returns once the broker has it ({@code acks=all}). The content key of a cacheable answer
 * travels in the {@value #CACHE_KEY} header, so the cache is rebuilt from the topic too.
 */
@ApplicationScoped
public class AnswerLogWriter implements AnswerStore.AnswerLog {
    /** Header holding the content key of a cacheable answer. */
    public static final String CACHE_KEY = "assay-cache-key";
    /** Header present when the answer's response is known to be published on {@code assay.responses}. */
    public static final String PUBLISHED = "assay-published";

    private static final Logger LOG = Logger.getLogger(AnswerLogWriter.class);

    private final EventPublisher publisher;

    /** Writes through the service's publisher. */
    public AnswerLogWriter(EventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public AnswerStore.Written append(String cacheKey, ModelResponse response) {
        RecordMetadata written = publish(cacheKey, response, false).join();
        return new AnswerStore.Written(written.partition(), written.offset());
    }

    /** The same record again, marked published; compaction keeps this one. Not awaited. */
    @Override
    public void published(String cacheKey, ModelResponse response) {
        publish(cacheKey, response, true).exceptionally(e -> {
            // Only a saving: a redelivery of this request re-publishes its stored answer instead of skipping it.
            LOG.debugf("could not mark %s published: %s", response.requestId(), e.getMessage());
            return null;
        });
    }

    private java.util.concurrent.CompletableFuture<RecordMetadata> publish(
            String cacheKey, ModelResponse response, boolean published) {
        return publisher.publish(
                Topics.ANSWERS,
                response.requestId(),
                response.requestId(),
                response,
                headers -> mark(headers, cacheKey, published));
    }

    private static void mark(Headers headers, String cacheKey, boolean published) {
        if (cacheKey != null) {
            headers.add(CACHE_KEY, cacheKey.getBytes(StandardCharsets.UTF_8));
        }
        if (published) {
            headers.add(PUBLISHED, new byte[] {1});
        }
    }
}
