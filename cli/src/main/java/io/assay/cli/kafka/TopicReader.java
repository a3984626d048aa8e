package io.assay.cli.kafka;

import io.assay.contracts.Topic;
import io.assay.kit.kafka.ClientProblems;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole topic, from the beginning up to the end offsets seen when reading starts (no group,
 * no commits). Fails at once when every bootstrap address refuses connections, and when the broker does not answer,
 * or the reading makes no progress, for 15 s; a broker that does not answer is named with what a plain TCP connection
 * finds at its address ({@link BrokerSilence}).
 */
public final class TopicReader {
    private static final Duration POLL = Duration.ofMillis(300);
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private TopicReader() {}

    /** Streams every record of {@code topic} up to its current end to {@code each}, partition by partition in order. */
    public static void readAll(String bootstrapServers, String topic, Consumer<ConsumerRecord<String, byte[]>> each) {
        Map<String, Object> settings = ClientSettings.forBootstrap(bootstrapServers);
        ClientProblems.unusable(settings)
                .or(() -> BrokerSilence.certain(settings))
                .ifPresent(problem -> {
                    throw new IllegalStateException(problem);
                });
        try {
            read(bootstrapServers, topic, each);
        } catch (KafkaException e) {
            Optional<String> problem = ClientProblems.problem(e, settings);
            if (problem.isPresent()) {
                throw new IllegalStateException(problem.get(), e);
            }
            if (e instanceof TimeoutException) {
                // the broker did not answer the metadata or offsets request: say what is at its address
                throw new IllegalStateException(BrokerSilence.explain(settings, PATIENCE), e);
            }
            throw e;
        }
    }

    private static void read(String bootstrapServers, String topic, Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, PATIENCE).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, PATIENCE);
            long lastProgress = System.nanoTime();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > PATIENCE.toNanos()) {
                    throw new IllegalStateException(
                            "could not read " + topic + " to its end: no progress for " + PATIENCE.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        each.accept(r);
                    }
                }
            }
        }
    }

    /** The keys of a compacted topic (registered models, benchmarks) whose latest value is not a tombstone. */
    public static Set<String> liveKeys(String bootstrapServers, Topic<String, ?> topic) {
        Map<String, Boolean> latest = new HashMap<>();
        readAll(bootstrapServers, topic.name(), r -> {
            if (r.key() != null) {
                latest.put(r.key(), r.value() != null);
            }
        });
        Set<String> live = new HashSet<>();
        latest.forEach((key, alive) -> {
            if (alive) {
                live.add(key);
            }
        });
        return live;
    }

    /** A consumer of string keys and byte values, without a group. */
    public static KafkaConsumer<String, byte[]> consumer(String bootstrapServers) {
        Map<String, Object> config = ClientSettings.forBootstrap(bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
