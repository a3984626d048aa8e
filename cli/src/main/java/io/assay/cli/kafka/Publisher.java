package io.assay.cli.kafka;

import io.assay.contracts.CloudEvents;
import io.assay.contracts.Topic;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes events the way every Assay producer does: JSON value, CloudEvents headers, acks from all replicas. */
public final class Publisher implements AutoCloseable {
    private static final String SOURCE = "/assay/cli";
    private static final Duration REACH_TIMEOUT = Duration.ofSeconds(8);

    private final KafkaProducer<String, byte[]> producer;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    /**
     * A publisher to the broker at {@code bootstrapServers}. It checks first that the broker answers,
     * so a stopped stack is one clear error rather than a long wait on every event.
     */
    public Publisher(String bootstrapServers) {
        requireReachable(bootstrapServers);
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.LINGER_MS_CONFIG, 5,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** Sends an event asynchronously; {@link #flush()} waits for every send. */
    public <V> Future<RecordMetadata> send(Topic<String, V> topic, String key, V value) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        return sendBytes(topic, key, bytes);
    }

    /** Sends already-validated JSON bytes of the topic's event type. */
    public <V> Future<RecordMetadata> sendBytes(Topic<String, V> topic, String key, byte[] bytes) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                topic.name(),
                null,
                key,
                bytes,
                topic.type() == null
                        ? null
                        : CloudEvents.headers(topic.type(), UUID.randomUUID().toString(), SOURCE));
        return producer.send(record, (metadata, error) -> {
            if (error != null) {
                failures.incrementAndGet();
                firstFailure.compareAndSet(null, error);
            }
        });
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

    /** Waits until every event sent so far is acknowledged; throws if any could not be published. */
    public void flush() {
        producer.flush();
        Exception failure = firstFailure.get();
        if (failure != null) {
            throw new IllegalStateException(
                    "could not publish " + failures.get() + " event(s): " + failure.getMessage(), failure);
        }
    }

    private static void requireReachable(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) REACH_TIMEOUT.toMillis()))) {
            admin.describeCluster().clusterId().get(REACH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " within "
                    + REACH_TIMEOUT.toSeconds() + " s; is the stack running? (./assay status, ./assay up)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + bootstrapServers, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
