package io.assay.aggregator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The heap the slot path's default limit is taken on ({@link LeaderboardReader#slotHeap()}): the old generation, in
 * a JVM started as the chart's and the local stack's aggregator is (384 MiB, the serial collector), and in this one.
 */
class SlotHeapTest {
    @Test
    void withTheSerialCollectorItIsTheOldGenerationTwoThirdsOfTheHeap() throws Exception {
        // When: a JVM with the aggregator's heap and collector prints it
        Process java = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx384m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Print.class.getName())
                .redirectErrorStream(true)
                .start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(out).isZero();

        // Then: the old generation, about two thirds of the heap (256 MiB of 384 on Java 17; the JVM reports 371 MiB
        // as its max heap, one survivor space not counted), so the default limit is about 524,000 slots, not 760,000
        String[] figures = out.split(" ");
        long slotHeap = Long.parseLong(figures[0]);
        long maxHeap = Long.parseLong(figures[1]);
        assertThat(slotHeap)
                .isBetween((384L << 20) * 6 / 10, (384L << 20) * 7 / 10)
                .isLessThan(maxHeap);
        assertThat(slotHeap / LeaderboardReader.HEAP_PER_SLOT).isBetween(470_000L, 550_000L);
    }

    @Test
    void inThisJvmItIsAtMostTheMaxHeap() {
        assertThat(LeaderboardReader.slotHeap())
                .isPositive()
                .isLessThanOrEqualTo(Runtime.getRuntime().maxMemory());
    }

    /** Prints the slot heap and the max heap of its JVM. */
    public static final class Print {
        public static void main(String[] args) {
            System.out.println(
                    LeaderboardReader.slotHeap() + " " + Runtime.getRuntime().maxMemory());
        }
    }
}
