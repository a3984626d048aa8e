package io.assay.aggregator.messaging;

import io.assay.aggregator.config.AggregatorConfig;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.aggregator.leaderboard.ViewTooLargeException;
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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
 * by the next one, and after a restart every leaderboard is published once more. Two lanes, each on its
 * own thread, compute the views: one those that take milliseconds, one those that take longer (a view
 * computed from every slot on a long history), so the slow do not delay the others ({@link ViewSchedule}). The
 * fast lane computes within {@link LeaderboardReader.Bounds}: a view that would read more than {@value
 * #FAST_LANE_SLOTS} slots at once (fewer when its last computation's CPU per judgment says they would cost more than
 * the slow threshold), or wait longer than the slow threshold for another reader's computation of it or for the
 * heap other computations hold, is slow at once, before its computation, and left to the slow lane.
 *
 * <p>With several replicas only the holder of the {@link SnapshotLease} sends; the others compute the
 * same changes for their own score-over-time history ({@link SnapshotHistory}, served by each replica's
 * pages) without sending them. A replica that takes the lease publishes every view once.
 */
@ApplicationScoped
public class SnapshotPublisher {

    private static final Logger LOG = Logger.getLogger(SnapshotPublisher.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * The most slots the fast lane reads at once: a read of every slot of a benchmark costs some 2–3 µs a slot
     * (BENCHMARKS.md, "Every view by the reader's own path"), so about 50 ms, half the slow threshold at the default
     * interval. More is the slow lane's to read: before, a view not computed yet was computed in the fast lane,
     * and one that read a long history whole (lc-winrate from scratch, 51 s at 700,000 preferences) held back every
     * view's snapshot for its length, twice, before it was known to be slow.
     */
    static final long FAST_LANE_SLOTS = 20_000;

    private final LeaderboardReader reader;
    private final AggregatorConfig config;
    private final AggregatorMetrics metrics;
    private final EventPublisher publisher;
    private final ViewChanges changes;
    private final SnapshotHistory history;
    private final SnapshotLease lease;
    /** What was last published per benchmark/view key, without its asOf, to tell changes apart from ticks. */
    private final Map<String, LeaderboardSnapshot> published = new ConcurrentHashMap<>();
    /** Per benchmark/view key, its last computation times ({@link ViewSchedule}). */
    private final Map<String, ViewSchedule.Costs> costs = new ConcurrentHashMap<>();

    private final List<Lane> lanes = new ArrayList<>();

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
        lanes.add(new Lane("assay-snapshot-publisher", false));
        lanes.add(new Lane("assay-snapshot-publisher-slow", true));
        lanes.forEach(Lane::start);
    }

    void stop(@Observes ShutdownEvent event) {
        lanes.forEach(l -> l.scheduler.shutdownNow());
    }

    private long interval() {
        return Math.max(1, config.snapshotInterval().toMillis());
    }

    /** A view that takes longer than a tenth of the interval to compute is slow ({@link ViewSchedule}). */
    private long slowNanos() {
        return TimeUnit.MILLISECONDS.toNanos(interval()) / 10;
    }

    /**
     * The calling thread's CPU time in nanoseconds (its wall-clock time where the JVM does not measure it): what a
     * view's computation cost, without the time it waited for the tallies' lock a fold held or for a core.
     */
    private static long cpuNanos() {
        long cpu = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
        return cpu < 0 ? System.nanoTime() : cpu;
    }

    /** Whether the view of {@code key} is the slow lane's now (tests). */
    boolean slow(String key) {
        ViewSchedule.Costs c = costs.get(key);
        return c != null && c.slow(slowNanos());
    }

    /**
     * The fast or the slow views' lane: its own thread, ticking every interval (the slow lane every ten) or
     * twice the time its last tick took, whichever is longer, so each lane takes at most a third of a core
     * from the fold and the readers. Views still computed from every slot (see
     * docs/aggregation.md) can take seconds on a long history: in their own lane they do not hold back the
     * snapshots of the others.
     */
    private final class Lane {
        final ScheduledExecutorService scheduler;
        final ViewSchedule schedule;
        /** The benchmarks seen. */
        final Set<String> benchmarks = new TreeSet<>();
        /** Whether the next tick recomputes every view of the lane (true until the first tick). */
        boolean reset = true;

        long publishedEpoch = -1;
        /** {@link SnapshotLease#gained} at the last tick: a new value means this replica just took the lease. */
        long leaseSeen;

        /** Whether this is the slow views' lane. */
        final boolean slow;

