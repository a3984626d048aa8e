package io.assay.aggregator.stats;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Run by hand, not by the build: the cost of {@code bt} on kept counts ({@link BattleCounts}) at
 * 1,000,000 battles of 100 models on 10,000 items (true ratings N(0, 200²), 10% ties), in two shapes:
 * every battle a model against one of 3 baselines (Assay's), and random pairs of the 100 (Arena's). Per
 * shape: the fold's cost per battle (the counts and their 200 Poisson replicates), then the point fit
 * ({@link BradleyTerry#fit}) and the interval ({@link BradleyTerry#ratings}: point fit + 200 replicate
 * fits), the first call and the best of the next five (warm JIT; the interval's thread CPU time too, which
 * a loaded machine inflates less than the wall time). Prints the load average.
 *
 * <pre>
 * ./mvnw -o -q test-compile -pl services/aggregator -am
 * java -cp services/aggregator/target/classes:services/aggregator/target/test-classes \
 *   io.assay.aggregator.stats.BradleyTerryTiming
 * </pre>
 */
public final class BradleyTerryTiming {
    private static final int MODELS = 100;
    private static final int BASELINES = 3;
    private static final int BATTLES = 1_000_000;
    private static final int ITEMS = 10_000;

    private BradleyTerryTiming() {}

    /** Prints the figures. */
    public static void main(String[] args) throws IOException {
        System.out.println(
                "load average: " + Files.readString(Path.of("/proc/loadavg")).trim());
        time("100 models x 3 baselines", true);
        time("100 models all vs all", false);
        System.out.println(
                "load average: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static void time(String shape, boolean baselines) {
        SplittableRandom random = new SplittableRandom(1);
        int players = MODELS + (baselines ? BASELINES : 0);
        double[] truth = new double[players];
        for (int i = 0; i < players; i++) {
            truth[i] = 200 * random.nextGaussian();
        }
        BattleCounts counts = new BattleCounts(true);
        long start = System.nanoTime();
        for (int t = 0; t < BATTLES; t++) {
            int a;
            int b;
            if (baselines) {
                a = random.nextInt(MODELS);
                b = MODELS + random.nextInt(BASELINES);
            } else {
                a = random.nextInt(MODELS);
                b = random.nextInt(MODELS - 1);
                b = b >= a ? b + 1 : b;
            }
            double p = 1 / (1 + Math.pow(10, (truth[b] - truth[a]) / 400));
            double score = random.nextDouble() < 0.1 ? 0.5 : random.nextDouble() < p ? 1 : 0;
            counts.add("m" + a, "m" + b, score, "item" + random.nextInt(ITEMS), 1);
        }
        double fold = (System.nanoTime() - start) / 1e3 / BATTLES;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        double[] point = new double[6];
        double[] interval = new double[6];
        double[] intervalCpu = new double[6];
        for (int run = 0; run < 6; run++) {
            start = System.nanoTime();
            BradleyTerry.fit(counts, null);
            point[run] = (System.nanoTime() - start) / 1e6;
            start = System.nanoTime();
            long startCpu = cpu.getCurrentThreadCpuTime();
            BradleyTerry.ratings(counts, null);
            interval[run] = (System.nanoTime() - start) / 1e6;
            intervalCpu[run] = (cpu.getCurrentThreadCpuTime() - startCpu) / 1e6;
        }
        System.out.printf(
                "%s, %d battles: fold %.2f us/battle; point fit first %.1f ms, warm %.2f ms;"
                        + " interval (1 + %d fits) first %.0f ms, warm %.0f ms (CPU %.0f ms)%n",
                shape,
                BATTLES,
                fold,
                point[0],
                best(point),
                BradleyTerry.RESAMPLES,
                interval[0],
                best(interval),
                best(intervalCpu));
        System.out.println("  m0 " + BradleyTerry.ratings(counts, null).get("m0"));
    }

    private static double best(double[] runs) {
        double best = Double.MAX_VALUE;
        for (int r = 1; r < runs.length; r++) {
            best = Math.min(best, runs[r]);
        }
        return best;
    }
}
