package io.assay.aggregator.messaging;

import io.assay.contracts.Topics;
import io.assay.kit.kafka.KafkaClients;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Which aggregator replica publishes the snapshots: the one that holds partition 0 of
 * {@code assay.leaderboards} in the consumer group {@value #GROUP}. Every replica folds every judgment
 * (each under its own application id), so each could publish; one does, so that the snapshots of a view
 * on the topic never alternate between two replicas' states (one a few judgments behind the other).
 *
 * <p>The group is only a lease: its consumer reads nothing (every partition it gets is paused). A
 * replica that stops cleanly leaves the group and another takes the lease within a rebalance; one
 * that is killed loses it after the group's session timeout (the kit's, {@code KafkaClients#SESSION_TIMEOUT_MS},
 * 10 s unless {@code kafka.session.timeout.ms} says otherwise). Between the two, for at most that long, no replica
 * publishes; the next holder publishes every view once (see {@link SnapshotPublisher}). See
 * docs/aggregation.md, "Replicas".
 */
@ApplicationScoped
public class SnapshotLease {
    /** The consumer group whose member holding partition 0 of {@code assay.leaderboards} publishes. */
    public static final String GROUP = "assay-aggregator-snapshots";

    private static final Logger LOG = Logger.getLogger(SnapshotLease.class);
    private static final TopicPartition LEASE = new TopicPartition(Topics.LEADERBOARDS.name(), 0);

    /** Makes the lease's consumer of a group and role ({@link KafkaClients#leaseConsumer}). */
    private final BiFunction<String, String, Consumer<byte[], byte[]>> consumers;

    private final String group;
    private final AtomicLong gained = new AtomicLong();
    private volatile boolean held;
    private volatile boolean stopping;
    private volatile Consumer<byte[], byte[]> consumer;
    private Thread thread;

    /** A lease taken through {@code clients}, its state the gauge {@code assay.aggregator.snapshot.lease}. */
    @Inject
    public SnapshotLease(KafkaClients clients, MeterRegistry meters) {
        this(clients, meters, GROUP);
    }

    /** A lease in {@code group} (tests take their own). */
    SnapshotLease(KafkaClients clients, MeterRegistry meters, String group) {
        this(clients::leaseConsumer, meters, group);
    }

    /** A lease in {@code group} whose consumers {@code consumers} makes (a test's may fail). */
    SnapshotLease(BiFunction<String, String, Consumer<byte[], byte[]>> consumers, MeterRegistry meters, String group) {
        this.consumers = consumers;
        this.group = group;
        Gauge.builder("assay.aggregator.snapshot.lease", this, l -> l.held ? 1 : 0)
                .description("1 while this replica publishes the leaderboard snapshots")
                .register(meters);
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "assay-snapshot-lease");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        Consumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(Duration.ofSeconds(10).toMillis());
        }
    }

    /** Whether this replica publishes now. */
    public boolean held() {
        return held;
    }

    /** Counts the times this replica took the lease: a new value means publish every view again. */
    public long gained() {
        return gained.get();
    }

    private void run() {
        while (!stopping) {
            try (Consumer<byte[], byte[]> c = consumers.apply(group, "snapshot-lease")) {
                consumer = c;
                c.subscribe(List.of(LEASE.topic()), new Listener(c));
                while (!stopping) {
                    c.poll(Duration.ofSeconds(1));
                }
            } catch (WakeupException e) {
                // stopping
            } catch (KafkaException e) {
                // The broker or the group is unreachable: hold nothing, join again.
                LOG.warnf("the snapshot lease was lost (%s); joining %s again", e.getMessage(), group);
                set(false);
                pause();
            } catch (RuntimeException | OutOfMemoryError e) {
                // Anything else (an OutOfMemoryError of a view computed meanwhile): a thread that died here would
                // leave held true while its consumer left the group, and another replica would publish too.
                LOG.errorf(e, "the snapshot lease's thread failed; joining %s again", group);
                set(false);
                pause();
            } finally {
                consumer = null;
            }
        }
        set(false);
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    private void set(boolean now) {
        if (now && !held) {
            gained.incrementAndGet();
            LOG.infof("this replica publishes the leaderboard snapshots now (it holds %s in %s)", LEASE, group);
        } else if (!now && held) {
            LOG.infof("this replica no longer publishes the leaderboard snapshots");
        }
        held = now;
    }

    /** Pauses what it is given (nothing is read) and holds the lease while partition 0 is among it. */
    private final class Listener implements ConsumerRebalanceListener {
        private final Consumer<byte[], byte[]> consumer;

        Listener(Consumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            consumer.pause(consumer.assignment());
            if (partitions.contains(LEASE)) {
                set(true);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.contains(LEASE)) {
                set(false);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
