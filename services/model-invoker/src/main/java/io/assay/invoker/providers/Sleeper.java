package io.assay.invoker.providers;

import java.time.Duration;

/** Waits; a seam so unit tests of retries and simulated latency need not really sleep. */
@FunctionalInterface
public interface Sleeper {
    /** The real thing: {@link Thread#sleep}, to the nanosecond (a wait under a millisecond is not a busy loop). */
    Sleeper THREAD = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);

    /** Blocks for {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;
}
