package io.assay.cli.kafka;

import io.assay.contracts.CloudEvents;
import io.assay.contracts.Topic;
import io.assay.kit.kafka.ClientProblems;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes events the way every Assay producer does: JSON value, CloudEvents headers, acks from all
 * replicas. Each event is retried (idempotently, so a retry never duplicates it) until its delivery
 * timeout; an event still not acknowledged then is <em>undelivered</em>, reported under the label its
 * caller gave it ({@code FILE:LINE}, {@code benchmark/itemId}) so the user can publish it again.
 */
public final class Publisher implements AutoCloseable {
    /** How long an event is retried when the caller does not say: long enough to ride out a broker restart. */
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(120);

    private static final String SOURCE = "/assay/cli";
    private static final Duration REACH_TIMEOUT = Duration.ofSeconds(8);
    private static final int LINGER_MS = 5;

    private final KafkaProducer<String, byte[]> producer;
    private final Duration deliveryTimeout;
    private final AtomicLong sends = new AtomicLong();
    /** Undelivered events by the order they were sent in, so a report reads in file order. */
    private final SortedMap<Long, Undelivered> undelivered = new TreeMap<>();

    private volatile Consumer<Undelivered> onUndelivered = u -> {};

    /**
     * An event that was not acknowledged within the delivery timeout.
     *
     * @param label where the event came from, as the caller named it ({@code FILE:LINE}, {@code benchmark/itemId})
     * @param reason the producer's last error
     */
    public record Undelivered(String label, String reason) {
        @Override
        public String toString() {
            return label + ": not delivered: " + reason;
        }
    }

    /** A publisher to {@code bootstrapServers} with the {@link #DEFAULT_DELIVERY_TIMEOUT}. */
    public Publisher(String bootstrapServers) {
        this(bootstrapServers, DEFAULT_DELIVERY_TIMEOUT);
    }

    /**
     * A publisher to the broker at {@code bootstrapServers} that retries each event for up to
     * {@code deliveryTimeout}. It checks first that the broker answers, so a stopped stack is one clear
     * error rather than a long wait on every event: at once where every address refuses connections, else
     * after 8 s.
     */
    public Publisher(String bootstrapServers, Duration deliveryTimeout) {
        if (deliveryTimeout.toMillis() < 1_000) {
            throw new IllegalStateException("the delivery timeout must be at least 1 s, got " + deliveryTimeout);
        }
        requireReachable(bootstrapServers);
        this.deliveryTimeout = deliveryTimeout;
        int timeout = (int) Math.min(Integer.MAX_VALUE, deliveryTimeout.toMillis());
        Map<String, Object> config = ClientSettings.forBootstrap(bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // Idempotence (the default with acks=all, made explicit): a retried batch is written once, in order.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        // The producer retries without bound (retries = MAX_INT, the default) until delivery.timeout.ms:
        // that deadline is the whole retry policy. send() may also block (metadata, a full buffer) for as long.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(10_000, timeout / 2));
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** How long each event is retried. */
    public Duration deliveryTimeout() {
        return deliveryTimeout;
    }

    /** Calls {@code listener} (on the producer's thread) for each event as soon as it is known undelivered. */
    public void onUndelivered(Consumer<Undelivered> listener) {
        this.onUndelivered = listener;
    }

    /** Sends an event asynchronously, labelled by its topic and key; {@link #flush()} waits for every send. */
    public <V> Future<RecordMetadata> send(Topic<String, V> topic, String key, V value) {
        return send(topic, key, value, topic.name() + " " + key);
    }

    /** Sends an event asynchronously; if it is not delivered it is reported under {@code label}. */
    public <V> Future<RecordMetadata> send(Topic<String, V> topic, String key, V value, String label) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        return sendBytes(topic, key, bytes, label);
    }

    /** Sends already-validated JSON bytes of the topic's event type, labelled by its topic and key. */
    public <V> Future<RecordMetadata> sendBytes(Topic<String, V> topic, String key, byte[] bytes) {
        return sendBytes(topic, key, bytes, topic.name() + " " + key);
    }

    /** Sends already-validated JSON bytes; if they are not delivered they are reported under {@code label}. */
    public <V> Future<RecordMetadata> sendBytes(Topic<String, V> topic, String key, byte[] bytes, String label) {
        long sequence = sends.getAndIncrement();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                topic.name(),
                null,
                key,
                bytes,
                topic.type() == null
                        ? null
                        : CloudEvents.headers(topic.type(), UUID.randomUUID().toString(), SOURCE));
        try {
            return producer.send(record, (metadata, error) -> {
                if (error != null) {
                    failed(sequence, label, error);
                }
            });
        } catch (RuntimeException e) {
            // Not an ApiException (those reach the callback): the event never entered the producer.
            failed(sequence, label, e);
            return CompletableFuture.failedFuture(e);
        }
    }

    private void failed(long sequence, String label, Exception error) {
        Undelivered u = new Undelivered(label, error.getClass().getSimpleName() + ": " + error.getMessage());
        synchronized (undelivered) {
            undelivered.put(sequence, u);
        }
        onUndelivered.accept(u);
    }

    /** Sends and waits for the broker's acknowledgement. */
    public <V> void sendAndWait(Topic<String, V> topic, String key, V value) {
        try {
            send(topic, key, value).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot publish to " + topic.name() + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic.name(), e);
        }
    }

    /**
     * Waits until every event sent so far is acknowledged or has run out of time, and returns the
     * undelivered ones (all of them since this publisher was made), in the order they were sent.
     */
    public List<Undelivered> awaitDelivery() {
        producer.flush();
        synchronized (undelivered) {
            return List.copyOf(undelivered.values());
        }
    }

    /** Waits until every event sent so far is acknowledged; throws, naming each, if any was not delivered. */
    public void flush() {
        List<Undelivered> failed = awaitDelivery();
        if (!failed.isEmpty()) {
            throw new IllegalStateException("could not deliver " + failed.size() + " event(s) within "
                    + deliveryTimeout.toSeconds() + " s: "
                    + failed.stream().map(Undelivered::toString).collect(Collectors.joining("; ")));
        }
    }

    private static void requireReachable(String bootstrapServers) {
        Map<String, Object> config = ClientSettings.forBootstrap(bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT.toMillis());
        ClientProblems.unusable(config).or(() -> BrokerSilence.certain(config)).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().clusterId().get(REACH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new IllegalStateException(
                    ClientProblems.problem(e, config).orElseGet(() -> BrokerSilence.explain(config, REACH_TIMEOUT)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + bootstrapServers, e);
        }
    }

    /** Closes the producer; events still unsent after a short grace are dropped, so call {@link #awaitDelivery()} first. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
