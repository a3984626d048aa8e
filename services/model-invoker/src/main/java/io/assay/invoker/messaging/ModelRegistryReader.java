package io.assay.invoker.messaging;

import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Topics;
import io.assay.invoker.service.ModelRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads the compacted topic {@code assay.models} from the beginning into the {@link ModelRegistry}
 * and keeps following it. A plain consumer with {@code assign} (no group, no commits): every
 * replica needs every model, and the whole topic is re-read at each start, which compaction keeps
 * small. The registry counts as caught up once it has read to the end offsets seen at startup.
 */
@ApplicationScoped
public class ModelRegistryReader {
    private static final Logger LOG = Logger.getLogger(ModelRegistryReader.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long RETRY_MS = 500;

    private final ModelRegistry registry;
    private final String bootstrapServers;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /** With the registry to fill and the broker to read from. */
    public ModelRegistryReader(ModelRegistry registry,
                               @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.registry = registry;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "model-registry-reader");
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
        String topic = Topics.MODELS.name();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.CLIENT_ID_CONFIG, "assay-model-invoker-registry"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = partitions(c, topic);
            if (partitions.isEmpty()) {
                return;
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            LOG.infof("reading %s (%d partitions) from the beginning, end offsets %s", topic, partitions.size(), end);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                    apply(record);
                }
                if (!registry.caughtUp() && partitions.stream().allMatch(tp -> c.position(tp) >= end.get(tp))) {
                    registry.markCaughtUp();
                    LOG.infof("model registry caught up: %d models", registry.size());
                }
            }
        } catch (WakeupException e) {
            // Shutdown.
        } catch (RuntimeException e) {
            LOG.errorf(e, "model registry reader stopped");
        }
    }

    /** The topic's partitions; waits for the topic to exist (the CLI creates it). */
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
                registry.remove(record.key());
                LOG.infof("model %s retired", record.key());
            }
            return;
        }
        try {
            ModelSpec model = EventType.MODEL_SPEC.parse(record.value(), ModelSpec.class);
            registry.put(model);
            LOG.debugf("model %s registered (provider %s)", model.modelId(), model.provider());
        } catch (InvalidEventException e) {
            // A bad registration must not stop the registry; re-read on every start, so it is only logged.
            LOG.warnf("ignoring invalid model spec at %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }
}
