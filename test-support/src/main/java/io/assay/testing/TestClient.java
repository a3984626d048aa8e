package io.assay.testing;

import io.assay.contracts.CloudEvents;
import io.assay.contracts.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces and reads events in tests, through the topics' own serdes. */
public final class TestClient implements AutoCloseable {
    private final Map<String, Object> clientSettings;
    private final KafkaProducer<String, byte[]> producer;

    /** A client with these settings (bootstrap servers, and the login of a secured broker). */
    TestClient(Map<String, Object> clientSettings) {
        this.clientSettings = Map.copyOf(clientSettings);
        Map<String, Object> config = new HashMap<>(clientSettings);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Publishes an event (a {@code null} value is a tombstone) and waits for the ack. */
    public <V> void send(Topic<String, V> topic, String key, V value) {
        byte[] bytes = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.name(), key, bytes);
        if (topic.type() != null) {
            record.headers().add(CloudEvents.TYPE, topic.type().cloudEventType().getBytes(StandardCharsets.UTF_8));
        }
        sendRecord(record);
    }

    /** Publishes an event with {@code headers} added (a {@code traceparent}, say) and waits for the ack. */
    public <V> void send(Topic<String, V> topic, String key, V value, Map<String, String> headers) {
        byte[] bytes = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.name(), key, bytes);
        if (topic.type() != null) {
            record.headers().add(CloudEvents.TYPE, topic.type().cloudEventType().getBytes(StandardCharsets.UTF_8));
        }
        headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
        sendRecord(record);
    }

    /** Publishes raw bytes, e.g. a malformed event. */
    public void sendRaw(String topic, String key, byte[] value) {
        sendRecord(new ProducerRecord<>(topic, key, value));
    }

    /** Publishes raw text. */
    public void sendRaw(String topic, String key, String value) {
        sendRaw(topic, key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Every record currently on a topic, read from the beginning to the current end. */
    public List<ConsumerRecord<String, byte[]>> readAllRaw(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** Every value currently on a topic (tombstones skipped). */
    public <V> List<V> readAll(Topic<String, V> topic) {
        return readAllRaw(topic.name()).stream()
                .filter(r -> r.value() != null)
                .map(r -> topic.valueSerde().deserializer().deserialize(topic.name(), r.value()))
                .collect(Collectors.toList());
    }

    /**
     * Waits until at least {@code count} values on the topic match, and returns the matches.
     * Fails with what it saw when the timeout passes.
     */
    public <V> List<V> await(Topic<String, V> topic, Predicate<V> match, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<V> matches = List.of();
        while (System.nanoTime() < deadline) {
            matches = readAll(topic).stream().filter(match).toList();
            if (matches.size() >= count) {
                return matches;
            }
            sleep(200);
        }
        throw new AssertionError("expected " + count + " matching events on " + topic.name() + " within " + timeout
                + ", saw " + matches.size());
    }

    /** Waits for records on a raw topic (e.g. dead letters) that match. */
    public List<ConsumerRecord<String, byte[]>> awaitRaw(
            String topic, Predicate<ConsumerRecord<String, byte[]>> match, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<String, byte[]>> matches = List.of();
        while (System.nanoTime() < deadline) {
            matches = readAllRaw(topic).stream().filter(match).toList();
            if (matches.size() >= count) {
                return matches;
            }
            sleep(200);
        }
        throw new AssertionError("expected " + count + " matching records on " + topic + " within " + timeout + ", saw "
                + matches.size());
    }

    /** A header's value as text, {@code null} when absent. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private void sendRecord(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + record.topic(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(clientSettings);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
