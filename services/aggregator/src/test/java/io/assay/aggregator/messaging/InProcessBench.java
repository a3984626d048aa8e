package io.assay.aggregator.messaging;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * What the in-process view benches ({@code JudgeAgreementBenchmark}, {@code IrtCellsBenchmark}) measure: wall and
 * calling-thread CPU time, runs recorded as {@code long[2][runs]} (wall, CPU; nanoseconds) and printed as medians,
 * and the live heap.
 */
final class InProcessBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private InProcessBench() {}

    /** Wall and this thread's CPU time now, in nanoseconds. */
    static long[] now() {
        return new long[] {System.nanoTime(), CPU.getCurrentThreadCpuTime()};
    }

    /** Records the wall and CPU time since {@code t0} as run {@code i} of {@code runs}. */
    static void since(long[] t0, long[][] runs, int i) {
        long[] t1 = now();
        runs[0][i] = t1[0] - t0[0];
        runs[1][i] = t1[1] - t0[1];
    }

    /** The median wall time, and the median CPU time, in ms. */
    static String median(long[][] runs) {
        return median(runs[0]) + " ms (CPU " + median(runs[1]) + " ms)";
    }

    /** The heap in use after a full collection (requested twice): the live objects, roughly. */
    static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("%.1f", sorted[sorted.length / 2] / 1e6);
    }
}
