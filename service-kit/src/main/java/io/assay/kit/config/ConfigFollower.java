package io.assay.kit.config;

import io.assay.contracts.Topics;
import io.assay.kit.ServiceIdentity;
import io.assay.kit.kafka.KafkaClients;
import io.assay.kit.kafka.TopicFollower;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Fills the service's {@link ConfigRegistry} from {@code assay.models} and {@code assay.benchmarks}:
 * both compacted topics read from the beginning at every start and followed from then on (a
 * {@link TopicFollower}: every replica needs every spec). A refused record is logged and counted as
 * {@code assay.<service>.config.rejected}; dead-lettering it is {@link ConfigValidator}'s job, once
 * for the whole system, not once per reader per restart.
 */
@ApplicationScoped
public class ConfigFollower {
    private static final Logger LOG = Logger.getLogger(ConfigFollower.class);

    private final ConfigRegistry registry;
    private final KafkaClients clients;
    private final ServiceIdentity identity;
    private final MeterRegistry meters;
    private TopicFollower follower;

    /** Follows the config topics into {@code registry}. */
    public ConfigFollower(
            ConfigRegistry registry, KafkaClients clients, ServiceIdentity identity, MeterRegistry meters) {
        this.registry = registry;
        this.clients = clients;
        this.identity = identity;
        this.meters = meters;
    }

    void start(@Observes StartupEvent event) {
        follower = TopicFollower.start(
                identity.clientId("config"),
                List.of(Topics.MODELS.name(), Topics.BENCHMARKS.name()),
                () -> clients.reader("config", new StringDeserializer(), new ByteArrayDeserializer()),
                record -> registry.apply(record.topic(), record.key(), record.value(), record.headers())
                        .ifPresentOrElse(
                                rejection -> {
                                    meters.counter(identity.meterPrefix() + "config.rejected", "topic", record.topic())
                                            .increment();
                                    LOG.warnf(
                                            "ignoring %s record %s at offset %d: %s",
                                            record.topic(), record.key(), record.offset(), rejection.reason());
                                },
                                () -> LOG.debugf(
                                        "%s %s %s",
                                        record.topic(), record.key(), record.value() == null ? "retired" : "applied")),
                () -> {
                    registry.markCaughtUp();
                    LOG.infof(
                            "config read: %d models, %d benchmark specs",
                            registry.models().size(), registry.benchmarks().size());
                });
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (follower != null) {
            follower.close();
        }
    }
}
