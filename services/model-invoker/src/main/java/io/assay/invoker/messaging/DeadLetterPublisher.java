package io.assay.invoker.messaging;

import io.assay.contracts.DeadLetters;
import io.assay.contracts.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Moves a rejected record to {@code assay.dead-letters} with its original key, bytes and headers
 * plus the reason, then acknowledges it so the stream goes on. If the dead letter itself cannot be
 * published the record is nacked instead: it is never lost.
 */
@ApplicationScoped
public class DeadLetterPublisher {
    /** Channel of dead letters; equals {@code Topics.DEAD_LETTERS.name()}. */
    public static final String DEAD_LETTERS = Topics.Names.DEAD_LETTERS;

    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);

    private final MutinyEmitter<byte[]> deadLetters;
    private final InvokerMetrics metrics;

    /** With the outgoing dead-letter channel. */
    public DeadLetterPublisher(@Channel(DEAD_LETTERS) MutinyEmitter<byte[]> deadLetters, InvokerMetrics metrics) {
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** Dead-letters {@code message}, read from {@code topic} unless its metadata says otherwise. */
    @SuppressWarnings("unchecked")
    public CompletionStage<Void> publish(Message<byte[]> message, String topic, String reason) {
        Optional<IncomingKafkaRecordMetadata<String, byte[]>> incoming = message.getMetadata(
                        IncomingKafkaRecordMetadata.class)
                .map(m -> (IncomingKafkaRecordMetadata<String, byte[]>) m);
        String key = incoming.map(IncomingKafkaRecordMetadata::getKey).orElse(null);
        String source = incoming.map(IncomingKafkaRecordMetadata::getTopic).orElse(topic);
        Headers headers = DeadLetters.headers(
                incoming.map(IncomingKafkaRecordMetadata::getHeaders).orElse(null),
                PromptConsumer.SERVICE,
                reason,
                source,
                incoming.map(IncomingKafkaRecordMetadata::getPartition).orElse(-1),
                incoming.map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key)
                .withHeaders(headers)
                .build();
        try {
            deadLetters.sendMessageAndAwait(Message.of(message.getPayload()).addMetadata(metadata));
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot publish a dead letter from %s", source);
            return message.nack(e);
        }
        metrics.deadLetter(source, reasonClass(reason));
        LOG.warnf("dead-lettered %s key %s: %s", source, key, reason);
        return message.ack();
    }

    /** A low-cardinality class of a rejection reason, for the dead-letter metric. */
    static String reasonClass(String reason) {
        if (reason == null) {
            return "unknown";
        }
        if (reason.startsWith("empty value")) {
            return "empty";
        }
        if (reason.startsWith("not JSON")) {
            return "not_json";
        }
        if (reason.startsWith("does not fit")) {
            return "binding";
        }
        if (reason.startsWith("key ")) {
            return "key";
        }
        return "schema";
    }
}
