package io.assay.cli.bench;

import io.assay.cli.kafka.ClientSettings;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/**
 * What the broker's logs hold per topic, internal topics included: records (the partitions' end offsets,
 * so transaction markers count as records) and bytes (the logs' size on disk, batch headers included).
 * Two readings subtracted ({@link #since}) are what a run made the broker write: the work it did besides
 * serving reads, which a pipeline's CPU figure for the broker hides.
 *
 * @param topics per topic, its records and bytes
 */
public record BrokerWrites(Map<String, Log> topics) {
    /**
     * @param records end offsets summed over the partitions
     * @param bytes log sizes summed over the partitions
     */
    public record Log(long records, long bytes) {
        Log plus(Log o) {
            return new Log(records + o.records, bytes + o.bytes);
        }

        Log minus(Log o) {
            return new Log(records - o.records, bytes - o.bytes);
        }
    }

    /** Reads every partition of every topic of the broker at {@code bootstrap}. */
    public static BrokerWrites read(String bootstrap) {
        Properties p = new Properties();
        p.putAll(ClientSettings.forBootstrap(bootstrap));
        try (Admin admin = Admin.create(p)) {
            var brokers =
                    admin.describeCluster().nodes().get().stream().map(Node::id).toList();
            Map<TopicPartition, Long> sizes = new HashMap<>();
            for (Map<String, LogDirDescription> dirs :
                    admin.describeLogDirs(brokers).allDescriptions().get().values()) {
                for (LogDirDescription dir : dirs.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> r :
                            dir.replicaInfos().entrySet()) {
                        sizes.merge(r.getKey(), r.getValue().size(), Long::sum);
                    }
                }
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(
                            sizes.keySet().stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all()
                    .get();
            Map<String, Log> topics = new TreeMap<>();
            sizes.forEach(
                    (tp, bytes) -> topics.merge(tp.topic(), new Log(ends.get(tp).offset(), bytes), Log::plus));
            return new BrokerWrites(topics);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the broker's logs: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the broker's logs", e);
        }
    }

    /** What was written since {@code before}: per topic, the difference (a topic created since counts from 0). */
    public BrokerWrites since(BrokerWrites before) {
        Map<String, Log> d = new TreeMap<>();
        topics.forEach((t, now) -> {
            Log was = before.topics.getOrDefault(t, new Log(0, 0));
            Log written = now.minus(was);
            if (written.records != 0 || written.bytes != 0) {
                d.put(t, written);
            }
        });
        return new BrokerWrites(d);
    }

    /** Records and bytes written in all. */
    public Log total() {
        return topics.values().stream().reduce(new Log(0, 0), Log::plus);
    }

    /**
     * One line: per unit of work ({@code per} of them), the records and kilobytes in all, then the {@code top}
     * topics by bytes, e.g. {@code 9.9 records, 8.61 KB: assay.answers 2.0 / 2.17 KB, ...}.
     */
    public String perUnit(long per, int top) {
        Log all = total();
        String topics = this.topics.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().bytes, a.getValue().bytes))
                .limit(top)
                .map(e -> String.format(
                        Locale.ROOT,
                        "%s %.2f / %.2f KB",
                        e.getKey(),
                        (double) e.getValue().records / per,
                        e.getValue().bytes / 1000.0 / per))
                .collect(Collectors.joining(", "));
        return String.format(
                Locale.ROOT,
                "%.2f records, %.2f KB%s%s",
                (double) all.records / per,
                all.bytes / 1000.0 / per,
                topics.isEmpty() ? "" : ": ",
                topics);
    }
}
