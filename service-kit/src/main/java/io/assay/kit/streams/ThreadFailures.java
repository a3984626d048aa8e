package io.assay.kit.streams;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * What a service does when one of its stream threads dies: replace it, unless threads keep dying.
 *
 * <p>Some failures are transient but reach the thread as fatal: a transaction the broker aborted
 * while the thread stalled (KAFKA-19690), a producer fenced or out of sequence around a broker
 * restart. A replaced thread makes a new producer whose {@code initTransactions} fences the old one,
 * and restores its tasks from their changelogs, so nothing is counted twice (exactly-once v2). A
 * failure that repeats (a bug, a record the code cannot handle) would make replacing loop forever,
 * so after {@code limit} replacements within {@code window} the client shuts down and the service's
 * liveness fails instead, as it did before for every failure.
 */
final class ThreadFailures {
    private final int limit;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Deque<Long> replaced = new ArrayDeque<>();

    /** At most {@code limit} replacements in any {@code window}, on {@code nanoTime}'s clock. */
    ThreadFailures(int limit, Duration window, LongSupplier nanoTime) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The answer to one more dead thread, now. */
    synchronized StreamThreadExceptionResponse onFailure() {
        long now = nanoTime.getAsLong();
        while (!replaced.isEmpty() && now - replaced.peekFirst() >= windowNanos) {
            replaced.removeFirst();
        }
        if (replaced.size() >= limit) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replaced.addLast(now);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Replacements within the window so far (for the log line). */
    synchronized int recent() {
        return replaced.size();
    }
}
