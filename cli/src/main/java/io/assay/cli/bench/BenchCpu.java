package io.assay.cli.bench;

import java.time.Duration;

/** CPU time of processes, read from the operating system (on Linux, {@code /proc/<pid>/stat}). */
final class BenchCpu {
    private BenchCpu() {}

    /** The CPU seconds (user + system) a process has used since it started, NaN when the OS does not say. */
    static double cpuSeconds(ProcessHandle p) {
        return p.info().totalCpuDuration().map(BenchCpu::seconds).orElse(Double.NaN);
    }

    /** The CPU seconds this JVM has used. */
    static double ownCpuSeconds() {
        return cpuSeconds(ProcessHandle.current());
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
