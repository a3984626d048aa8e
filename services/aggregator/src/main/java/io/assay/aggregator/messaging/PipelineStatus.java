package io.assay.aggregator.messaging;

import io.assay.contracts.DeadLetters;
import io.assay.contracts.Topics;
import io.assay.kit.kafka.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * How the pipeline is doing, read from the broker: the lag of each stage's consumer group on its
 * input topics, and the dead letters of the last hour with the latest reasons. Computed on demand
 * and reused for {@link #TTL} (a status page polled by many browsers costs one read).
 *
 * <p>Lag is end offset minus committed offset, summed over the stage's input partitions; a partition
 * the group never committed counts from the log start. A transaction's commit marker takes an offset too, and a
 * plain consumer (the model-invoker) commits after the last record it read, not past the marker that follows it:
 * offsets alone showed an idle stack's invoker one behind on every partition of {@code assay.prompts}. So a gap of
 * at most {@value #READ_GAP} offsets is read (read_committed, as the services read) and its records counted;
 * a wider one counts offsets, markers included (one per transaction, a small share of a real backlog); a gap
 * that cannot be read through in {@link #GAP_TIMEOUT} (a transaction still open), or of a topic the broker does not
 * let the aggregator read (README, "ACLs": READ on {@code assay.prompts} is optional), counts offsets as well.
 */
@ApplicationScoped
public class PipelineStatus {
    private static final Logger LOG = Logger.getLogger(PipelineStatus.class);
    /** How long one reading is reused. */
    static final Duration TTL = Duration.ofSeconds(2);
    /** Dead letters counted: those of the last hour. */
    static final Duration DEAD_LETTER_WINDOW = Duration.ofHours(1);
    /** Latest dead letters listed with their reasons. */
    static final int LATEST = 5;
    /** Dead letters read at most per status (the count says "at least" beyond it). */
    static final int MAX_READ = 100_000;

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** The widest gap between committed and end offset that is read to count its records. */
    static final int READ_GAP = 16;
    /** How long the gaps of one status are read at most. */
    static final Duration GAP_TIMEOUT = Duration.ofSeconds(1);

    private final KafkaClients clients;
    private final List<Stage> stages;
    private final Clock clock = Clock.systemUTC();
    private Status cached;
    private StatusUnavailableException failed;
    private Instant failedAt;

    /**
     * Reads through {@code clients}; the stages' consumer groups are {@code assay-<stage>} unless
     * {@code assay.aggregator.status.groups} names them (comma-separated {@code stage=group}); the
     * aggregator's own is its {@code assay.application-id}.
     */
    public PipelineStatus(
            KafkaClients clients,
            @ConfigProperty(name = "assay.aggregator.status.groups") Optional<String> groups,
            @ConfigProperty(name = "assay.application-id", defaultValue = "assay-aggregator") String ownGroup) {
        this.clients = clients;
        this.stages = Stage.defaults("aggregator=" + ownGroup + "," + groups.orElse(""));
    }

    /**
     * The status now, or the one read less than {@link #TTL} ago; likewise a failure to read it, so that the
     * requests that queued behind a read the broker did not answer learn it at once rather than each waiting
     * its {@link #TIMEOUT} again.
     */
    public synchronized Status now() {
        Instant at = clock.instant();
        if (failed != null && !failedAt.plus(TTL).isBefore(at)) {
            throw failed;
        }
        if (cached == null || cached.asOf().plus(TTL).isBefore(at)) {
            try {
                cached = read(at);
                failed = null;
            } catch (StatusUnavailableException e) {
                failed = e;
                failedAt = clock.instant(); // when it was learned: the read may have waited its timeout
                throw e;
            }
        }
        return cached;
    }

    private Status read(Instant at) {
        Admin admin = clients.admin("status");
        try {
            return new Status(at, lags(admin), deadLetters(admin, at), null);
        } catch (ExecutionException e) {
            throw unavailable(e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException | KafkaException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatusUnavailableException("interrupted");
        } finally {
            // Without waiting: a call the broker never answered (it is down) would hold close() for the client's
            // api timeout, 60 s, and every status request behind this one's lock (GET /api/status hung over 90 s)
            admin.close(Duration.ZERO);
        }
    }

    /**
     * Why the status cannot be read: a refusal by the broker's authorizer names what was refused and where
     * the grants are listed (the Admin's futures and the dead-letter reader both end here), anything else
     * that the broker did not answer.
     */
    private static StatusUnavailableException unavailable(Throwable cause) {
        LOG.debugf("status read failed: %s", cause.getMessage());
        if (cause instanceof AuthorizationException refused) {
            return new StatusUnavailableException("the broker refused the aggregator's principal: "
                    + refused.getMessage()
                    + " (grant it the README's \"ACLs\": READ on assay.dead-letters, DESCRIBE on each stage's group)");
        }
        if (cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new StatusUnavailableException("the broker did not answer within " + TIMEOUT.toSeconds() + " s");
        }
        return new StatusUnavailableException("the broker did not answer: " + cause.getMessage());
    }

    private List<StageLag> lags(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
        List<String> topics =
                stages.stream().flatMap(s -> s.topics().stream()).distinct().toList();
        Map<String, TopicDescription> described = admin.describeTopics(
                        topics, new DescribeTopicsOptions().includeAuthorizedOperations(true))
                .allTopicNames()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        described
                .values()
                .forEach(d -> d.partitions().forEach(p -> {
                    TopicPartition tp = new TopicPartition(d.name(), p.partition());
                    latest.put(tp, OffsetSpec.latest());
                    earliest.put(tp, OffsetSpec.earliest());
                }));
        Map<TopicPartition, Long> ends = offsets(admin, latest);
        Map<TopicPartition, Long> starts = offsets(admin, earliest);
        // Per stage, per input partition, the committed offset the lag counts from.
        List<Map<TopicPartition, Long>> froms = new ArrayList<>();
        List<Boolean> started = new ArrayList<>();
        Map<TopicPartition, Long> narrowest = new HashMap<>();
        for (Stage stage : stages) {
            ListConsumerGroupOffsetsResult result = admin.listConsumerGroupOffsets(stage.group());
            Map<TopicPartition, OffsetAndMetadata> committed =
                    result.partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> from = new HashMap<>();
            for (TopicPartition tp : ends.keySet()) {
                if (stage.topics().contains(tp.topic())) {
                    OffsetAndMetadata c = committed.get(tp);
                    long f = c == null ? starts.getOrDefault(tp, 0L) : c.offset();
                    from.put(tp, f);
                    long gap = ends.get(tp) - f;
                    if (gap > 0 && gap <= READ_GAP && readable(described.get(tp.topic()))) {
                        narrowest.merge(tp, f, Math::min);
                    }
                }
            }
            froms.add(from);
            started.add(!committed.isEmpty());
        }
        Map<TopicPartition, Read> records = records(narrowest, ends);
        List<StageLag> out = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            Stage stage = stages.get(s);
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> e : froms.get(s).entrySet()) {
                long end = ends.get(e.getKey());
                Read read = records.get(e.getKey());
                lag += Math.max(0, read == null ? end - e.getValue() : read.between(e.getValue(), end));
            }
            out.add(new StageLag(stage.name(), stage.group(), stage.topics(), lag, started.get(s)));
        }
        return out;
    }

    /**
     * Whether the aggregator may read {@code topic}: an ACL'd cluster need not grant it READ on another stage's input
     * (README, "ACLs": {@code assay.prompts}), and a refused fetch is logged as a warning by the client. Unknown (a
     * broker that does not say): tried.
     */
    private static boolean readable(TopicDescription topic) {
        Set<AclOperation> ops = topic.authorizedOperations();
        return ops == null || ops.contains(AclOperation.READ) || ops.contains(AclOperation.ALL);
    }

    /**
     * The committed records' offsets of each partition from its offset in {@code from} to its end (read_committed),
     * within {@link #GAP_TIMEOUT} for all; a partition not read through by then is left out.
     */
    private Map<TopicPartition, Read> records(Map<TopicPartition, Long> from, Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Read> out = new HashMap<>();
        if (from.isEmpty()) {
            return out;
        }
        Map<TopicPartition, List<Long>> seen = new HashMap<>();
        try (Consumer<byte[], byte[]> reader =
                clients.reader("status", new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> toRead = new ArrayList<>(from.keySet());
            reader.assign(toRead);
            toRead.forEach(tp -> {
                reader.seek(tp, from.get(tp));
                seen.put(tp, new ArrayList<>());
            });
            long deadline = System.nanoTime() + GAP_TIMEOUT.toNanos();
            while (!toRead.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100))) {
                    seen.get(new TopicPartition(r.topic(), r.partition())).add(r.offset());
                }
                for (TopicPartition tp : List.copyOf(toRead)) {
                    if (reader.position(tp) >= ends.get(tp)) {
                        toRead.remove(tp);
                        out.put(
                                tp,
                                new Read(
                                        from.get(tp),
                                        seen.get(tp).stream()
                                                .mapToLong(Long::longValue)
                                                .toArray()));
                    }
                }
                reader.assign(toRead);
            }
        } catch (KafkaException e) {
            LOG.debugf("status: the gaps were not read, offsets count: %s", e.getMessage());
        }
        return out;
    }

    /**
     * A partition read from {@code start} to its end: the offsets of its committed records.
     *
     * @param start the offset read from
     * @param offsets the records' offsets
     */
    record Read(long start, long[] offsets) {
        /** The records from {@code from} to {@code end}; the offsets between where the read began after it. */
        long between(long from, long end) {
            if (from < start) {
                return end - from;
            }
            long n = 0;
            for (long offset : offsets) {
                n += offset >= from && offset < end ? 1 : 0;
            }
            return n;
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Map<TopicPartition, OffsetSpec> specs)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(specs)
                .all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** Reads the dead letters written since an hour ago (committed ones only), keeping the latest few. */
    private DeadLetterSummary deadLetters(Admin admin, Instant at)
            throws ExecutionException, InterruptedException, TimeoutException {
        String topic = Topics.DEAD_LETTERS.name();
        Map<String, TopicDescription> described =
                admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<TopicPartition> partitions = described.get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        long since = at.minus(DEAD_LETTER_WINDOW).toEpochMilli();
        long count = 0;
        boolean capped = false;
        Deque<DeadLetter> latest = new ArrayDeque<>();
        try (Consumer<byte[], byte[]> reader =
                clients.reader("status", new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            reader.assign(partitions);
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, since));
            Map<TopicPartition, OffsetAndTimestamp> starts = reader.offsetsForTimes(query, TIMEOUT);
            List<TopicPartition> toRead = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp start = starts.get(tp);
                if (start != null && start.offset() < ends.get(tp)) {
                    reader.seek(tp, start.offset());
                    toRead.add(tp);
                }
            }
            reader.assign(toRead);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!toRead.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    if (r.timestamp() < since) {
                        continue;
                    }
                    count++;
                    latest.addLast(DeadLetter.of(r));
                    if (latest.size() > LATEST * 10) {
                        // Keep the newest few of each partition cheaply; sorted and cut below.
                        trimToNewest(latest);
                    }
                }
                toRead.removeIf(tp -> reader.position(tp) >= ends.get(tp));
                reader.assign(toRead);
                if (count >= MAX_READ) {
                    capped = true;
                    break;
                }
            }
            capped |= !toRead.isEmpty();
        }
        trimToNewest(latest);
        return new DeadLetterSummary(count, capped, List.copyOf(latest));
    }

    private static void trimToNewest(Deque<DeadLetter> letters) {
        List<DeadLetter> sorted = new ArrayList<>(letters);
        sorted.sort((a, b) -> b.at().compareTo(a.at()));
        letters.clear();
        letters.addAll(sorted.subList(0, Math.min(LATEST, sorted.size())));
    }

    /**
     * The pipeline's status.
     *
     * @param asOf when it was read
     * @param stages each stage's lag
     * @param deadLetters the dead letters of the last hour
     * @param breakersOpen the models whose endpoint's circuit breaker looks open; {@code null} when the
     *     aggregator's state cannot be read right now (starting, restoring)
     */
    public record Status(
            Instant asOf, List<StageLag> stages, DeadLetterSummary deadLetters, List<BreakerOpen> breakersOpen) {

        /** This status with {@code breakers}. */
        public Status withBreakers(List<BreakerOpen> breakers) {
            return new Status(asOf, stages, deadLetters, breakers);
        }
    }

    /**
     * A model whose calls an open circuit breaker refuses.
     *
     * @param model the model
     * @param benchmark the benchmark of its latest refused call
     * @param since when a call was last refused by the breaker (the breaker has been open at least then)
     * @param message the invoker's message: the endpoint and the failure that opened the breaker
     */
    public record BreakerOpen(String model, String benchmark, Instant since, String message) {}

    /**
     * One stage's lag.
     *
     * @param stage the service
     * @param group its consumer group (its Kafka Streams application id)
     * @param topics the input topics the lag is summed over
     * @param lag records not yet processed
     * @param started whether the group ever committed (false: the stage never ran, or runs under another id)
     */
    public record StageLag(String stage, String group, List<String> topics, long lag, boolean started) {}

    /**
     * Dead letters of the last hour.
     *
     * @param lastHour how many
     * @param atLeast true when reading stopped early (more than {@link #MAX_READ}, or a slow broker):
     *     {@code lastHour} is a lower bound
     * @param latest the newest few, newest first
     */
    public record DeadLetterSummary(long lastHour, boolean atLeast, List<DeadLetter> latest) {}

    /**
     * One dead letter, as its headers describe it.
     *
     * @param at when it was written
     * @param stage the service that refused it
     * @param topic the topic it was read from
     * @param reason why, in words
     */
    public record DeadLetter(Instant at, String stage, String topic, String reason) {
        static DeadLetter of(ConsumerRecord<byte[], byte[]> r) {
            return new DeadLetter(
                    Instant.ofEpochMilli(r.timestamp()),
                    header(r, DeadLetters.STAGE),
                    header(r, DeadLetters.TOPIC),
                    header(r, DeadLetters.REASON));
        }

        private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
            Header h = r.headers().lastHeader(name);
            return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    }

    /** A stage and where its consumer group reads. */
    record Stage(String name, String group, List<String> topics) {
        static List<Stage> defaults(String overrides) {
            Map<String, String> groups = new HashMap<>();
            for (String pair : overrides.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    groups.put(
                            pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
            List<Stage> out = new ArrayList<>();
            addStage(out, groups, "prompt-generator", List.of(Topics.ITEMS.name()));
            addStage(out, groups, "model-invoker", List.of(Topics.PROMPTS.name()));
            addStage(out, groups, "judge", List.of(Topics.ITEMS.name(), Topics.RESPONSES.name()));
            addStage(
                    out,
                    groups,
                    "aggregator",
                    List.of(Topics.JUDGMENTS.name(), Topics.RESPONSES.name(), Topics.ITEMS.name()));
            return out;
        }

        private static void addStage(List<Stage> out, Map<String, String> groups, String name, List<String> topics) {
            out.add(new Stage(name, groups.getOrDefault(name, "assay-" + name), topics));
        }
    }

    /** The broker could not be read; the REST layer answers 503. */
    public static final class StatusUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StatusUnavailableException(String message) {
            super(message);
        }
    }
}
