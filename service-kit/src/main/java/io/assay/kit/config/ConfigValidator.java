package io.assay.kit.config;

import io.assay.contracts.Topics;
import io.assay.kit.ServiceIdentity;
import io.assay.kit.events.DeadLetterSink;
import io.assay.kit.kafka.KafkaClients;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Dead-letters every refused config record once for the whole system. Every service reads both config
 * topics in full at each start and skips what {@link ConfigRegistry} refuses; if each of them also
 * dead-lettered it, one bad spec would become a dead letter per reader per restart. This consumer
 * group ({@value #GROUP}) commits its offsets, so each refused record is dead-lettered once, with its
 * reason. It runs in the one service that sets {@code assay.config-validator.enabled=true} (the
 * model-invoker, which the CLI needs for {@code models add} anyway).
 *
 * <p>See docs/delivery.md, "Config records: refused everywhere, dead-lettered once".
 */
@ApplicationScoped
public class ConfigValidator {
    /** The validator's consumer group. */
    public static final String GROUP = "assay-config-validator";

    private static final Logger LOG = Logger.getLogger(ConfigValidator.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final boolean enabled;
    private final KafkaClients clients;
    private final DeadLetterSink deadLetters;
    private final ServiceIdentity identity;
    private final ConfigRegistry registry;
    private volatile boolean running = true;
    private volatile Consumer<String, byte[]> consumer;
    private Thread thread;

    /** Validates when {@code assay.config-validator.enabled} is true. */
    public ConfigValidator(
            @ConfigProperty(name = "assay.config-validator.enabled", defaultValue = "false") boolean enabled,
            KafkaClients clients,
            DeadLetterSink deadLetters,
            ServiceIdentity identity,
            ConfigRegistry registry) {
        this.enabled = enabled;
        this.registry = registry;
        this.clients = clients;
        this.deadLetters = deadLetters;
        this.identity = identity;
    }

    void start(@Observes StartupEvent event) {
        if (enabled) {
            thread = new Thread(this::run, identity.clientId("config-validator"));
            thread.setDaemon(true);
            thread.start();
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(Duration.ofSeconds(5).toMillis());
        }
    }

    private void run() {
        try (Consumer<String, byte[]> c = clients.groupConsumer(
                GROUP, "config-validator", new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            c.subscribe(List.of(Topics.MODELS.name(), Topics.BENCHMARKS.name()));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                    validate(record);
                }
                commit(c);
            }
        } catch (WakeupException e) {
            // Stopping.
        } catch (RuntimeException e) {
            LOG.errorf(e, "the config validator stopped; invalid specs are no longer dead-lettered");
        }
    }

    /**
     * Commits what was read. While another replica joins or leaves the group the commit is refused; the
     * next poll takes part in the rebalance and the records since the last commit are read again, by
     * this replica or the one that gets their partition (a refused record may then be dead-lettered
     * twice, never not at all). Before, the refusal stopped the validator for good whenever a second
     * invoker started.
     */
    private static void commit(Consumer<String, byte[]> c) {
        try {
            c.commitSync();
        } catch (RebalanceInProgressException | CommitFailedException e) {
            LOG.infof("config validator: commit refused during a rebalance (%s); read again", e.getMessage());
        }
    }

    private void validate(ConsumerRecord<String, byte[]> record) {
        // The service's own registry decides, so what it refuses (its ModelCheck too) is what is dead-lettered.
        Optional<ConfigRegistry.Rejection> rejection =
                registry.refusal(record.topic(), record.key(), record.value(), record.headers());
        if (rejection.isEmpty()) {
            return;
        }
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        DeadLetterSink.DeadLetter letter = deadLetters.letter(
                record.topic(),
                record.partition(),
                record.offset(),
                key,
                record.value(),
                record.headers(),
                rejection.get().reasonClass(),
                rejection.get().reason());
        // Blocks until the broker has it: the offset is committed only after its dead letter is written.
        deadLetters.send(letter).join();
    }
}
