package io.assay.judge.messaging;

import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

/**
 * How many partitions the judge's repartition topic has, read once per topology from the broker (with an
 * admin client of the kit's, so with every {@code kafka.*} setting) when the first task starts, and whether a record already sits where the repartition would put it: the partition
 * Kafka's built-in partitioner gives its key ({@code murmur2(key) mod partitions}), which is where every
 * Java producer (Assay's own, Kafka Streams') puts it. Such a record skips the repartition topic: the task
 * that reads it is the task the repartition would give it to. Unknown (the broker did not answer within
 * {@link #LOOKUP_TIMEOUT_MS}, or no broker to ask: a test driver) means every record takes the repartition
 * topic for the topology's life, as before this shortcut; the answer is never learned later, so a key's
 * records never switch route while earlier ones are still in the repartition topic.
 */
final class RekeyPartitions {
    /** How long the one lookup waits for the broker. */
    static final int LOOKUP_TIMEOUT_MS = 10_000;

    private static final Logger LOG = Logger.getLogger(RekeyPartitions.class);

    /** Opens an admin client (the caller closes it); null when there is no broker to ask. */
    private final Supplier<Admin> admins;

    private OptionalInt partitions;

    /** A count read with an admin client of {@code admins}. */
    RekeyPartitions(Supplier<Admin> admins) {
        this.admins = admins;
    }

    /** A known count, without a broker (tests). */
    static RekeyPartitions of(int partitions) {
        RekeyPartitions p = new RekeyPartitions(null);
        p.partitions = OptionalInt.of(partitions);
        return p;
    }

    /** The count, looked up on the first call; empty when the lookup failed. */
    synchronized OptionalInt get(String applicationId) {
        if (partitions == null) {
            partitions = admins == null ? OptionalInt.empty() : lookUp(JudgeTopology.rekeyTopic(applicationId));
        }
        return partitions;
    }

    private OptionalInt lookUp(String topic) {
        try (Admin admin = admins.get()) {
            int n = admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(LOOKUP_TIMEOUT_MS))
                    .allTopicNames()
                    .get(LOOKUP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .get(topic)
                    .partitions()
                    .size();
            LOG.debugf("%s has %d partitions: records already on theirs skip it", topic, n);
            return OptionalInt.of(n);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warnf("cannot read the partitions of %s (%s): every item and response goes through it", topic, e);
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /**
     * Whether a record with {@code key} read from {@code partition} is where the repartition topic of
     * {@code partitions} partitions would put it.
     */
    static boolean inPlace(byte[] key, int partition, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions == partition;
    }
}
