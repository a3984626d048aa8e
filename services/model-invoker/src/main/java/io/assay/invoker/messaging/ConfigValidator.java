package io.assay.invoker.messaging;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Topics;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Validates the config topics once for the whole system. Every service reads {@code assay.models}
 * and {@code assay.benchmarks} in full on each start and skips invalid specs; if each of them also
 * dead-lettered what it skipped, one bad spec would become a dead letter per reader per restart.
 * This consumer group ({@code assay-config-validator}) commits its offsets, so each invalid spec is
 * dead-lettered exactly once, with its reason. Tombstones (retirements) are valid.
 */
@ApplicationScoped
public class ConfigValidator {
    /**
     * The one channel over both config topics. It is the exception to "channels are named after
     * their topics" because it reads two.
     */
    public static final String CHANNEL = "assay.config-validation";

    private final DeadLetterPublisher deadLetters;

    /** With the dead-letter publisher. */
    public ConfigValidator(DeadLetterPublisher deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** Checks one config event; an invalid one goes to the dead letters (a blocking send, off the event loop). */
    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> validate(Message<byte[]> message) {
        String topic = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getTopic)
                .orElse(Topics.MODELS.name());
        String key = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> (String) m.getKey())
                .orElse(null);
        if (message.getPayload() == null) {
            return message.ack();
        }
        try {
            String id = Topics.BENCHMARKS.name().equals(topic)
                    ? EventType.BENCHMARK_SPEC
                            .parse(message.getPayload(), BenchmarkSpec.class)
                            .benchmark()
                    : EventType.MODEL_SPEC
                            .parse(message.getPayload(), ModelSpec.class)
                            .modelId();
            if (!id.equals(key)) {
                throw new InvalidEventException("key " + key + " is not the spec's id " + id);
            }
            return message.ack();
        } catch (InvalidEventException e) {
            return deadLetters.publish(message, topic, e.getMessage());
        }
    }
}
