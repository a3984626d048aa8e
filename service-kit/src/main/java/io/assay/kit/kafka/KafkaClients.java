package io.assay.kit.kafka;

import io.assay.kit.ServiceIdentity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Every Kafka client of a service, built from one place: the {@code kafka.*} settings (bootstrap
 * servers, {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, whatever the operator sets) go
 * into every producer, consumer, admin client and Kafka Streams configuration, so a secured cluster
 * configured once is reached by all of them. On top of the settings each kind of client gets what
 * Assay relies on:
 *
 * <ul>
 *   <li>producers: {@code acks=all} and idempotence (a retried send is never written twice);</li>
 *   <li>readers (no group, {@code assign}ed partitions): {@code read_committed}, from the earliest offset;</li>
 *   <li>group consumers: manual commits, static membership ({@link ServiceIdentity#groupInstanceId}) and
 *       cooperative rebalancing, so a restarted replica takes its partitions back at once and the
 *       others keep theirs while it does;</li>
 *   <li>Kafka Streams: the same static membership for its main consumer.</li>
 * </ul>
 *
 * <p>Each client gets a {@code client.id} naming the service, its role and the replica, and its
 * metrics are bound to the service's meter registry when there is one.
 *
 * <p>Why static membership, and what it costs: docs/service-kit.md and docs/delivery.md, "Restarts".
 */
public final class KafkaClients {
    /**
     * How long a group member may go silent before its partitions go to the others (Kafka's default is
     * 45 s): a static member that is killed keeps its partitions this long, so this bounds how long the
     * survivors wait to take its work over. 10 s is meant to let them take over within 15 s; a replica that
     * restarts within it still gets its partitions back without a rebalance. {@code kafka.session.timeout.ms}
     * changes it (docs/service-kit.md, "Static membership").
     */
    public static final int SESSION_TIMEOUT_MS = 10_000;

    /** A third of {@link #SESSION_TIMEOUT_MS}, as Kafka recommends; {@code kafka.heartbeat.interval.ms}. */
    public static final int HEARTBEAT_INTERVAL_MS = 3_000;

    private final Map<String, Object> settings;
    private final ServiceIdentity identity;
    private final MeterRegistry meters;

    /**
     * @param settings the client settings without their {@code kafka.} prefix ({@link KafkaSettings})
     * @param identity the service and replica the clients belong to
     * @param meters where client metrics go; {@code null} for none
     */
    public KafkaClients(Map<String, ?> settings, ServiceIdentity identity, MeterRegistry meters) {
        if (!settings.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("no kafka.bootstrap.servers (KAFKA_BOOTSTRAP_SERVERS) is set");
        }
        this.settings = Collections.unmodifiableMap(new TreeMap<>(settings));
        this.identity = identity;
        this.meters = meters;
    }

    /** The settings every client gets (bootstrap, security, ...), for display and for tests. */
    public Map<String, Object> settings() {
        return settings;
    }

    /** The service and replica these clients belong to. */
    public ServiceIdentity identity() {
        return identity;
    }

    /** A producer that waits for every in-sync replica and never writes a retried record twice. */
    public <K, V> Producer<K, V> producer(String role, Serializer<K> keys, Serializer<V> values) {
        Map<String, Object> config = base(role);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new MeteredProducer<>(config, keys, values, meters);
    }

    /**
     * A consumer outside any group, for reading whole topics with {@code assign}: committed records
     * only, from the beginning, nothing committed.
     */
    public <K, V> Consumer<K, V> reader(String role, Deserializer<K> keys, Deserializer<V> values) {
        return reader(role, keys, values, Map.of());
    }

    /**
     * A {@link #reader} with consumer settings of its own on top of the service's ({@code fetch.min.bytes}
     * and {@code fetch.max.wait.ms} for a follower that may fetch in batches, for instance).
     */
    public <K, V> Consumer<K, V> reader(
            String role, Deserializer<K> keys, Deserializer<V> values, Map<String, ?> tuning) {
        Map<String, Object> config = base(role);
        config.putAll(tuning);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new MeteredConsumer<>(config, keys, values, meters);
    }

    /** A consumer in {@code groupId} with {@link #groupConsumerConfig}. */
    public <K, V> Consumer<K, V> groupConsumer(
            String groupId, String role, Deserializer<K> keys, Deserializer<V> values) {
        Map<String, Object> config = base(role);
        config.putAll(groupConsumerConfig(groupId));
        return new MeteredConsumer<>(config, keys, values, meters);
    }

    /**
     * A consumer that only holds a lease, reading nothing: a dynamic member of {@code groupId} (no static
     * membership, so a replica that stops leaves the group at once and another takes its partitions),
     * whose partitions move to another member a session timeout after this process dies: the kit's
     * {@link #SESSION_TIMEOUT_MS}, or {@code kafka.session.timeout.ms}, as for every group member.
     */
    public Consumer<byte[], byte[]> leaseConsumer(String groupId, String role) {
        Map<String, Object> config = base(role);
        config.putAll(groupConsumerConfig(groupId));
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        return new MeteredConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer(), meters);
    }

    /**
     * What a member of a consumer group gets besides the settings: the group, static membership with a
     * {@link #SESSION_TIMEOUT_MS} session (unless the settings name one), cooperative rebalancing, manual
     * commits, committed records only, the earliest offset for a new
     * group. Reactive-messaging channels get this through {@link #channelConsumerConfig}.
     */
    public Map<String, Object> groupConsumerConfig(String groupId) {
        Map<String, Object> config = new HashMap<>();
        if (groupId != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, identity.groupInstanceId());
        config.put(
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                settings.getOrDefault(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS));
        config.put(
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                settings.getOrDefault(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS));
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return config;
    }

    /**
     * The whole configuration of a consumer that a framework builds (a reactive-messaging channel, which
     * names its own group): the settings, a client id, and {@link #groupConsumerConfig}.
     */
    public Map<String, Object> channelConsumerConfig() {
        Map<String, Object> config = base("consumer");
        config.putAll(groupConsumerConfig(null));
        return config;
    }

    /** An admin client (the caller closes it). */
    public Admin admin(String role) {
        return Admin.create(base(role));
    }

    /**
     * The configuration of a Kafka Streams application: the settings, then {@code overrides} (the
     * service's {@code kafka-streams.*} properties), then the application id, the client id and the
     * main consumer's static membership, which are not the overrides' to change. Its main consumer's
     * session is {@link #SESSION_TIMEOUT_MS} unless the settings or overrides name one.
     */
    public Properties streamsConfig(String applicationId, Map<String, ?> overrides) {
        Properties config = new Properties();
        String session = ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG;
        String heartbeat = ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG;
        if (!names(session, settings, overrides)) {
            config.put(StreamsConfig.mainConsumerPrefix(session), SESSION_TIMEOUT_MS);
        }
        if (!names(heartbeat, settings, overrides)) {
            config.put(StreamsConfig.mainConsumerPrefix(heartbeat), HEARTBEAT_INTERVAL_MS);
        }
        config.putAll(settings);
        config.putAll(overrides);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.CLIENT_ID_CONFIG, identity.clientId("streams"));
        config.put(
                StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), identity.groupInstanceId());
        return config;
    }

    /** Whether {@code settings} or {@code overrides} set consumer setting {@code name}, prefixed or not. */
    private static boolean names(String name, Map<String, ?> settings, Map<String, ?> overrides) {
        List<String> forms = List.of(name, StreamsConfig.consumerPrefix(name), StreamsConfig.mainConsumerPrefix(name));
        return forms.stream().anyMatch(f -> settings.containsKey(f) || overrides.containsKey(f));
    }

    private Map<String, Object> base(String role) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, identity.clientId(role));
        return config;
    }

    /**
     * A client's metrics in the service's registry from its creation until it closes: Micrometer's binder keeps a
     * thread of its own refreshing the client's meters, and the meters, until it is closed itself, so a client
     * opened and closed again and again (the aggregator's status reads) would leave one of each behind every time.
     */
    private static final class Metrics {
        private KafkaClientMetrics binder;

        synchronized void bind(KafkaClientMetrics binder, MeterRegistry meters) {
            this.binder = binder;
            binder.bindTo(meters);
        }

        /** Closes the client with {@code close}, then the binder: its meters removed and its thread stopped; once. */
        void close(Runnable close) {
            try {
                close.run();
            } finally {
                synchronized (this) {
                    if (binder != null) {
                        binder.close();
                        binder = null;
                    }
                }
            }
        }
    }

    /** A producer whose metrics are bound while it is open ({@link Metrics}). */
    private static final class MeteredProducer<K, V> extends KafkaProducer<K, V> {
        private final Metrics metrics = new Metrics();

        MeteredProducer(Map<String, Object> config, Serializer<K> keys, Serializer<V> values, MeterRegistry meters) {
            super(config, keys, values);
            if (meters != null) {
                metrics.bind(new KafkaClientMetrics(this), meters);
            }
        }

        @Override
        public void close() {
            metrics.close(super::close);
        }

        @Override
        public void close(Duration timeout) {
            metrics.close(() -> super.close(timeout));
        }
    }

    /** A consumer whose metrics are bound while it is open ({@link Metrics}). */
    private static final class MeteredConsumer<K, V> extends KafkaConsumer<K, V> {
        private final Metrics metrics = new Metrics();

        MeteredConsumer(
                Map<String, Object> config, Deserializer<K> keys, Deserializer<V> values, MeterRegistry meters) {
            super(config, keys, values);
            if (meters != null) {
                metrics.bind(new KafkaClientMetrics(this), meters);
            }
        }

        @Override
        public void close() {
            metrics.close(super::close);
        }

        @Override
        @Deprecated
        public void close(Duration timeout) {
            metrics.close(() -> super.close(timeout));
        }

        @Override
        public void close(CloseOptions options) {
            metrics.close(() -> super.close(options));
        }
    }
}
