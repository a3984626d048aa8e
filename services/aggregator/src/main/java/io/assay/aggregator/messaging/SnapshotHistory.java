package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.HistoryPoint;
import io.assay.contracts.Keys;
import io.assay.contracts.LeaderboardSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last {@link #LIMIT} snapshots {@link SnapshotPublisher} published per benchmark and view (default
 * settings), reduced to {@link HistoryPoint}s: the score-over-time chart of the web pages. Kept in memory
 * only: after a restart the history starts again from the first tick (the compacted topic keeps only the
 * latest snapshot per key, so there is nothing older to reload).
 */
@ApplicationScoped
public class SnapshotHistory {
    /** Points kept per benchmark and view: bounds the memory at 100 models × 12 views. */
    public static final int LIMIT = 500;

    private final Map<String, Deque<HistoryPoint>> points = new ConcurrentHashMap<>();

    /** Records a published snapshot, dropping the oldest point beyond {@link #LIMIT}. */
    public void record(LeaderboardSnapshot snapshot) {
        Deque<HistoryPoint> deque = points.computeIfAbsent(
                Keys.leaderboard(snapshot.benchmark(), snapshot.view()), k -> new ArrayDeque<>());
        synchronized (deque) {
            deque.addLast(HistoryPoint.of(snapshot));
            while (deque.size() > LIMIT) {
                deque.removeFirst();
            }
        }
    }

    /** The points of {@code benchmark}'s {@code view}, oldest first; empty when none was published. */
    public List<HistoryPoint> of(String benchmark, String view) {
        Deque<HistoryPoint> deque = points.get(Keys.leaderboard(benchmark, view));
        if (deque == null) {
            return List.of();
        }
        synchronized (deque) {
            return List.copyOf(deque);
        }
    }
}
