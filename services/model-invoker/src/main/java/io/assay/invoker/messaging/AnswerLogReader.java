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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads the compacted topic {@code assay.answers} from the beginning into the {@link AnswerStore}
 * before any prompt is answered, then keeps following it so answers paid for by other replicas
 * are reused too. A plain consumer with {@code assign} (no group, no commits), like the model
 * registry's reader.
 */
@ApplicationScoped
public class AnswerLogReader {
    private static final Logger LOG = Logger.getLogger(AnswerLogReader.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long RETRY_MS = 500;

    private final AnswerStore store;
    private final String bootstrapServers;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /** With the store to fill and the broker to read from. */
    public AnswerLogReader(AnswerStore store, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.store = store;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "answer-log-reader");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(Duration.ofSeconds(5).toMillis());
        }
    }

    private void run() {
        String topic = Topics.ANSWERS.name();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "assay-model-invoker-answers"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = partitions(c, topic);
            if (partitions.isEmpty()) {
                return;
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long started = System.nanoTime();
            while (running) {
                for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                    apply(record);
                }
                if (!store.loaded() && partitions.stream().allMatch(tp -> c.position(tp) >= end.get(tp))) {
                    store.markLoaded();
                    LOG.infof("answer store read back: %d answers in %d ms", store.size(),
                            (System.nanoTime() - started) / 1_000_000);
                }
            }
        } catch (WakeupException e) {
            // Shutdown.
        } catch (RuntimeException e) {
            LOG.errorf(e, "answer log reader stopped");
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, String topic) {
        while (running) {
            try {
                List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
                if (!partitions.isEmpty()) {
                    return partitions;
                }
            } catch (TimeoutException e) {
                LOG.warnf("waiting for topic %s: %s", topic, e.getMessage());
            }
            try {
                Thread.sleep(RETRY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
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
            store.learn(cacheKey, Json.mapper().readValue(record.value(), ModelResponse.class),
                    record.headers().lastHeader(AnswerLogWriter.PUBLISHED) != null);
        } catch (java.io.IOException | RuntimeException e) {
            // Only this service writes the topic; an unreadable record just means that answer is paid again.
            LOG.warnf("ignoring unreadable answer at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }
}
