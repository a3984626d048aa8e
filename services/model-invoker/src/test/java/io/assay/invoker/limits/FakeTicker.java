package io.assay.invoker.limits;

import io.assay.invoker.providers.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A clock that moves only when told to, or when something sleeps on it (and records the sleeps). */
public final class FakeTicker implements Ticker, Sleeper {
    private long now = 1_000_000_000L;
    private final List<Duration> slept = new ArrayList<>();

    @Override
    public synchronized long nanos() {
        return now;
    }

    public synchronized void advance(Duration d) {
        now += d.toNanos();
    }

    @Override
    public synchronized void sleep(Duration duration) {
        slept.add(duration);
        advance(duration);
    }

    /** Every sleep so far. */
    public synchronized List<Duration> slept() {
        return List.copyOf(slept);
    }
}
