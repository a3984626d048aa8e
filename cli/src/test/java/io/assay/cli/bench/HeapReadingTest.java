package io.assay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing what jcmd and /proc print, on outputs copied from OpenJDK 17's jcmd. */
class HeapReadingTest {
    private static final String SERIAL = """
            10750:
             def new generation   total 116224K, used 1024K [0x00000000e8000000, 0x00000000efe10000, 0x00000000f0000000)
              eden space 103360K,   0% used [0x00000000e8000000, 0x00000000e8000000, 0x00000000ee4f0000)
              from space 12864K,   0% used [0x00000000ee4f0000, 0x00000000ee4f0000, 0x00000000ef180000)
              to   space 12864K,   0% used [0x00000000ef180000, 0x00000000ef180000, 0x00000000efe10000)
             tenured generation   total 258048K, used 2242K [0x00000000f0000000, 0x00000000ffc00000, 0x0000000100000000)
               the space 258048K,   0% used [0x00000000f0000000, 0x00000000f0230848, 0x00000000f0230a00, 0x00000000ffc00000)
             Metaspace       used 8899K, committed 9088K, reserved 1114112K
              class space    used 1062K, committed 1152K, reserved 1048576K
            """;

    @Test
    void serialHeapIsYoungPlusTenuredWithoutMetaspace() {
        assertThat(HeapReading.heapUsedBytes(SERIAL)).isEqualTo((1024L + 2242L) * 1024);
    }

    @Test
    void g1HeapIsItsOneLine() {
        String g1 = """
                11149:
                 garbage-first heap   total 389120K, used 14628K [0x00000000e8000000, 0x0000000100000000)
                  region size 1024K, 14 young (14336K), 0 survivors (0K)
                 Metaspace       used 8913K, committed 9088K, reserved 1114112K
                  class space    used 1062K, committed 1152K, reserved 1048576K
                """;

        assertThat(HeapReading.heapUsedBytes(g1)).isEqualTo(14628L * 1024);
    }

    @Test
    void parallelHeapIsYoungPlusOld() {
        String parallel = """
                 PSYoungGen      total 113152K, used 19457K [0x00000000f8000000, 0x00000000ffe00000, 0x0000000100000000)
                  eden space 97280K, 20% used [0x00000000f8000000,0x00000000f9300498,0x00000000fdf00000)
                 ParOldGen       total 258048K, used 3K [0x00000000e8000000, 0x00000000f7c00000, 0x00000000f8000000)
                  object space 258048K, 0% used [0x00000000e8000000,0x00000000e8000000,0x00000000f7c00000)
                 Metaspace       used 8923K, committed 9088K, reserved 1114112K
                """;

        assertThat(HeapReading.heapUsedBytes(parallel)).isEqualTo((19457L + 3L) * 1024);
    }

    @Test
    void zgcHeapIsInMegabytes() {
        String z = """
                 ZHeap           used 24M, capacity 378M, max capacity 384M
                 Metaspace       used 8412K, committed 8576K, reserved 1114112K
                """;

        assertThat(HeapReading.heapUsedBytes(z)).isEqualTo(24L << 20);
    }

    @Test
    void textWithoutAHeapFigureIsRefusedNotReadAsZero() {
        assertThatThrownBy(() -> HeapReading.heapUsedBytes("12: Could not attach to the target VM"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no heap figure")
                .hasMessageContaining("Could not attach");
        assertThatThrownBy(() -> HeapReading.heapUsedBytes(" Metaspace       used 8412K, committed 8576K"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retainedIsTheLowestOfSeveralReadingsAfterFullCollections() {
        // the serial collector's dead wood: 12 MiB more in the tenured generation until its 4th full GC compacts
        String withDeadWood = SERIAL.replace("used 2242K", "used " + (2242 + 12 * 1024) + "K");

        assertThat(HeapReading.retainedBytes(List.of(withDeadWood, SERIAL, withDeadWood)))
                .isEqualTo((1024L + 2242L) * 1024);
        assertThatThrownBy(() -> HeapReading.retainedBytes(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void capAndCollectorFromTheFlags() {
        String flags = "10750:\n-XX:CICompilerCount=2 -XX:InitialHeapSize=396361728 -XX:MaxHeapSize=402653184 "
                + "-XX:MaxNewSize=134217728 -XX:SoftMaxHeapSize=402653184 -XX:+UseCompressedOops -XX:+UseSerialGC \n";

        assertThat(HeapReading.maxHeapBytes(flags)).isEqualTo(384L << 20);
        assertThat(HeapReading.collector(flags)).isEqualTo("Serial");
        assertThat(HeapReading.collector("-XX:MaxHeapSize=1 -XX:+UseG1GC")).isEqualTo("G1");
        assertThat(HeapReading.collector("-XX:MaxHeapSize=1")).isEqualTo("unknown");
        assertThatThrownBy(() -> HeapReading.maxHeapBytes("-XX:+UseSerialGC"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void histogramRowsByClassWithATwiceLoadedClassSummed() {
        String text = "32696:\n num     #instances         #bytes  class name (module)\n"
                + "-------------------------------------------------------\n"
                + "   1:         13054         794792  [B (java.base@17.0.15)\n"
                + "   2:          3002         360856  java.lang.Class (java.base@17.0.15)\n"
                + "   3:            10            240  io.assay.Slot\n"
                + "   4:             5            120  io.assay.Slot\n"
                + "Total         16071        1156008\n";

        Map<String, long[]> h = HeapReading.histogram(text);

        assertThat(h).containsOnlyKeys("[B", "java.lang.Class", "io.assay.Slot");
        assertThat(h.get("[B")).containsExactly(794_792L, 13_054L);
        assertThat(h.get("io.assay.Slot")).containsExactly(360L, 15L);
    }

    @Test
    void grownListsTheLargestGainsFirstAndLeavesOutWhatShrank() {
        Map<String, long[]> first =
                Map.of("[B", new long[] {1_000, 10}, "Shrinking", new long[] {5_000, 50}, "Same", new long[] {7, 1});
        Map<String, long[]> end = Map.of(
                "[B", new long[] {3_000, 30},
                "Shrinking", new long[] {4_000, 40},
                "Same", new long[] {7, 1},
                "NewClass", new long[] {9_000, 3},
                "Small", new long[] {10, 1});

        List<HeapFigures.Growth> grown = HeapReading.grown(first, end, 2);

        assertThat(grown)
                .containsExactly(
                        new HeapFigures.Growth("NewClass", 0, 9_000, 0, 3),
                        new HeapFigures.Growth("[B", 1_000, 3_000, 10, 30));
        assertThat(HeapReading.grown(first, end, 10))
                .extracting(HeapFigures.Growth::className)
                .containsExactly("NewClass", "[B", "Small");
    }

    @Test
    void rssFromProcStatusInKilobytes() {
        String status = "Name:\tjava\nVmPeak:\t 4000000 kB\nVmRSS:\t   77464 kB\nRssAnon:\t   60000 kB\n";

        assertThat(HeapReading.rssBytes(status)).isEqualTo(77464L * 1024);
        assertThat(HeapReading.rssBytes("Name:\tjava\n")).isEqualTo(-1);
    }

    @Test
    void mebibytesWithOneDecimalAndADashForNone() {
        assertThat(HeapReading.mib(384L << 20)).isEqualTo("384.0 MiB");
        assertThat(HeapReading.mib(1_572_864)).isEqualTo("1.5 MiB");
        assertThat(HeapReading.mib(-1)).isEqualTo("—");
    }
}
