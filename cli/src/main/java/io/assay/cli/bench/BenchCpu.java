package io.assay.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/** CPU time of processes, read from the operating system (on Linux, {@code /proc/<pid>/stat}). */
final class BenchCpu {
    /**
     * Clock ticks per second of the times in {@code /proc/<pid>/task/<tid>/stat}: {@code USER_HZ}, which
     * Linux fixes at 100 for user space whatever the kernel's own tick rate ({@code getconf CLK_TCK}).
     */
    private static final double TICKS_PER_SECOND = 100;

    private BenchCpu() {}

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
        Path tasks = Path.of("/proc", Long.toString(p.pid()), "task");
        try (Stream<Path> threads = Files.list(tasks)) {
            return threads.mapToLong(BenchCpu::compilerTicks).sum() / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** A thread's user + system ticks if it is a JIT compiler thread, else 0 (also when it has just exited). */
    private static long compilerTicks(Path task) {
        String stat;
        try {
            stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
            return 0;
        }
        return isCompiler(stat) ? userAndSystemTicks(stat) : 0;
    }

    /** Whether a {@code stat} line is a HotSpot compiler thread's: its name sits in the parentheses. */
    static boolean isCompiler(String stat) {
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
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
