package io.assay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reading a thread's CPU ticks and kind from its {@code /proc/<pid>/task/<tid>/stat} line. */
class BenchCpuTest {

    /** A compiler thread's line as Linux writes it: the name in parentheses, utime 1234 and stime 56. */
    private static final String COMPILER = "4242 (C2 CompilerThre) S 4200 4200 4200 0 -1 1077936192 87 0 0 0 "
            + "1234 56 0 0 20 0 30 0 345 4096 12 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 -1 1 0 0 0 0 0";

    @Test
    void readsUserAndSystemTicksAfterTheName() {
        assertThat(BenchCpu.isCompiler(COMPILER)).isTrue();
        assertThat(BenchCpu.userAndSystemTicks(COMPILER)).isEqualTo(1290);
    }

    @Test
    void aNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String odd = COMPILER.replace("(C2 CompilerThre)", "(a (b) c) d)");

        assertThat(BenchCpu.threadName(odd)).isEqualTo("a (b) c) d");
        assertThat(BenchCpu.isCompiler(odd)).isFalse();
        assertThat(BenchCpu.userAndSystemTicks(odd)).isEqualTo(1290);
    }

    @Test
    void theTiersCompilerThreadsCountOthersDoNot() {
        assertThat(BenchCpu.isCompiler(COMPILER.replace("C2", "C1"))).isTrue();
        assertThat(BenchCpu.isCompiler(COMPILER.replace("C2 CompilerThre", "VM Thread")))
                .isFalse();
    }

    @Test
    void thisJvmsCompilerThreadsHaveSpentSomething() {
        assertThat(BenchCpu.jitCpuSeconds(ProcessHandle.current())).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void everyLiveThreadOfThisJvmIsListedByIdAndName() throws Exception {
        // HotSpot gives the kernel a thread's name in the new thread itself, before run(): start() may return first.
        CountDownLatch running = new CountDownLatch(1);
        Thread worker = new Thread(
                () -> {
                    running.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        // the test is over
                    }
                },
                "bench-cpu-test");
        worker.start();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(BenchCpu.threadTicks(ProcessHandle.current()).keySet())
                    .anyMatch(thread -> thread.tid() > 0 && thread.name().equals("bench-cpu-test"));
        } finally {
            worker.interrupt();
        }
    }

    @Test
    void theMachinesBusyShareIsTheBusyTicksOverAll() {
        assertThat(BenchCpu.busyShare(new long[] {100, 400}, new long[] {250, 600}))
                .isEqualTo(0.75);
        assertThat(BenchCpu.busyShare(new long[0], new long[] {250, 600})).isNaN();
        long[] now = BenchCpu.machineTicks();
        assertThat(now).hasSize(2);
        assertThat(now[0]).isBetween(0L, now[1]);
    }
}
