package io.assay.invoker.providers;

import java.time.Duration;

/** Waits; a seam so unit tests of retries and simulated latency need not really sleep. */
@FunctionalInterface
public interface Sleeper {
    /**
     * The real thing: {@link Thread#sleep}, to the nanosecond (a wait under a millisecond is not a busy loop). A wait
     * of zero or less only checks the interrupt: {@code Thread.sleep(0)} is a {@code sched_yield} in HotSpot, a system
     * call that gives the core away on a busy machine, on every call of a zero-latency simulated model.
     */
    Sleeper THREAD = d -> {
        if (d.isNegative() || d.isZero()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted");
            }
            return;
        }
        Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
    };

    /** Blocks for {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;
}
