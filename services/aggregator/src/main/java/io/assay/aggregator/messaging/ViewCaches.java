package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.ViewQuery;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * What a view keeps from one computation to the next ({@code judge-agreement}'s labelled items' parts, {@code irt}'s
 * cells), per benchmark and {@code judge=} value, in the order they were last used, within a share of the max heap
 * (each cache's estimate of its own heap): those used longest ago are dropped first, and the one just used too if it
 * alone is over (it is then read in full each time, as without a cache). Thread-safe.
 *
 * @param <C> the kept state of one benchmark and {@code judge=} value
 */
final class ViewCaches<C> {
    private final LinkedHashMap<String, C> caches = new LinkedHashMap<>(16, 0.75f, true);
    private final Supplier<C> empty;
    private final ToLongFunction<C> bytes;
    /** The caches' heap at most, as a fraction of the max heap: one {@code share}-th. */
    private final int share;

    /** Caches made by {@code empty}, whose heap {@code bytes} estimates, within one {@code share}-th of the max heap. */
    ViewCaches(Supplier<C> empty, ToLongFunction<C> bytes, int share) {
        this.empty = empty;
        this.bytes = bytes;
        this.share = share;
    }

    /** The most heap the caches take together. */
    long budget() {
        return Runtime.getRuntime().maxMemory() / share;
    }

    /** The cache of {@code benchmark} for {@code query}'s {@code judge=}, taken last (an empty one the first time). */
    synchronized C of(String benchmark, ViewQuery query) {
        return caches.computeIfAbsent(benchmark + Fold.SEPARATOR + query.judge(), k -> empty.get());
    }

    /** Drops caches, those used longest ago first, until they are within {@link #budget}; {@code used} only last. */
    synchronized void bound(C used) {
        long budget = budget();
        long total = 0;
        for (C c : caches.values()) {
            total += bytes.applyAsLong(c);
        }
        Iterator<C> it = caches.values().iterator();
        while (total > budget && it.hasNext()) {
            C c = it.next();
            if (c != used || bytes.applyAsLong(used) > budget) {
                total -= bytes.applyAsLong(c);
                it.remove();
            }
        }
    }
}