        /**
         * The least time between two ticks, in intervals: the fast lane's 1, the slow lane's 10. A slow view's
         * computation holds arrays the size of its data for its whole length, which a young collection promotes:
         * computed every few seconds, they filled the old generation every few seconds, and its full collections
         * delayed the fold (docs/aggregation.md, "Snapshots").
         */
        final int every;

        Lane(String thread, boolean slow) {
            this.every = slow ? 10 : 1;
            this.slow = slow;
            this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, thread));
            this.schedule = new ViewSchedule(slowNanos(), slow, costs);
        }

        /**
         * What one computation of the view of {@code key} may take: none for the slow lane; the fast lane's, at most
         * {@value #FAST_LANE_SLOTS} slots, fewer when the view's last computation says reading them would cost more
         * than the slow threshold ({@link ViewSchedule#slots}), and a wait of the slow threshold.
         */
        LeaderboardReader.Bounds bounds(String key) {
            return slow
                    ? LeaderboardReader.Bounds.NONE
                    : new LeaderboardReader.Bounds(schedule.slots(key, FAST_LANE_SLOTS), Duration.ofNanos(slowNanos()));
        }

        void start() {
            scheduler.schedule(this::tick, interval(), TimeUnit.MILLISECONDS);
        }

        private void tick() {
            long started = System.nanoTime();
            publishChanged();
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (!scheduler.isShutdown()) {
                scheduler.schedule(this::tick, Math.max(every * interval(), 2 * took), TimeUnit.MILLISECONDS);
            }
        }

        /**
         * One tick: recomputes the lane's views (default settings) of the benchmarks whose judgments
         * changed since the lane last computed them (every view on the first tick after a start) and
         * publishes those whose content changed.
         */
        void publishChanged() {
            try {
                long epoch = changes.epoch();
                if (epoch != publishedEpoch) {
                    // A task was restored or revived: recheck every benchmark.
                    reset = true;
                }
                // Read in this order: a lease taken between the two reads is seen again, as new, next tick.
                long gained = lease.gained();
                boolean sending = lease.held();
                if (gained != leaseSeen) {
                    // Just took the lease: what the last holder sent is unknown here, so send every view once.
                    published.clear();
                    reset = true;
                    leaseSeen = gained;
                }
                if (reset) {
                    schedule.reset();
                    benchmarks.addAll(reader.benchmarkNames());
                    reset = false;
                }
                benchmarks.addAll(changes.versions().keySet());
                for (String benchmark : benchmarks) {
                    long version = changes.version(benchmark);
                    for (View view : View.values()) {
                        String key = Keys.leaderboard(benchmark, view.wireName());
                        if (schedule.due(key, version)) {
                            long started = System.nanoTime();
                            long cpuStarted = cpuNanos();
                            long judgments;
                            try {
                                judgments = compute(benchmark, view, sending, bounds(key));
                            } catch (LeaderboardReader.Deferred e) {
                                LOG.debugf("%s: left to the slow lane: %s", key, e.getMessage());
                                schedule.deferred(key);
                                continue;
                            }
                            long took = System.nanoTime() - started;
                            schedule.computed(key, version, cpuNanos() - cpuStarted, took, judgments);
                            metrics.snapshotComputed(benchmark, view.wireName(), took);
                        }
                    }
                }
                publishedEpoch = epoch;
            } catch (InvalidStateStoreException e) {
                reset = true;
                LOG.debugf("stores not queryable yet: %s", e.getMessage());
            } catch (RuntimeException e) {
                // An exception would cancel the schedule; the next tick tries again, every view.
                reset = true;
                LOG.warnf(e, "could not publish leaderboard snapshots");
            }
        }
    }

    /**
     * Computes {@code benchmark}'s {@code view} (default settings) within {@code bounds} and publishes it if its
     * content changed; the judgments it counts (0 when not computed).
     */
    private long compute(String benchmark, View view, boolean sending, LeaderboardReader.Bounds bounds) {
        Optional<LeaderboardSnapshot> computed;
        try {
            computed = reader.leaderboard(benchmark, ViewQuery.of(view), bounds);
        } catch (ViewTooLargeException e) {
            // A view from every slot of a history longer than the heap holds (or the like): not published (REST
            // says why).
            LOG.debugf("%s: %s not published: %s", benchmark, view.wireName(), e.getMessage());
            return 0;
        }
        computed.ifPresent(snapshot -> {
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
        return computed.map(LeaderboardSnapshot::judgments).orElse(0L);
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
