package io.assay.kit.leaderboards;

import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.Keys;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.Topics;
import io.assay.kit.ServiceIdentity;
import io.assay.kit.kafka.KafkaClients;
import io.assay.kit.kafka.TopicFollower;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The latest published leaderboard of every benchmark and view, followed from the compacted topic
 * {@code assay.leaderboards} (keyed {@code benchmark/view}): what a stage reads when it acts on results,
 * such as a budget that spends judge calls where rankings are uncertain or a policy that picks anchor
 * models by ability.
 *
 * <p>A snapshot is the aggregator's view with its default settings at one moment, so a decision taken
 * from it depends on when it was taken: a stage that uses it must stay correct (if less economical) with
 * no snapshot at all, with an old one, and with a different one on a replay. The feed is a
 * {@link TopicFollower} (every replica reads the whole topic from the beginning) started when the bean is
 * first used; until it has read to the topic's end, {@link #latest} answers from what it has read so
 * far. A record that is not a valid snapshot is skipped and counted as
 * {@code assay.<service>.leaderboards.rejected}; a tombstone forgets its key.
 */
@ApplicationScoped
public class LeaderboardFeed {
    private static final Logger LOG = Logger.getLogger(LeaderboardFeed.class);

    private final KafkaClients clients;
    private final ServiceIdentity identity;
    private final MeterRegistry meters;
    private final Map<String, LeaderboardSnapshot> latest = new ConcurrentHashMap<>();
    private TopicFollower follower;

    /** A feed reading with {@code clients}; {@code meters} may be null. */
    public LeaderboardFeed(KafkaClients clients, ServiceIdentity identity, MeterRegistry meters) {
        this.clients = clients;
        this.identity = identity;
        this.meters = meters;
    }

    /** Starts following the topic (on the bean's first use; call it once when not a bean). */
    @PostConstruct
    public void start() {
        follower = TopicFollower.start(
                identity.clientId("leaderboards"),
                List.of(Topics.LEADERBOARDS.name()),
                () -> clients.reader("leaderboards", new StringDeserializer(), new ByteArrayDeserializer()),
                this::apply,
                () -> LOG.infof("leaderboards read: %d snapshots", latest.size()));
    }

    /** Stops following. */
    @PreDestroy
    public void close() {
        try {
            if (follower != null) {
                follower.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last snapshot published for {@code benchmark}'s {@code view}, empty when none was read. */
    public Optional<LeaderboardSnapshot> latest(String benchmark, String view) {
        return Optional.ofNullable(latest.get(Keys.leaderboard(benchmark, view)));
    }

    /** Waits until the topic is read to the end offsets seen at start; false when {@code timeout} passed first. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            rejected(record, "no key");
        } else if (record.value() == null) {
            latest.remove(record.key());
        } else {
            try {
                LeaderboardSnapshot snapshot = EventType.LEADERBOARD_SNAPSHOT.parse(
                        record.value(), LeaderboardSnapshot.class, record.headers());
                latest.put(record.key(), snapshot);
            } catch (InvalidEventException e) {
                rejected(record, e.getMessage());
            }
        }
    }

    private void rejected(ConsumerRecord<String, byte[]> record, String reason) {
        if (meters != null) {
            meters.counter(identity.meterPrefix() + "leaderboards.rejected").increment();
        }
        LOG.warnf("ignoring %s record %s at offset %d: %s", record.topic(), record.key(), record.offset(), reason);
    }
}
