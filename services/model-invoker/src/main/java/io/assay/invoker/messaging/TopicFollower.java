package io.assay.invoker.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads a compacted topic from the beginning on its own thread and keeps following it. A plain
 * consumer with {@code assign} (no group, no commits): every replica needs the whole topic, which
 * is re-read at each start and kept small by compaction. Says once when it has read up to the end
 * offsets seen at start (caught up); waits for the topic to exist (the CLI or the chart creates it).
 */
final class TopicFollower {
    private static final Logger LOG = Logger.getLogger(TopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long RETRY_MS = 500;

    private final String topic;
    private final String clientId;
    private final String bootstrapServers;
    private final Consumer<ConsumerRecord<String, byte[]>> apply;
    private final Runnable caughtUp;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /**
     * @param apply called with every record, in order per partition
     * @param caughtUp called once, when the end offsets seen at start are reached
     */
    TopicFollower(
            String topic,
            String clientId,
            String bootstrapServers,
            Consumer<ConsumerRecord<String, byte[]>> apply,
            Runnable caughtUp) {
        this.topic = topic;
        this.clientId = clientId;
        this.bootstrapServers = bootstrapServers;
        this.apply = apply;
        this.caughtUp = caughtUp;
    }

    void start() {
        thread = new Thread(this::run, clientId);
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(Duration.ofSeconds(5).toMillis());
        }
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        clientId),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = partitions(c);
            if (partitions.isEmpty()) {
                return;
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            LOG.infof("reading %s (%d partitions) from the beginning, end offsets %s", topic, partitions.size(), end);
            long started = System.nanoTime();
            boolean done = false;
            while (running) {
                for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                    apply.accept(record);
                }
                if (!done && partitions.stream().allMatch(tp -> c.position(tp) >= end.get(tp))) {
                    done = true;
                    LOG.infof("%s read to its end offsets in %d ms", topic, (System.nanoTime() - started) / 1_000_000);
                    caughtUp.run();
                }
            }
        } catch (WakeupException e) {
            // Shutdown.
        } catch (RuntimeException e) {
            LOG.errorf(e, "reader of %s stopped", topic);
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
        while (running) {
            try {
                List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
                if (!partitions.isEmpty()) {
                    return partitions;
                }
            } catch (TimeoutException e) {
                LOG.warnf("waiting for topic %s: %s", topic, e.getMessage());
            }
            try {
                Thread.sleep(RETRY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }
}
