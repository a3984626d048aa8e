package io.assay.systemtests.faults;

import io.assay.contracts.ModelResponse;
import io.assay.contracts.Topic;
import io.assay.contracts.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the broker holds after a run: every consumer group's lag, and every paid answer per request. */
public final class Ledger {
    private Ledger() {}

    /**
     * Every partition on which a consumer group (plain consumers and Kafka Streams applications alike)
     * has records left to read, as "group topic-partition: records"; empty when every group has read
     * everything. A committed offset below the end offset is not lag by itself: on a topic written in
     * transactions the last offset is a commit marker, which a reader that has read every record may
     * not have committed past. So where the offsets differ, the records between them are read
     * (read_committed, as the services read) and counted.
     */
    public static List<String> lags(String bootstrapServers) throws ExecutionException, InterruptedException {
        List<String> behind = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
                KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers)) {
            Set<String> groups = new TreeSet<>();
            for (ConsumerGroupListing g : admin.listConsumerGroups().all().get()) {
                groups.add(g.groupId());
            }
            for (String group : groups) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get();
                Map<TopicPartition, Long> end = admin
                        .listOffsets(committed.keySet().stream()
                                .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest())))
                        .all()
                        .get()
                        .entrySet()
                        .stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey, e -> e.getValue().offset()));
                for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet().stream()
                        .sorted(Comparator.comparing(e -> e.getKey().toString()))
                        .toList()) {
                    long from = e.getValue() == null ? 0 : e.getValue().offset();
                    if (from < end.get(e.getKey())) {
                        long records = recordsBetween(consumer, e.getKey(), from, end.get(e.getKey()));
                        if (records != 0) {
                            behind.add(group + " " + e.getKey() + ": "
                                    + (records < 0 ? "an open transaction" : Long.toString(records)));
                        }
                    }
                }
            }
            return behind;
        }
    }

    /** The committed records of a partition from {@code from} to {@code end}; -1 if a transaction is open. */
    private static long recordsBetween(KafkaConsumer<String, byte[]> consumer, TopicPartition p, long from, long end) {
        consumer.assign(List.of(p));
        consumer.seek(p, from);
        long records = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (consumer.position(p) < end) {
            if (System.nanoTime() > deadline) {
                return -1;
            }
            records += consumer.poll(Duration.ofMillis(200)).count();
        }
        return records;
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        2_000),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** The consumer groups the broker knows, for the report. */
    public static Set<String> groups(String bootstrapServers) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.listConsumerGroups().all().get().stream()
                    .map(ConsumerGroupListing::groupId)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /**
     * What the invoker's answers to one benchmark's requests look like on {@code assay.responses} and
     * its answer log {@code assay.answers}: a provider call is one answer with its own
     * {@code answeredAt}; a record republished after a crash (between "stored" and "marked published",
     * docs/delivery.md) or served from the store carries the stored answer, so the same
     * {@code answeredAt}. A request with two distinct answer times was paid twice.
     *
     * @param requests requests with at least one successful response
     * @param records successful response records (republications included)
     * @param paidTwice requests with more than one distinct answer, with their answer times
     */
    record Answers(int requests, int records, Map<String, Set<String>> paidTwice) {}

    static Answers answers(String bootstrapServers, String benchmark) {
        Map<String, Set<String>> answeredAt = new HashMap<>();
        int records = 0;
        for (Topic<String, ModelResponse> topic : List.of(Topics.RESPONSES, Topics.ANSWERS)) {
            for (ModelResponse r : readAll(bootstrapServers, topic)) {
                if (r == null || !benchmark.equals(r.benchmark()) || r.failed()) {
                    continue;
                }
                if (topic == Topics.RESPONSES) {
                    records++;
                }
                answeredAt.computeIfAbsent(r.requestId(), id -> new TreeSet<>()).add(String.valueOf(r.answeredAt()));
            }
        }
        Map<String, Set<String>> twice = answeredAt.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        return new Answers(answeredAt.size(), records, twice);
    }

    /** Every value of a topic from the beginning to its current end (read_uncommitted: all written). */
    private static <V> List<V> readAll(String bootstrapServers, Topic<String, V> topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        2_000),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<V> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic.name() + " to its end within 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    // A published mark of an answer without a content key is empty (docs/delivery.md).
                    if (r.value() != null && r.value().length > 0) {
                        values.add(topic.valueSerde().deserializer().deserialize(topic.name(), r.value()));
                    }
                });
            }
            return values;
        }
    }
}
