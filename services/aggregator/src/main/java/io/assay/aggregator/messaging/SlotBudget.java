package io.assay.aggregator.messaging;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * The slots the views computed from them hold in the heap at once, over every thread that computes a view: the
 * snapshot publisher's lanes and each REST request. The slot-path limit is what one computation may read with its
 * working set on top (the old generation / {@link LeaderboardReader#HEAP_PER_SLOT} bytes); two at once, each under it, can
 * hold twice that. In the chart's 384 MiB, two {@code lc-winrate} requests with other parameters over 700,000
 * preferences (each under the limit) died of {@code OutOfMemoryError} in the stream thread, the request and the
 * snapshot lease's thread (BENCHMARKS.md, "Views computed at once from the slots"). So a computation takes its
 * slots' share of the limit for its whole length, and waits only while the shares taken and its own would pass it.
 * Not in the order they came: one that fits beside those running starts at once, so that a small benchmark's view
 * (most often the snapshot publisher's, in milliseconds) does not wait minutes behind a large one waiting for a
 * large one to end. A large one waits for the heap its share needs to be free, which a stream of small ones leaves
 * between them.
 */
final class SlotBudget {
    private final int limit;
    private final Semaphore shares;

    /** A budget of {@code limit} slots (at most {@link Integer#MAX_VALUE}: 1 TiB of heap at 512 bytes a slot). */
    SlotBudget(long limit) {
        this.limit = (int) Math.max(1, Math.min(limit, Integer.MAX_VALUE));
        this.shares = new Semaphore(this.limit);
    }

    /** Slots taken back when closed. */
    interface Share extends AutoCloseable {
        /** How long the share waited, in nanoseconds. */
        long waitedNanos();

        @Override
        void close();
    }

    /**
     * Waits until {@code slots} (at most the limit: one computation alone always fits) are free and takes them;
     * throws {@link InvalidStateStoreException} (the REST layer's 503, the publisher's skipped tick) when the
     * thread is interrupted meanwhile, as it is when the aggregator stops.
     */
    Share take(long slots) {
        return take(slots, null);
    }

    /**
     * {@link #take(long)}, waiting at most {@code waitAtMost} ({@code null}: as long as it takes), then throwing
     * {@link LeaderboardReader.Deferred} with nothing taken.
     */
    Share take(long slots, Duration waitAtMost) {
        int n = (int) Math.max(0, Math.min(slots, limit));
        long start = System.nanoTime();
        try {
            if (waitAtMost == null) {
                shares.acquire(n);
            } else if (!shares.tryAcquire(n, waitAtMost.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new LeaderboardReader.Deferred("waited " + waitAtMost.toMillis() + " ms for the heap of " + n
                        + " slots, which other views' computations hold");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidStateStoreException("interrupted while waiting for other views to leave the heap");
        }
        long waited = System.nanoTime() - start;
        return new Share() {
            private boolean closed;

            @Override
            public long waitedNanos() {
                return waited;
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    shares.release(n);
                }
            }
        };
    }

    /** The slots taken now. */
    long taken() {
        return limit - shares.availablePermits();
    }

    /** About how many computations wait for their share now (for tests). */
    int waiting() {
        return shares.getQueueLength();
    }
}
