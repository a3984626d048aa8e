package io.assay.invoker.limits;

/** A monotonic clock in nanoseconds; a seam so limits and breakers are unit-tested with a fake clock. */
@FunctionalInterface
public interface Ticker {
    /** The real thing: {@link System#nanoTime()}. */
    Ticker SYSTEM = System::nanoTime;

    /** Now, in nanoseconds from an arbitrary origin. */
    long nanos();
}
