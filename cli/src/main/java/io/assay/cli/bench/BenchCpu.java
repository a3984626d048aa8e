package io.assay.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** CPU time of processes, read from the operating system (on Linux, {@code /proc/<pid>/stat}). */
final class BenchCpu {
    /**
     * Clock ticks per second of the times in {@code /proc/<pid>/task/<tid>/stat}: {@code USER_HZ}, which
     * Linux fixes at 100 for user space whatever the kernel's own tick rate ({@code getconf CLK_TCK}).
     */
    static final double TICKS_PER_SECOND = 100;

    private BenchCpu() {}

    /** A thread of a process: its id and the name the kernel keeps (the first 15 characters). */
    record ThreadId(long tid, String name) {}

    /** The CPU seconds (user + system) a process has used since it started, NaN when the OS does not say. */
    static double cpuSeconds(ProcessHandle p) {
        return p.info().totalCpuDuration().map(BenchCpu::seconds).orElse(Double.NaN);
    }

    /** The CPU seconds this JVM has used. */
    static double ownCpuSeconds() {
        return cpuSeconds(ProcessHandle.current());
    }

    /**
     * The CPU seconds a JVM's just-in-time compiler threads have used ({@code C1 CompilerThread<n>},
     * {@code C2 CompilerThread<n>}; the kernel keeps the first 15 characters of a thread's name), NaN
     * where there is no {@code /proc}. Only threads alive now are counted: with fewer than four CPUs a
     * HotSpot JVM runs one compiler thread of each tier, which live as long as it does.
     */
    static double jitCpuSeconds(ProcessHandle p) {
        try {
            return threadTicks(p).entrySet().stream()
                            .filter(t -> isCompilerName(t.getKey().name()))
                            .mapToLong(Map.Entry::getValue)
                            .sum()
                    / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * The user + system clock ticks ({@link #TICKS_PER_SECOND} a second) of each of a process's threads now,
     * keyed by thread id and the name the kernel keeps; a thread that ends meanwhile is left out.
     *
     * @throws IOException where there is no {@code /proc}
     */
    static Map<ThreadId, Long> threadTicks(ProcessHandle p) throws IOException {
        Map<ThreadId, Long> byThread = new LinkedHashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(p.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    byThread.put(
                            new ThreadId(Long.parseLong(task.getFileName().toString()), threadName(stat)),
                            userAndSystemTicks(stat));
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return byThread;
    }

    /**
     * The machine's CPU ticks now, busy and in all, summed over its cores (the first line of {@code /proc/stat};
     * idle and I/O wait are not busy); empty where there is no {@code /proc}.
     */
    static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
    }

    /** The share of the machine's CPU time that was busy between two {@link #machineTicks}; NaN if unknown. */
    static double busyShare(long[] before, long[] after) {
        if (before.length < 2 || after.length < 2 || after[1] == before[1]) {
            return Double.NaN;
        }
        return (double) (after[0] - before[0]) / (after[1] - before[1]);
    }

    /** Whether a {@code stat} line is a HotSpot compiler thread's: its name sits in the parentheses. */
    static boolean isCompiler(String stat) {
        return isCompilerName(threadName(stat));
    }

    private static boolean isCompilerName(String name) {
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
    }

    /** The thread's name in a {@code stat} line: between the first {@code (} and the last {@code )}. */
    static String threadName(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /**
     * Fields 14 and 15 of a {@code stat} line (utime, stime), counted after the name, which may itself
     * hold spaces and parentheses: the fields after its closing parenthesis start at field 3 (state).
     */
    static long userAndSystemTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
