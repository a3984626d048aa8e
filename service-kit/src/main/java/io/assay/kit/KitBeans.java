package io.assay.kit;

import io.assay.kit.config.ConfigRegistry;
import io.assay.kit.events.DeadLetterSink;
import io.assay.kit.events.EventHeaders;
import io.assay.kit.events.EventPublisher;
import io.assay.kit.kafka.KafkaClients;
import io.assay.kit.kafka.KafkaSettings;
import io.assay.kit.streams.UnrecordedStreamsMetrics;
import io.assay.kit.traces.Traces;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The kit's beans, built from the service's configuration. */
@ApplicationScoped
public class KitBeans {
    /**
     * The name of the consumer configuration reactive-messaging channels take
     * ({@code mp.messaging.incoming.<channel>.kafka-configuration=assay-consumer}).
     */
    public static final String CONSUMER_CONFIG = "assay-consumer";

    /** This service and replica: {@code assay.service} and {@code assay.instance-id} ({@code ASSAY_INSTANCE_ID}). */
    @Produces
    @Singleton
    ServiceIdentity identity(
            @ConfigProperty(name = "assay.service") String service,
            @ConfigProperty(name = "assay.instance-id", defaultValue = "local") String instanceId) {
        return new ServiceIdentity(service, instanceId);
    }

    /**
     * Leaves out the metrics Kafka Streams registers but does not record at the service's
     * recording level ({@code metrics.recording.level} of its Kafka Streams configuration: a {@code
     * kafka-streams.*} property, else a {@code kafka.*} setting, else INFO): they would read NaN or 0 for good.
     */
    @Produces
    @Singleton
    MeterFilter unrecordedStreamsMetrics(Config config) {
        Function<String, String> value =
                name -> config.getOptionalValue(name, String.class).orElse(null);
        Object level = KafkaSettings.streams(config.getPropertyNames(), value)
                .getOrDefault(
                        StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG,
                        KafkaSettings.clients(config.getPropertyNames(), value)
                                .getOrDefault(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, "INFO"));
        return new UnrecordedStreamsMetrics(String.valueOf(level));
    }

    /** Every Kafka client of the service, from its {@code kafka.*} settings and {@code KAFKA_*} variables. */
    @Produces
    @Singleton
    KafkaClients clients(Config config, ServiceIdentity identity, MeterRegistry meters) {
        Map<String, Object> settings = KafkaSettings.clients(
                config.getPropertyNames(),
                name -> config.getOptionalValue(name, String.class).orElse(null));
        return new KafkaClients(settings, identity, meters);
    }

    /**
     * The consumer configuration of reactive-messaging channels: the {@code kafka.*} settings and the
     * same static membership and cooperative rebalancing as every other consumer group (the channel
     * names its group).
     */
    @Produces
    @Singleton
    @Identifier(CONSUMER_CONFIG)
    Map<String, Object> consumerConfig(KafkaClients clients) {
        return clients.channelConsumerConfig();
    }

    /**
     * The service's traces, exported over OTLP/HTTP to {@code assay.traces.otlp-endpoint}
     * ({@code ASSAY_TRACES_OTLP_ENDPOINT}, or the standard {@code OTEL_EXPORTER_OTLP_ENDPOINT}) when set.
     */
    @Produces
    @Singleton
    Traces traces(
            ServiceIdentity identity,
            @ConfigProperty(name = "assay.traces.otlp-endpoint") Optional<String> otlpEndpoint) {
        return new Traces(identity, otlpEndpoint);
    }

    void closeTraces(@Disposes Traces traces) {
        traces.close();
    }

    /** The CloudEvents and trace headers of this service's events. */
    @Produces
    @Singleton
    EventHeaders headers(ServiceIdentity identity, Traces traces) {
        return new EventHeaders(identity, traces);
    }

    /** The service's one producer for events published outside Kafka Streams (created on first use). */
    @Produces
    @Singleton
    EventPublisher publisher(KafkaClients clients, EventHeaders headers) {
        return new EventPublisher(
                clients.producer("events", new ByteArraySerializer(), new ByteArraySerializer()), headers);
    }

    void closePublisher(@Disposes EventPublisher publisher) {
        publisher.close();
    }

    /** The dead-letter sink. */
    @Produces
    @Singleton
    DeadLetterSink deadLetters(ServiceIdentity identity, MeterRegistry meters, Instance<EventPublisher> publisher) {
        return new DeadLetterSink(identity, meters, publisher::get);
    }

    /**
     * The registered models and benchmark specs, filled by {@link io.assay.kit.config.ConfigFollower};
     * model specs are also checked by the service's {@link ConfigRegistry.ModelCheck} bean if it has one.
     */
    @Produces
    @Singleton
    ConfigRegistry registry(Instance<ConfigRegistry.ModelCheck> check) {
        return new ConfigRegistry(check.isResolvable() ? check.get() : ConfigRegistry.ModelCheck.NONE);
    }
}
