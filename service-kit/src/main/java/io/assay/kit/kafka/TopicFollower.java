package io.assay.kit.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads topics from the beginning on its own thread and keeps following them: a reader outside any
 * group ({@link KafkaClients#reader}), because every replica needs all of a compacted topic, which it
 * re-reads at each start. It says when it has read up to the end offsets it saw at start (caught up),
 * waits for the topics to exist (the CLI, the chart or the test broker creates them), and goes on after a
 * retriable error of the client (a timeout while the broker is slow or away) from where it was: before,
 * such an error stopped it for good, and what waited for it (the invoker's answer-store readiness) waited
 * forever. An error that is not retriable (an authorization refused, a record its owner cannot apply) stops
 * it: the service's liveness then fails ({@link #stopped}, {@code health/KafkaLiveness}), so that the
 * platform restarts it rather than leave it serving what it read before.
 */
public final class TopicFollower implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long RETRY_MS = 500;
    /** The followers started and not closed in this JVM. */
    private static final Set<TopicFollower> OPEN = ConcurrentHashMap.newKeySet();

    private final List<String> topics;
    private final Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers;
    private final Consumer<ConsumerRecord<String, byte[]>> apply;
    private final Runnable onCaughtUp;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private volatile RuntimeException failure;
    private final Thread thread;

    /**
     * Starts following {@code topics} on a new thread.
     *
     * @param name the thread's name
     * @param topics the topics, read together
     * @param consumers makes the reader (called once, on the follower's thread)
     * @param apply called with every record, in order per partition, on the follower's thread
     * @param onCaughtUp called once, on the follower's thread, when the end offsets seen at start are reached
     */
    public static TopicFollower start(
            String name,
            List<String> topics,
            Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers,
            Consumer<ConsumerRecord<String, byte[]>> apply,
            Runnable onCaughtUp) {
        TopicFollower follower = new TopicFollower(name, topics, consumers, apply, onCaughtUp);
        OPEN.add(follower);
        follower.thread.start();
        return follower;
    }

    private TopicFollower(
            String name,
            List<String> topics,
            Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers,
            Consumer<ConsumerRecord<String, byte[]>> apply,
            Runnable onCaughtUp) {
        this.topics = List.copyOf(topics);
        this.consumers = consumers;
        this.apply = apply;
        this.onCaughtUp = onCaughtUp;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** Whether the end offsets seen at start have been reached. */
    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Waits until {@link #caughtUp}; false when {@code timeout} passed first. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the follower stopped on an error that is not retriable (it then reads nothing more). */
    public boolean failed() {
        return failure != null;
    }

    /**
     * The followers of this JVM, started and not closed, that stopped on an error that is not retriable: each
     * as its topics and the error, sorted; empty when every one is reading.
     */
    public static List<String> stopped() {
        return OPEN.stream()
                .filter(TopicFollower::failed)
                .map(f -> f.topics + ": " + f.failure)
                .sorted()
                .toList();
    }

    @Override
    public void close() throws InterruptedException {
        OPEN.remove(this);
        running = false;
        var c = consumer;
        if (c != null) {
            c.wakeup();
        }
        thread.join(Duration.ofSeconds(5).toMillis());
    }

    private void run() {
        try (var c = consumers.get()) {
            consumer = c;
            List<TopicPartition> partitions = partitions(c);
            if (partitions.isEmpty()) {
                return;
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = null;
            while (running && end == null) {
                try {
                    end = c.endOffsets(partitions);
                } catch (RetriableException e) {
                    retryLater(e);
                }
            }
            LOG.infof("reading %s (%d partitions) from the beginning", topics, partitions.size());
            long started = System.nanoTime();
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                        apply.accept(record);
                    }
                    if (!caughtUp() && reachedEnd(c, partitions, end)) {
                        LOG.infof(
                                "%s read to its end offsets in %d ms",
                                topics, (System.nanoTime() - started) / 1_000_000);
                        onCaughtUp.run();
                        caughtUp.countDown();
                    }
                } catch (RetriableException e) {
                    // The consumer keeps its assignment and positions: go on from where it was.
                    retryLater(e);
                }
            }
        } catch (WakeupException e) {
            // Closed.
        } catch (RuntimeException e) {
            failure = e;
            LOG.errorf(e, "the reader of %s stopped", topics);
        }
    }

    private static boolean reachedEnd(
            org.apache.kafka.clients.consumer.Consumer<String, byte[]> c,
            List<TopicPartition> partitions,
            Map<TopicPartition, Long> end) {
        return partitions.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
    }

    /**
     * After a retriable error of the client (a timeout while the broker is slow or away): the follower waits and
     * tries again, rather than stop for good and leave what waits for it (a readiness check) waiting forever.
     */
    private void retryLater(RetriableException e) {
        LOG.warnf("reading %s: %s; trying again", topics, e.toString());
        try {
            Thread.sleep(RETRY_MS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private List<TopicPartition> partitions(org.apache.kafka.clients.consumer.Consumer<String, byte[]> c) {
        while (running) {
            try {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : topics) {
                    var info = c.partitionsFor(topic);
                    if (info == null || info.isEmpty()) {
                        partitions.clear();
                        break;
                    }
                    info.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
                if (!partitions.isEmpty()) {
                    return partitions;
                }
                LOG.infof("waiting for the topics %s to exist", topics);
            } catch (TimeoutException e) {
                LOG.warnf("waiting for the topics %s: %s", topics, e.getMessage());
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
