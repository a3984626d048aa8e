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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads the compacted topic {@code assay.models} from the beginning into the {@link ModelRegistry}
 * and keeps following it ({@link TopicFollower}): every replica needs every model. The registry
 * counts as caught up once it has read to the end offsets seen at startup.
 */
@ApplicationScoped
public class ModelRegistryReader {
    private static final Logger LOG = Logger.getLogger(ModelRegistryReader.class);

    private final ModelRegistry registry;
    private final TopicFollower follower;

    /** With the registry to fill and the broker to read from. */
    public ModelRegistryReader(
            ModelRegistry registry, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.registry = registry;
        this.follower = new TopicFollower(
                Topics.MODELS.name(), "assay-model-invoker-registry", bootstrapServers, this::apply, () -> {
                    registry.markCaughtUp();
                    LOG.infof("model registry caught up: %d models", registry.size());
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
            LOG.warnf(
                    "ignoring invalid model spec at %s-%d@%d: %s",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }
}
