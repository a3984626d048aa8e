package io.assay.aggregator.rest;

import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.aggregator.messaging.LeaderboardReader;
import io.assay.aggregator.messaging.SnapshotPublisher;
import io.assay.aggregator.messaging.ViewChanges;
import io.assay.contracts.LeaderboardSnapshot;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.jboss.logging.Logger;

/**
 * Every SSE subscriber of the aggregator, served by one thread: subscribers of the same view (the same
 * benchmark and query) share one feed, recomputed once when its benchmark changes and sent to each of
 * them when its content (everything but {@code asOf}) differs from the last one sent. A thousand
 * browsers on one leaderboard cost one computation per change and no thread each.
 */
@ApplicationScoped
public class SnapshotStreams {
    /** The shortest gap between two rounds of recomputation: bounds the cost at high judgment rates. */
    static final long MIN_GAP_MS = 20;

    private static final Logger LOG = Logger.getLogger(SnapshotStreams.class);
    private static final long IDLE_WAIT_MS = 1000;

    private record Key(String benchmark, ViewQuery query) {}

    /** One view's subscribers, the benchmark version last computed and the snapshot last sent. */
    private static final class Feed {
        final Set<MultiEmitter<? super LeaderboardSnapshot>> emitters = ConcurrentHashMap.newKeySet();
        final Set<MultiEmitter<? super LeaderboardSnapshot>> fresh = ConcurrentHashMap.newKeySet();
        long seen = -1;
        LeaderboardSnapshot last;
    }

    private final LeaderboardReader reader;
    private final ViewChanges changes;
    private final Map<Key, Feed> feeds = new ConcurrentHashMap<>();
    private Thread thread;
    private volatile boolean stopping;

    SnapshotStreams(LeaderboardReader reader, ViewChanges changes) {
        this.reader = reader;
        this.changes = changes;
    }

    /** Sends {@code benchmark}'s view of {@code query} to {@code emitter} now and whenever it changes. */
    void subscribe(String benchmark, ViewQuery query, MultiEmitter<? super LeaderboardSnapshot> emitter) {
        Key key = new Key(benchmark, query);
        synchronized (feeds) {
            Feed feed = feeds.computeIfAbsent(key, k -> new Feed());
            feed.emitters.add(emitter);
            feed.fresh.add(emitter);
            emitter.onTermination(() -> unsubscribe(key, emitter));
            if (thread == null) {
                thread = new Thread(this::serve, "assay-sse");
                thread.setDaemon(true);
                thread.start();
            }
        }
        changes.wake();
    }

    /** Subscribers now, over every view (for tests and the log). */
    int subscribers() {
        return feeds.values().stream().mapToInt(f -> f.emitters.size()).sum();
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        changes.wake();
    }

    private void unsubscribe(Key key, MultiEmitter<? super LeaderboardSnapshot> emitter) {
        synchronized (feeds) {
            Feed feed = feeds.get(key);
            if (feed != null) {
                feed.emitters.remove(emitter);
                feed.fresh.remove(emitter);
                if (feed.emitters.isEmpty()) {
                    feeds.remove(key);
                }
            }
        }
    }

    private void serve() {
        try {
            while (!stopping) {
                long total = changes.total();
                long started = System.nanoTime();
                boolean computed = false;
                for (Map.Entry<Key, Feed> e : feeds.entrySet()) {
                    computed |= round(e.getKey(), e.getValue());
                }
                if (computed) {
                    // Recomputing at most a third of the time leaves the CPU to the fold itself.
                    long took = (System.nanoTime() - started) / 1_000_000;
                    Thread.sleep(Math.max(MIN_GAP_MS, 2 * took));
                } else {
                    changes.awaitAny(total, IDLE_WAIT_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        feeds.values().forEach(f -> f.emitters.forEach(MultiEmitter::complete));
    }

    /** One feed's turn: recompute if its benchmark moved, send what is new; whether it computed. */
    private boolean round(Key key, Feed feed) {
        long version = changes.version(key.benchmark());
        boolean moved = version != feed.seen;
        if (moved) {
            feed.seen = version;
            try {
                LeaderboardSnapshot now =
                        reader.leaderboard(key.benchmark(), key.query()).orElse(null);
                if (now != null && !Objects.equals(content(now), content(feed.last))) {
                    feed.last = now;
                    for (MultiEmitter<? super LeaderboardSnapshot> em : feed.emitters) {
                        em.emit(now);
                        feed.fresh.remove(em);
                    }
                }
            } catch (InvalidStateStoreException e) {
                // starting or rebalancing: try again on the next round
                feed.seen = -1;
            } catch (RuntimeException e) {
                LOG.warnf(
                        e,
                        "stream of %s/%s failed",
                        key.benchmark(),
                        key.query().view());
                feed.emitters.forEach(em -> em.fail(e));
                return true;
            }
        }
        // A subscriber that came after the last change gets the snapshot the others already have.
        if (feed.last != null && !feed.fresh.isEmpty()) {
            for (MultiEmitter<? super LeaderboardSnapshot> em : feed.fresh) {
                feed.fresh.remove(em);
                em.emit(feed.last);
            }
        }
        return moved;
    }

    private static LeaderboardSnapshot content(LeaderboardSnapshot s) {
        return s == null ? null : SnapshotPublisher.withoutTime(s);
    }
}
