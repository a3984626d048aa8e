package io.assay.aggregator.messaging;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * What the in-process view benches ({@code JudgeAgreementBenchmark}, {@code IrtCellsBenchmark}) measure: wall and
 * calling-thread CPU time, and with a third row the bytes the calling thread allocated, runs recorded as {@code
 * long[2][runs]} (wall, CPU; nanoseconds) or {@code long[3][runs]} (and bytes) and printed as medians, and the live
 * heap.
 */
final class InProcessBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private InProcessBench() {}

    /** Wall and this thread's CPU time now, in nanoseconds, and the bytes this thread has allocated. */
    static long[] now() {
        return new long[] {
            System.nanoTime(),
            CPU.getCurrentThreadCpuTime(),
            ((com.sun.management.ThreadMXBean) CPU).getCurrentThreadAllocatedBytes()
        };
    }

    /** Records the wall and CPU time (and the bytes allocated, with a third row) since {@code t0} as run {@code i}. */
    static void since(long[] t0, long[][] runs, int i) {
        long[] t1 = now();
        for (int r = 0; r < runs.length; r++) {
            runs[r][i] = t1[r] - t0[r];
        }
    }

    /** The median wall time, and the median CPU time, in ms (and the median bytes allocated, in MB). */
    static String median(long[][] runs) {
        String allocated = runs.length > 2 ? String.format(", %.1f MB allocated", median(runs[2]) / 1e6) : "";
        return String.format("%.1f ms (CPU %.1f ms%s)", median(runs[0]) / 1e6, median(runs[1]) / 1e6, allocated);
    }

    /** The heap in use after a full collection (requested twice): the live objects, roughly. */
    static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double median(long[] runs) {
        long[] sorted = runs.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The most heap in use after any GC from its start to {@link #stop}: the heap pools' use after it, summed. */
    static final class PeakAfterGc {
        private final java.util.List<javax.management.NotificationEmitter> emitters = new java.util.ArrayList<>();
        private final javax.management.NotificationListener listener;
        private volatile long peak;
        /** The heap's pools (a GC's figures include metaspace and the code cache too). */
        private final java.util.Set<String> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                .map(java.lang.management.MemoryPoolMXBean::getName)
                .collect(java.util.stream.Collectors.toSet());

        PeakAfterGc() {
            listener = (notification, handback) -> {
                if (notification
                        .getType()
                        .equals(com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    com.sun.management.GarbageCollectionNotificationInfo info =
                            com.sun.management.GarbageCollectionNotificationInfo.from(
                                    (javax.management.openmbean.CompositeData) notification.getUserData());
                    long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                            .filter(e -> heap.contains(e.getKey()))
                            .mapToLong(e -> e.getValue().getUsed())
                            .sum();
                    peak = Math.max(peak, used);
                }
            };
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                javax.management.NotificationEmitter emitter = (javax.management.NotificationEmitter) gc;
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }

        long stop() throws InterruptedException {
            // Notifications come from another thread, shortly after their GC.
            Thread.sleep(500);
            for (javax.management.NotificationEmitter e : emitters) {
                try {
                    e.removeNotificationListener(listener);
                } catch (javax.management.ListenerNotFoundException ignored) {
                    // Never: added above.
                }
            }
            return peak;
        }
    }
}
