package io.assay.invoker.providers;

import java.time.Duration;

/** Waits; a seam so unit tests of retries and simulated latency need not really sleep. */
@FunctionalInterface
public interface Sleeper {
    /** The real thing: {@link Thread#sleep}. */
    Sleeper THREAD = d -> Thread.sleep(d.toMillis());

    /** Blocks for {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;
}
