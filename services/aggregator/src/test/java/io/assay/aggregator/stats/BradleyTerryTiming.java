package io.assay.aggregator.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Run by hand, not by the build: the time of {@link BradleyTerry#ratings} for 100 models and 1,000,000
 * battles (random pairs, true ratings N(0, 200²), 10% ties), {@link BradleyTerry#RESAMPLES} resamples.
 * {@code java -cp services/aggregator/target/classes:services/aggregator/target/test-classes
 * io.assay.aggregator.stats.BradleyTerryTiming}
 */
public final class BradleyTerryTiming {
    private BradleyTerryTiming() {}

    /** Prints the figure. */
    public static void main(String[] args) {
        int models = 100;
        int n = 1_000_000;
        SplittableRandom random = new SplittableRandom(1);
        double[] truth = new double[models];
        for (int i = 0; i < models; i++) {
            truth[i] = 200 * random.nextGaussian();
        }
        List<Battle> battles = new ArrayList<>(n);
        for (int t = 0; t < n; t++) {
            int a = random.nextInt(models);
            int b = random.nextInt(models - 1);
            b = b >= a ? b + 1 : b;
            double p = 1 / (1 + Math.pow(10, (truth[b] - truth[a]) / 400));
            double tie = random.nextDouble();
            double score = tie < 0.1 ? 0.5 : random.nextDouble() < p ? 1 : 0;
            battles.add(new Battle("m" + a, "m" + b, score));
        }
        long start = System.nanoTime();
        var ratings = BradleyTerry.ratings(battles, null, BradleyTerry.RESAMPLES, 20240601L);
        long end = System.nanoTime();
        System.out.printf(
                "ratings(): %d models x %d battles, %d resamples: %.2f s%n",
                models, n, BradleyTerry.RESAMPLES, (end - start) / 1e9);
        System.out.println("m0 " + ratings.get("m0"));
    }
}
