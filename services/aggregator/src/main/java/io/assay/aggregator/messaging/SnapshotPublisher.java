package io.assay.aggregator.messaging;

import io.assay.aggregator.config.AggregatorConfig;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.contracts.Ids;
import io.assay.contracts.Json;
import io.assay.contracts.Keys;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.Topics;
import io.assay.kit.events.EventPublisher;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.jboss.logging.Logger;

/**
 * Publishes every leaderboard that changed to the compacted topic {@code assay.leaderboards},
 * checking at most every {@code assay.aggregator.snapshot-interval}. Snapshots are derived data
 * (a function of the ledger), so the service's idempotent producer is enough: a lost tick is repaired
 * by the next one, and after a restart every leaderboard is published once more.
 *
 * <p>With several replicas only the holder of the {@link SnapshotLease} sends; the others compute the
 * same changes for their own score-over-time history ({@link SnapshotHistory}, served by each replica's
 * pages) without sending them. A replica that takes the lease publishes every view once.
 */
@ApplicationScoped
public class SnapshotPublisher {

    private static final Logger LOG = Logger.getLogger(SnapshotPublisher.class);

    private final LeaderboardReader reader;
    private final AggregatorConfig config;
    private final AggregatorMetrics metrics;
    private final EventPublisher publisher;
    private final ViewChanges changes;
    private final SnapshotHistory history;
    private final SnapshotLease lease;
    /** What was last published per benchmark/view key, without its asOf, to tell changes apart from ticks. */
    private final Map<String, LeaderboardSnapshot> published = new ConcurrentHashMap<>();
    /** The benchmark versions last published; empty until the first tick publishes every benchmark. */
    private Map<String, Long> publishedVersions;

    private long publishedEpoch = -1;
    /** {@link SnapshotLease#gained} at the last tick: a new value means this replica just took the lease. */
    private long leaseSeen;

    private ScheduledExecutorService scheduler;

    /** A publisher reading {@code reader}. */
    public SnapshotPublisher(
            LeaderboardReader reader,
            ViewChanges changes,
            AggregatorConfig config,
            AggregatorMetrics metrics,
            EventPublisher publisher,
            SnapshotHistory history,
            SnapshotLease lease) {
        this.reader = reader;
        this.lease = lease;
        this.history = history;
        this.changes = changes;
        this.config = config;
        this.metrics = metrics;
        this.publisher = publisher;
    }

    void start(@Observes StartupEvent event) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "assay-snapshot-publisher"));
        scheduler.schedule(this::tick, interval(), TimeUnit.MILLISECONDS);
    }

    /**
     * One tick, then the next after the interval or twice the time this one took, whichever is
     * longer: views still computed from every slot (see docs/aggregation.md) can take seconds on a long
     * history, and the publisher then takes at most a third of a core from the fold and the readers.
     */
    private void tick() {
        long started = System.nanoTime();
        publishChanged();
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (!scheduler.isShutdown()) {
            scheduler.schedule(this::tick, Math.max(interval(), 2 * took), TimeUnit.MILLISECONDS);
        }
    }

    private long interval() {
        return Math.max(1, config.snapshotInterval().toMillis());
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /**
     * One tick: recomputes every view (default settings) of the benchmarks whose judgments changed
     * (all of them on the first tick after a start) and publishes those whose content changed.
     */
    void publishChanged() {
        try {
            long epoch = changes.epoch();
            if (epoch != publishedEpoch) {
                // A task was restored or revived: recheck every benchmark.
                publishedVersions = null;
            }
            // Read in this order: a lease taken between the two reads is seen again, as new, next tick.
            long gained = lease.gained();
            boolean sending = lease.held();
            if (gained != leaseSeen) {
                // Just took the lease: what the last holder sent is unknown here, so send every view once.
                published.clear();
                publishedVersions = null;
                leaseSeen = gained;
            }
            Map<String, Long> versions = changes.versions();
            List<String> benchmarks = publishedVersions == null
                    ? reader.benchmarkNames()
                    : versions.keySet().stream()
                            .filter(b -> !versions.get(b).equals(publishedVersions.get(b)))
                            .toList();
            for (String benchmark : benchmarks) {
                for (View view : View.values()) {
                    reader.leaderboard(benchmark, ViewQuery.of(view)).ifPresent(snapshot -> {
                        LeaderboardSnapshot content = withoutTime(snapshot);
                        if (!content.equals(published.get(key(snapshot)))) {
                            if (sending) {
                                publish(snapshot, content);
                            } else {
                                published.put(key(snapshot), content);
                                history.record(snapshot);
                            }
                        }
                    });
                }
            }
            publishedVersions = versions;
            publishedEpoch = epoch;
        } catch (InvalidStateStoreException e) {
            LOG.debugf("stores not queryable yet: %s", e.getMessage());
        } catch (RuntimeException e) {
            // An exception would cancel the schedule; the next tick tries again.
            LOG.warnf(e, "could not publish leaderboard snapshots");
        }
    }

    private void publish(LeaderboardSnapshot snapshot, LeaderboardSnapshot content) {
        String key = Keys.leaderboard(snapshot.benchmark(), snapshot.view());
        // The id fingerprints the content, so the same leaderboard state always has the same id.
        String id = Ids.hash("leaderboard", key, Json.canonical(content));
        publisher.publish(Topics.LEADERBOARDS, key, id, snapshot).whenComplete((metadata, error) -> {
            if (error == null) {
                published.put(key, content);
                history.record(snapshot);
                metrics.snapshotPublished(snapshot.benchmark());
            } else {
                LOG.warnf(error, "could not publish the %s leaderboard", key);
            }
        });
    }

    private static String key(LeaderboardSnapshot s) {
        return Keys.leaderboard(s.benchmark(), s.view());
    }

    /** The snapshot's content: everything but {@code asOf}, which moves on every computation. */
    public static LeaderboardSnapshot withoutTime(LeaderboardSnapshot s) {
        return new LeaderboardSnapshot(
                s.benchmark(),
                s.view(),
                Instant.EPOCH,
                s.judgments(),
                s.rows(),
                s.params(),
                s.kendallTau(),
                s.kendallTauLag(),
                s.failing());
    }
}
