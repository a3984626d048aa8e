package io.assay.aggregator.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which benchmarks the fold changed: a version counter per benchmark, bumped by the stream thread
 * after each counted judgment and read by the snapshot publisher and the SSE streams, which
 * recompute a view only when its benchmark's version moved.
 */
@ApplicationScoped
public class ViewChanges {
    private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
    private final Object signal = new Object();
    private final AtomicLong epoch = new AtomicLong();
    /** Moves on every change of any benchmark and on {@link #wake}: what {@link #awaitAny} waits for. */
    private final AtomicLong total = new AtomicLong();
    /** Wall-clock millis of each benchmark's last change: "live" on the benchmarks page. */
    private final Map<String, Long> changedAt = new ConcurrentHashMap<>();

    /** Records a change of {@code benchmark}. */
    public void changed(String benchmark) {
        versions.computeIfAbsent(benchmark, b -> new AtomicLong()).incrementAndGet();
        changedAt.put(benchmark, System.currentTimeMillis());
        total.incrementAndGet();
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /**
     * Records that any benchmark may have changed (a task's state was restored or revived): every
     * known benchmark's version moves, and a global epoch read by {@link #version} for unknown ones.
     */
    public void changedAll() {
        epoch.incrementAndGet();
        versions.values().forEach(AtomicLong::incrementAndGet);
        total.incrementAndGet();
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** The current version of {@code benchmark}, 0 before its first change in this process. */
    public long version(String benchmark) {
        AtomicLong v = versions.get(benchmark);
        return epoch.get() * 1_000_000_000L + (v == null ? 0 : v.get());
    }

    /**
     * When a judgment of {@code benchmark} was last folded by this process (epoch millis), {@code null}
     * before the first one. Restores do not count: they replay old judgments.
     */
    public Long changedAt(String benchmark) {
        return changedAt.get(benchmark);
    }

    /** Moves when a task's state was restored or revived: every benchmark may have changed. */
    public long epoch() {
        return epoch.get();
    }

    /** Every benchmark's version. */
    public Map<String, Long> versions() {
        Map<String, Long> out = new java.util.TreeMap<>();
        versions.forEach((b, v) -> out.put(b, v.get()));
        return out;
    }

    /** Waits up to {@code millis} until {@code benchmark}'s version is no longer {@code seen}. */
    public void await(String benchmark, long seen, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (signal) {
            long left;
            while (version(benchmark) == seen && (left = deadline - System.currentTimeMillis()) > 0) {
                signal.wait(left);
            }
        }
    }

    /** A counter that moves on every change of any benchmark (and on {@link #wake}). */
    public long total() {
        return total.get();
    }

    /** Wakes whoever waits in {@link #awaitAny} without a change (a new subscriber to serve, a shutdown). */
    public void wake() {
        total.incrementAndGet();
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Waits up to {@code millis} until {@link #total} is no longer {@code seen}. */
    public void awaitAny(long seen, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (signal) {
            long left;
            while (total.get() == seen && (left = deadline - System.currentTimeMillis()) > 0) {
                signal.wait(left);
            }
        }
    }
}
