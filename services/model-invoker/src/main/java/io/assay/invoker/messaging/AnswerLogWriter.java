package io.assay.invoker.messaging;

import io.assay.contracts.CloudEvents;
import io.assay.contracts.EventType;
import io.assay.contracts.Json;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Topics;
import io.assay.invoker.cache.AnswerStore;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Writes each paid-for answer to the compacted topic {@code assay.answers}, keyed by request id,
 * and returns once the broker has it ({@code acks=all}). The content key of a cacheable answer
 * travels in the {@value #CACHE_KEY} header, so the cache is rebuilt from the topic too.
 */
@ApplicationScoped
public class AnswerLogWriter implements AnswerStore.AnswerLog {
    /** Channel of the answer log; equals {@code Topics.ANSWERS.name()}. */
    public static final String ANSWERS = Topics.Names.ANSWERS;
    /** Header holding the content key of a cacheable answer. */
    public static final String CACHE_KEY = "assay-cache-key";
    /** Header present when the answer's response is known to be published on {@code assay.responses}. */
    public static final String PUBLISHED = "assay-published";

    private final MutinyEmitter<byte[]> answers;

    /** With the outgoing answers channel. */
    public AnswerLogWriter(@Channel(ANSWERS) MutinyEmitter<byte[]> answers) {
        this.answers = answers;
    }

    @Override
    public void append(String cacheKey, ModelResponse response) {
        answers.sendMessageAndAwait(record(cacheKey, response, false));
    }

    /** The same record again, marked published; compaction keeps this one. Not awaited. */
    @Override
    public void published(String cacheKey, ModelResponse response) {
        answers.sendMessage(record(cacheKey, response, true)).subscribe().with(ok -> {}, failure -> {});
    }

    private static Message<byte[]> record(String cacheKey, ModelResponse response, boolean published) {
        Headers headers = CloudEvents.headers(EventType.MODEL_RESPONSE, response.requestId(), PromptConsumer.SOURCE);
        if (cacheKey != null) {
            headers.add(CACHE_KEY, cacheKey.getBytes(StandardCharsets.UTF_8));
        }
        if (published) {
            headers.add(PUBLISHED, new byte[] {1});
        }
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(response.requestId())
                .withHeaders(headers)
                .build();
        return Message.of(Json.writeBytes(response)).addMetadata(metadata);
    }
}
