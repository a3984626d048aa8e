package io.assay.invoker.messaging;

import io.assay.contracts.Json;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Topics;
import io.assay.invoker.cache.AnswerStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads the compacted topic {@code assay.answers} from the beginning into the {@link AnswerStore}
 * before any prompt is answered, then keeps following it so answers paid for by other replicas
 * are reused too (a {@link TopicFollower}, like the model registry's reader).
 */
@ApplicationScoped
public class AnswerLogReader {
    private static final Logger LOG = Logger.getLogger(AnswerLogReader.class);

    private final AnswerStore store;
    private final TopicFollower follower;

    /** With the store to fill and the broker to read from. */
    public AnswerLogReader(
            AnswerStore store, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.store = store;
        this.follower = new TopicFollower(
                Topics.ANSWERS.name(), "assay-model-invoker-answers", bootstrapServers, this::apply, () -> {
                    store.markLoaded();
                    LOG.infof("answer store read back: %d answers", store.size());
                });
    }

    void start(@Observes StartupEvent event) {
        follower.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        follower.stop();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                store.forget(record.key());
            }
            return;
        }
        try {
            Header header = record.headers().lastHeader(AnswerLogWriter.CACHE_KEY);
            String cacheKey = header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
            store.learn(
                    cacheKey,
                    Json.mapper().readValue(record.value(), ModelResponse.class),
                    record.headers().lastHeader(AnswerLogWriter.PUBLISHED) != null);
        } catch (java.io.IOException | RuntimeException e) {
            // Only this service writes the topic; an unreadable record just means that answer is paid again.
            LOG.warnf(
                    "ignoring unreadable answer at %s-%d@%d: %s",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }
}
