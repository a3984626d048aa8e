package io.assay.cli.bench;

import io.assay.cli.kafka.TopicReader;
import io.assay.contracts.Json;
import io.assay.contracts.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows {@code assay.leaderboards} for one benchmark and notes when a snapshot first counts a given
 * number of judgments: the moment the leaderboard shows them, seen from outside the aggregator.
 *
 * <p>It costs the aggregator nothing: the snapshots are published anyway. Polling the aggregator
 * instead does not: a scrape of {@code /q/metrics} took it about 58 ms of CPU with one benchmark of 4
 * models (some 2,500 series, most of them Kafka clients' metrics, 2026-12-03), and the pipeline bench
 * scraped once a second, then every 100 ms near the end: up to some 5 s of the aggregator's CPU in a run,
 * in what the bench measures; and every read of the API passes over the benchmark's slots.
 */
final class LeaderboardWatch implements AutoCloseable {
    private final String prefix;
    private final long target;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final AtomicLong judgments = new AtomicLong();
    private final CountDownLatch reached = new CountDownLatch(1);
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private volatile long reachedAt;
    private volatile boolean closed;

    /** Starts following {@code benchmark}'s snapshots from the topic's beginning, until {@link #close}. */
    LeaderboardWatch(String bootstrapServers, String benchmark, long target) {
        this.prefix = benchmark + "/";
        this.target = target;
        this.consumer = TopicReader.consumer(bootstrapServers);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.LEADERBOARDS.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::follow, "bench-leaderboard-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** The most judgments a snapshot of the benchmark counted so far. */
    long judgments() {
        return judgments.get();
    }

    /**
     * Waits until a snapshot counts the target.
     *
     * @return when it was seen ({@link System#nanoTime}), or -1 if not within {@code timeout}
     */
    long awaitTarget(Duration timeout) throws InterruptedException {
        if (!reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            RuntimeException e = failure.get();
            if (e != null) {
                throw new IllegalStateException("could not follow " + Topics.LEADERBOARDS.name() + ": " + e, e);
            }
            return -1;
        }
        return reachedAt;
    }

    private void follow() {
        try {
            while (!closed) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null || r.value() == null || !r.key().startsWith(prefix)) {
                        continue;
                    }
                    long counted = Json.tree(r.value()).path("judgments").asLong();
                    if (judgments.accumulateAndGet(counted, Math::max) >= target && reached.getCount() > 0) {
                        reachedAt = System.nanoTime();
                        reached.countDown();
                    }
                }
            }
        } catch (WakeupException e) {
            // closed
        } catch (RuntimeException e) {
            failure.set(e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(5_000);
    }
}
