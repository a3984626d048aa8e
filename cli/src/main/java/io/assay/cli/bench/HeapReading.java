package io.assay.cli.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code bench heap} reads from a service's JVM, parsed from the text of {@code jcmd} and
 * {@code /proc}: the heap in use after a full collection ({@code GC.heap_info} right after
 * {@code GC.run}), the heap cap and collector ({@code VM.flags}), and the resident set ({@code VmRSS}).
 */
final class HeapReading {
    /** A generation or a whole heap: "def new generation total 116224K, used 0K" (Serial, Parallel, G1). */
    private static final Pattern TOTAL_USED = Pattern.compile("\\btotal \\d+[KMG], used (\\d+)([KMG])\\b");
    /** ZGC's one line: "ZHeap used 24M, capacity 378M, max capacity 384M". */
    private static final Pattern ZHEAP = Pattern.compile("^\\s*ZHeap\\s+used (\\d+)([KMG])\\b", Pattern.MULTILINE);

    private static final Pattern MAX_HEAP = Pattern.compile("-XX:MaxHeapSize=(\\d+)\\b");
    private static final Pattern COLLECTOR =
            Pattern.compile("-XX:\\+Use(Serial|Parallel|G1|Z|Shenandoah|Epsilon)GC\\b");
    /** A row of GC.class_histogram: "   1:         13054         794792  [B (java.base@17.0.15)". */
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    private static final Pattern RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB$", Pattern.MULTILINE);

    private HeapReading() {}

    /**
     * The heap in use, in bytes, from the output of {@code jcmd <pid> GC.heap_info}: the sum of the
     * {@code used} figures of the lines that give a generation's (or the whole heap's) {@code total},
     * i.e. young + old for the serial and parallel collectors, the one heap line for G1, the
     * {@code ZHeap} line for ZGC. Metaspace (not heap) and the spaces inside a generation (already in
     * its figure) are not counted. Right after {@code GC.run} (a full collection for these
     * collectors) this is the heap the live objects retain, plus what was allocated between the two
     * commands.
     *
     * @throws IllegalArgumentException when the text holds none of these lines
     */
    static long heapUsedBytes(String heapInfo) {
        long used = 0;
        boolean found = false;
        for (String line : heapInfo.split("\n")) {
            if (line.stripLeading().startsWith("Metaspace")
                    || line.stripLeading().startsWith("class space")) {
                continue;
            }
            Matcher m = TOTAL_USED.matcher(line);
            if (m.find()) {
                used += bytes(m.group(1), m.group(2));
                found = true;
            }
        }
        Matcher z = ZHEAP.matcher(heapInfo);
        if (z.find()) {
            used += bytes(z.group(1), z.group(2));
            found = true;
        }
        if (!found) {
            throw new IllegalArgumentException("no heap figure in GC.heap_info: " + firstLines(heapInfo));
        }
        return used;
    }

    /**
     * The heap retained, in bytes: the lowest {@link #heapUsedBytes} of {@code heapInfos}, each read right
     * after a full collection (see {@link HeapBench#FULL_GCS} for why one is not enough).
     */
    static long retainedBytes(List<String> heapInfos) {
        return heapInfos.stream()
                .mapToLong(HeapReading::heapUsedBytes)
                .min()
                .orElseThrow(() -> new IllegalArgumentException("no GC.heap_info reading"));
    }

    /** The heap cap in bytes ({@code -XX:MaxHeapSize}) from the output of {@code jcmd <pid> VM.flags}. */
    static long maxHeapBytes(String flags) {
        Matcher m = MAX_HEAP.matcher(flags);
        if (!m.find()) {
            throw new IllegalArgumentException("no -XX:MaxHeapSize in VM.flags: " + firstLines(flags));
        }
        return Long.parseLong(m.group(1));
    }

    /** The collector ({@code Serial}, {@code G1}, ...) from the output of {@code jcmd <pid> VM.flags}. */
    static String collector(String flags) {
        Matcher m = COLLECTOR.matcher(flags);
        return m.find() ? m.group(1) : "unknown";
    }

    /** The resident set in bytes from the text of {@code /proc/<pid>/status}, or -1 when it has none. */
    static long rssBytes(String procStatus) {
        Matcher m = RSS.matcher(procStatus);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    /**
     * The live bytes and instances per class from the output of {@code jcmd <pid> GC.class_histogram}
     * (which counts only live objects: it runs a full collection first), keyed by class name.
     */
    static Map<String, long[]> histogram(String text) {
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = HISTOGRAM_ROW.matcher(line);
            if (m.find()) {
                // A class loaded by two loaders appears twice: summed.
                long[] c = classes.computeIfAbsent(m.group(3), k -> new long[2]);
                c[0] += Long.parseLong(m.group(2));
                c[1] += Long.parseLong(m.group(1));
            }
        }
        return classes;
    }

    /**
     * The {@code top} classes whose live bytes grew most from histogram {@code first} to {@code end}
     * (as {@link #histogram} reads them), largest growth first; classes that shrank or stayed are left out.
     */
    static List<HeapFigures.Growth> grown(Map<String, long[]> first, Map<String, long[]> end, int top) {
        List<HeapFigures.Growth> grown = new ArrayList<>();
        end.forEach((name, e) -> {
            long[] f = first.getOrDefault(name, new long[2]);
            if (e[0] > f[0]) {
                grown.add(new HeapFigures.Growth(name, f[0], e[0], f[1], e[1]));
            }
        });
        grown.sort(Comparator.comparingLong(HeapFigures.Growth::bytesGrown)
                .reversed()
                .thenComparing(HeapFigures.Growth::className));
        return grown.subList(0, Math.min(top, grown.size()));
    }

    /** {@code bytes} in MiB with one decimal, e.g. {@code 61.3 MiB}; "—" for a figure not taken (negative). */
    static String mib(long bytes) {
        return bytes < 0 ? "—" : String.format(Locale.ROOT, "%,.1f MiB", bytes / (double) (1 << 20));
    }

    private static long bytes(String number, String unit) {
        long n = Long.parseLong(number);
        return switch (unit) {
            case "K" -> n << 10;
            case "M" -> n << 20;
            default -> n << 30;
        };
    }

    private static String firstLines(String text) {
        String t = text.strip();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
