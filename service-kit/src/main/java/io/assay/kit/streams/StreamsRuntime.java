package io.assay.kit.streams;

import io.assay.kit.ServiceIdentity;
import io.assay.kit.config.ConfigRegistry;
import io.assay.kit.kafka.ClientProblems;
import io.assay.kit.kafka.KafkaClients;
import io.assay.kit.kafka.KafkaSettings;
import io.assay.kit.kafka.KafkaStartup;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Runs a service's Kafka Streams topology (the {@link Topology} bean it produces), configured by
 * {@link KafkaClients#streamsConfig}: the {@code kafka.*} client settings, the service's
 * {@code kafka-streams.*} settings, static membership. It starts the topology once the broker answers,
 * every topic exists ({@link KafkaStartup}) and the config registry has read both config topics, so a
 * processor never sees an item before the models it is for; and closes it on shutdown. Under exactly-once, a
 * start after a run that did not close cleanly restores every store from its changelog ({@link LastRun}).
 * Services without a topology (the model-invoker) have no Kafka Streams.
 */
@ApplicationScoped
public class StreamsRuntime {
    private static final Logger LOG = Logger.getLogger(StreamsRuntime.class);
    private static final Duration CLOSE = Duration.ofSeconds(30);
    /** Stream threads replaced at most this often within {@link #REPLACEMENT_WINDOW} ({@link ThreadFailures}). */
    private static final int REPLACEMENTS = 3;

    private static final Duration REPLACEMENT_WINDOW = Duration.ofMinutes(10);

    private final KafkaStreams streams;
    private final LastRun lastRun;
    private final KafkaStartup startup;
    private final ConfigRegistry registry;
    private final ServiceIdentity identity;
    private volatile boolean started;
    private volatile boolean stopping;

    /** Builds (does not start) the service's Kafka Streams from its topology, if it has one. */
    public StreamsRuntime(
            Instance<Topology> topology,
            KafkaClients clients,
            KafkaStartup startup,
            ConfigRegistry registry,
            ServiceIdentity identity,
            MeterRegistry meters,
            Config config) {
        this.startup = startup;
        this.registry = registry;
        this.identity = identity;
        if (!topology.isResolvable()) {
            streams = null;
            lastRun = null;
            return;
        }
        Map<String, Object> overrides = KafkaSettings.streams(
                config.getPropertyNames(),
                name -> config.getOptionalValue(name, String.class).orElse(null));
        String applicationId =
                config.getOptionalValue("assay.application-id", String.class).orElse("assay-" + identity.name());
        Properties streamsConfig = clients.streamsConfig(applicationId, overrides);
        streams = new KafkaStreams(topology.get(), streamsConfig);
        lastRun = LastRun.of(streamsConfig);
        ThreadFailures failures = new ThreadFailures(REPLACEMENTS, REPLACEMENT_WINDOW, System::nanoTime);
        streams.setUncaughtExceptionHandler(e -> {
            Optional<KafkaException> refusal = ClientProblems.refusal(e);
            if (refusal.isPresent()) {
                // A missing ACL: a new thread would be refused the same way, so the service stops, saying what.
                startup.refused(refusal.get());
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            StreamThreadExceptionResponse response = failures.onFailure();
            if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
                LOG.errorf(
                        e,
                        "a stream thread of %s failed; replaced by a new one (%d of %d allowed in %d min)",
                        identity.name(),
                        failures.recent(),
                        REPLACEMENTS,
                        REPLACEMENT_WINDOW.toMinutes());
            } else {
                LOG.errorf(
                        e,
                        "a stream thread of %s failed again (%d replaced in %d min); the service stops consuming"
                                + " (liveness fails)",
                        identity.name(),
                        REPLACEMENTS,
                        REPLACEMENT_WINDOW.toMinutes());
            }
            return response;
        });
        streams.setStateListener((next, previous) -> LOG.infof("Kafka Streams %s -> %s", previous, next));
        new KafkaStreamsMetrics(streams).bindTo(meters);
    }

    /** The service's Kafka Streams (for interactive queries and health), started or not. */
    @Produces
    @Singleton
    KafkaStreams kafkaStreams() {
        if (streams == null) {
            throw new IllegalStateException(identity.name() + " has no Kafka Streams topology");
        }
        return streams;
    }

    /** The state of Kafka Streams; {@code null} when the service has none. */
    public KafkaStreams.State state() {
        return streams == null ? null : streams.state();
    }

    /** Whether the service runs a topology. */
    public boolean present() {
        return streams != null;
    }

    /** Whether {@link KafkaStreams#start} was called. */
    public boolean started() {
        return started;
    }

    void start(@Observes StartupEvent event) {
        if (streams == null) {
            return;
        }
        Thread thread = new Thread(this::startWhenReady, identity.clientId("streams-start"));
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        synchronized (this) {
            // After this, startWhenReady cannot start what is being closed.
            stopping = true;
        }
        if (streams != null) {
            boolean closed = streams.close(CLOSE);
            if (started) {
                lastRun.afterClose(streams, closed);
            }
        }
    }

    private void startWhenReady() {
        try {
            while (!stopping && !startup.awaitReady(Duration.ofSeconds(1))) {
                // KafkaStartup logs what it waits for, and stops the service on a refusal.
            }
            while (!stopping && !registry.caughtUp()) {
                Thread.sleep(50);
            }
            synchronized (this) {
                if (!stopping) {
                    lastRun.beforeStart(streams);
                    streams.start();
                    started = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
