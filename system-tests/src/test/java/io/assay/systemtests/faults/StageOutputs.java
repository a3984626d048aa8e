package io.assay.systemtests.faults;

import io.assay.contracts.Judgment;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Purpose;
import io.assay.contracts.Topic;
import io.assay.contracts.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows what the stages emit for one benchmark — prompts, responses, judgments, committed records
 * only, as the services read them — noting when the test saw each record, so a test can tell which
 * judgments were made from work a restarted service did after its predecessor was killed.
 *
 * <p>"After the kill" is told by offsets, not clocks: a {@link #mark()} taken once the killed process
 * has exited holds each partition's last stable offset, and a record at or past it was written later.
 */
public final class StageOutputs implements AutoCloseable {
    private static final List<Topic<String, ?>> FOLLOWED = List.of(Topics.PROMPTS, Topics.RESPONSES, Topics.JUDGMENTS);

    /**
     * A record seen: when (System.nanoTime), where, the request it belongs to, and whether it is an
     * LLM judge's call (a prompt the judge wrote, or its response) rather than a candidate's.
     */
    private record Seen(long nanos, TopicPartition partition, long offset, String requestId, boolean judgeCall) {}

    /** What a record of this benchmark is about. */
    private record Subject(String requestId, boolean judgeCall) {}

    /** The last stable offset of every followed partition at one moment. */
    public record Mark(Map<TopicPartition, Long> offsets) {
        boolean before(Seen s) {
            return s.offset() < offsets.getOrDefault(s.partition(), 0L);
        }
    }

    private final String benchmark;
    private final Admin admin;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Map<String, ConcurrentLinkedQueue<Seen>> seen;
    /** How far the follower has read each partition: every committed record below it has been seen. */
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();

    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicReference<String> lastError = new AtomicReference<>("none");
    private final Thread thread;

    public StageOutputs(String bootstrapServers, String benchmark) {
        this.benchmark = benchmark;
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        partitions = FOLLOWED.stream()
                .flatMap(t ->
                        consumer.partitionsFor(t.name()).stream().map(p -> new TopicPartition(t.name(), p.partition())))
                .toList();
        seen = FOLLOWED.stream().collect(Collectors.toMap(Topic::name, t -> new ConcurrentLinkedQueue<>()));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::follow, "stage-outputs");
        thread.setDaemon(true);
        thread.start();
    }

    /** Each followed partition's last stable offset now. */
    public Mark mark() throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> offsets = admin
                .listOffsets(
                        partitions.stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest())),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get()
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        return new Mark(offsets);
    }

    /**
     * When the first judgment written after {@code mark} was seen whose request had nothing on
     * {@code upstream} before it — a judgment that needed the upstream stage to work after the mark.
     * With {@code upstream} {@link Topics#JUDGMENTS}, any judgment written after the mark. Empty until
     * the follower has read {@code upstream} up to the mark, so a lagging read is not taken for news.
     */
    OptionalLong firstJudgmentAfter(Mark mark, Topic<String, ?> upstream) {
        if (!caughtUp(mark, upstream)) {
            return OptionalLong.empty();
        }
        Set<String> earlier = seen.get(upstream.name()).stream()
                .filter(mark::before)
                .map(Seen::requestId)
                .collect(Collectors.toSet());
        return seen.get(Topics.JUDGMENTS.name()).stream()
                .filter(j -> !mark.before(j) && !earlier.contains(j.requestId()))
                .mapToLong(Seen::nanos)
                .min();
    }

    /** Waits up to {@code patience} for {@link #firstJudgmentAfter}. */
    OptionalLong awaitFirstJudgmentAfter(Mark mark, Topic<String, ?> upstream, Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        OptionalLong first = firstJudgmentAfter(mark, upstream);
        while (first.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            first = firstJudgmentAfter(mark, upstream);
        }
        return first;
    }

    /**
     * When the first record on {@code topic} written after {@code mark} was seen; with
     * {@code candidatesOnly}, LLM judges' calls are passed over (the judge writes those prompts, not
     * the prompt generator). Empty until the follower has read {@code topic} up to the mark.
     */
    public OptionalLong firstAfter(Mark mark, Topic<String, ?> topic, boolean candidatesOnly) {
        return firstAfter(mark, topic, candidatesOnly, null);
    }

    /** {@link #firstAfter(Mark, Topic, boolean)} on the partitions numbered {@code partitions} only; all with {@code null}. */
    public OptionalLong firstAfter(Mark mark, Topic<String, ?> topic, boolean candidatesOnly, Set<Integer> partitions) {
        if (!caughtUp(mark, topic)) {
            return OptionalLong.empty();
        }
        return seen.get(topic.name()).stream()
                .filter(s ->
                        partitions == null || partitions.contains(s.partition().partition()))
                .filter(s -> !mark.before(s) && !(candidatesOnly && s.judgeCall()))
                .mapToLong(Seen::nanos)
                .min();
    }

    /** Waits up to {@code patience} for {@link #firstAfter}. */
    public OptionalLong awaitFirstAfter(Mark mark, Topic<String, ?> topic, boolean candidatesOnly, Duration patience)
            throws InterruptedException {
        return awaitFirstAfter(mark, topic, candidatesOnly, null, patience);
    }

    /** Waits up to {@code patience} for {@link #firstAfter(Mark, Topic, boolean, Set)}. */
    public OptionalLong awaitFirstAfter(
            Mark mark, Topic<String, ?> topic, boolean candidatesOnly, Set<Integer> partitions, Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        OptionalLong first = firstAfter(mark, topic, candidatesOnly, partitions);
        while (first.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            first = firstAfter(mark, topic, candidatesOnly, partitions);
        }
        return first;
    }

    private boolean caughtUp(Mark mark, Topic<String, ?> topic) {
        return mark.offsets().entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic.name()))
                .allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    /** How many judgment records (redeliveries included) have been seen. */
    int judgmentRecords() {
        return seen.get(Topics.JUDGMENTS.name()).size();
    }

    /**
     * Reads until closed. While the broker is down (the fault suite kills it), {@code poll} and
     * {@code position} throw timeouts and retriable errors; the follower keeps going, or it would stop
     * seeing anything and every later recovery would look like none.
     */
    private void follow() {
        try {
            while (true) {
                try {
                    readOnce();
                } catch (WakeupException closing) {
                    throw closing;
                } catch (KafkaException e) {
                    errors.incrementAndGet();
                    lastError.set(e.toString());
                    Thread.sleep(200);
                }
            }
        } catch (WakeupException | InterruptedException closing) {
            // close() ends the loop
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** One poll: notes this benchmark's records and how far each partition has been read. */
    private void readOnce() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            Subject subject = subject(r);
            if (subject != null) {
                seen.get(r.topic())
                        .add(new Seen(
                                System.nanoTime(),
                                new TopicPartition(r.topic(), r.partition()),
                                r.offset(),
                                subject.requestId(),
                                subject.judgeCall()));
            }
        }
        partitions.forEach(p -> positions.put(p, consumer.position(p, Duration.ofSeconds(5))));
    }

    /**
     * What the follower has seen, for a failure message: records per topic, how far it has read each
     * followed topic against {@code mark}, and the errors it rode out.
     */
    public String describe(Mark mark) {
        StringBuilder b = new StringBuilder("test follower: ");
        for (Topic<String, ?> t : FOLLOWED) {
            long behind = mark.offsets().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(t.name()))
                    .filter(e -> positions.getOrDefault(e.getKey(), 0L) < e.getValue())
                    .count();
            b.append(String.format(
                    "%s %d records seen, %d partitions not yet read to the mark; ",
                    t.name(), seen.get(t.name()).size(), behind));
        }
        return b.append(String.format("%d read errors ridden out (last: %s)", errors.get(), lastError.get()))
                .toString();
    }

    /** What a record of this benchmark is about; {@code null} for other benchmarks' records. */
    private Subject subject(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        if (r.topic().equals(Topics.PROMPTS.name())) {
            PromptRequest p = Topics.PROMPTS.valueSerde().deserializer().deserialize(r.topic(), r.value());
            return benchmark.equals(p.benchmark()) ? new Subject(p.requestId(), p.purpose() == Purpose.JUDGE) : null;
        }
        if (r.topic().equals(Topics.RESPONSES.name())) {
            ModelResponse m = Topics.RESPONSES.valueSerde().deserializer().deserialize(r.topic(), r.value());
            return benchmark.equals(m.benchmark()) ? new Subject(m.requestId(), m.purpose() == Purpose.JUDGE) : null;
        }
        Judgment j = Topics.JUDGMENTS.valueSerde().deserializer().deserialize(r.topic(), r.value());
        return benchmark.equals(j.benchmark()) && j.subject() != null
                ? new Subject(j.subject().requestId(), false)
                : null;
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(10_000);
        admin.close(Duration.ofSeconds(5));
    }
}
