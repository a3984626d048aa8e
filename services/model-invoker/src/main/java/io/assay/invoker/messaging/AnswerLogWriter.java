package io.assay.invoker.messaging;

import io.assay.contracts.ModelResponse;
import io.assay.contracts.Topics;
import io.assay.invoker.cache.AnswerStore;
import io.assay.kit.events.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

/**
 * Writes each paid-for answer to the compacted topic {@code assay.answers}, keyed by request id,
 * and returns once the broker has it ({@code acks=all}). The content key of a cacheable answer
 * travels in the {@value #CACHE_KEY} header, so the cache is rebuilt from the topic too.
 *
 * <p>Once its response is published, the answer is marked so (header {@value #PUBLISHED}): a record
 * under the same key that compaction keeps in the answer's place. The mark of a cacheable answer is
 * the answer again, since the content cache reads it back; any other mark is empty (a value of no
 * bytes, not a tombstone): nothing reads a published answer back (a redelivered prompt is only
 * acknowledged), its response is on {@code assay.responses}, and the log stays a record of which
 * requests were paid for, not a second copy of every answer.
 */
@ApplicationScoped
public class AnswerLogWriter implements AnswerStore.AnswerLog {
    /** Header holding the content key of a cacheable answer. */
    public static final String CACHE_KEY = "assay-cache-key";
    /** Header present when the answer's response is known to be published on {@code assay.responses}. */
    public static final String PUBLISHED = "assay-published";

    /** The value of a published mark without a body. */
    private static final byte[] EMPTY = new byte[0];

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

    /**
     * Marks the answer published: the same record again when it is cacheable, else an empty one;
     * compaction keeps the mark. Not awaited.
     */
    @Override
    public void published(String cacheKey, ModelResponse response) {
        CompletableFuture<RecordMetadata> marked = cacheKey != null
                ? publish(cacheKey, response, true)
                : publisher.send(Topics.ANSWERS.name(), key(response), EMPTY, publishedMark());
        marked.exceptionally(e -> {
            // Only a saving: a redelivery of this request re-publishes its stored answer instead of skipping it.
            LOG.debugf("could not mark %s published: %s", response.requestId(), e.getMessage());
            return null;
        });
    }

    private CompletableFuture<RecordMetadata> publish(String cacheKey, ModelResponse response, boolean published) {
        return publisher.publish(
                Topics.ANSWERS,
                response.requestId(),
                response.requestId(),
                response,
                headers -> mark(headers, cacheKey, published));
    }

    private static byte[] key(ModelResponse response) {
        return response.requestId().getBytes(StandardCharsets.UTF_8);
    }

    private static Headers publishedMark() {
        Headers headers = new RecordHeaders();
        headers.add(PUBLISHED, new byte[] {1});
        return headers;
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
