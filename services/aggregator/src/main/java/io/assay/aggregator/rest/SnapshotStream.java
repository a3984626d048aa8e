package io.assay.aggregator.rest;

import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.aggregator.messaging.LeaderboardReader;
import io.assay.aggregator.messaging.ViewChanges;
import io.assay.contracts.LeaderboardSnapshot;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * One SSE subscriber's loop: waits for its benchmark to change, recomputes the view and emits it
 * when its content (everything but {@code asOf}) differs from the last one sent.
 */
final class SnapshotStream {
    /** The shortest gap between two recomputations: bounds the cost at high judgment rates. */
    static final long MIN_GAP_MS = 20;

    private static final long IDLE_WAIT_MS = 1000;

    private final LeaderboardReader reader;
    private final ViewChanges changes;
    private final String benchmark;
    private final ViewQuery query;

    SnapshotStream(LeaderboardReader reader, ViewChanges changes, String benchmark, ViewQuery query) {
        this.reader = reader;
        this.changes = changes;
        this.benchmark = benchmark;
        this.query = query;
    }

    void run(MultiEmitter<? super LeaderboardSnapshot> emitter) {
        LeaderboardSnapshot last = null;
        long seen = -1;
        try {
            while (!emitter.isCancelled() && !Thread.currentThread().isInterrupted()) {
                long version = changes.version(benchmark);
                if (version != seen) {
                    seen = version;
                    long started = System.nanoTime();
                    try {
                        LeaderboardSnapshot now =
                                reader.leaderboard(benchmark, query).orElse(null);
                        if (now != null && !Objects.equals(content(now), content(last))) {
                            emitter.emit(now);
                            last = now;
                        }
                    } catch (InvalidStateStoreException e) {
                        seen = -1;
                    }
                    // Recomputing at most a third of the time leaves the CPU to the fold itself.
                    long took = (System.nanoTime() - started) / 1_000_000;
                    Thread.sleep(Math.max(MIN_GAP_MS, 2 * took));
                } else {
                    changes.await(benchmark, seen, IDLE_WAIT_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            emitter.fail(e);
            return;
        }
        emitter.complete();
    }

    private static LeaderboardSnapshot content(LeaderboardSnapshot s) {
        return s == null
                ? null
                : new LeaderboardSnapshot(
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
