package io.assay.aggregator.stats;

import io.assay.aggregator.stats.LengthControlled.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * How often intervals of {@code lc-winrate} hold the true length-controlled win rate, on SIMULATED preferences from a
 * known GLM (the truth the simulated models exist for): the view's, the delta method's ({@link
 * LengthControlled#interval}), and the same without the items' spread (the coefficients' part only); LC ∓ 1.96 ·
 * upstream's {@code lc_standard_error} ({@link LengthControlled#lcStandardError}); and the bootstrap percentile
 * interval the view gave until session 50 (200 resamples of the rows, each refitted with the C chosen on all rows).
 * Prints figures, asserts nothing: {@code ./mvnw -o test -pl services/aggregator -Dtest=LcIntervalCoverageBenchmark
 * -Dassay.bench=lc-coverage -Dsurefire.failIfNoSpecifiedTests=false} (optional {@code -Dassay.bench.reps=200
 * -Dassay.bench.items=805}).
 *
 * <p>The model: n items with γ ~ N(0, 1), the baseline's answer 2,000 ± 600 code points and the model's 1,800 ±
 * 600, P(model preferred) = σ(θ_len·tanh(δ/sd(δ)) + θ_instr·γ + θ_model) with θ = (−0.8, −0.7, 0.3), each verdict a
 * hard 2 or 1 drawn from it. Two truths: the items' own LC, 100·mean_i σ(θ_instr·γ_i + θ_model) over the benchmark's
 * items (the items kept, only the verdicts drawn again each repetition); and the population's, over γ ~ N(0, 1)
 * (the items drawn again too).
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "lc-coverage")
class LcIntervalCoverageBenchmark {
    private static final double[] THETA = {-0.8, -0.7, 0.3};
    private static final double Z = 1.959963984540054;

    @Test
    void coverage() {
        int reps = Integer.getInteger("assay.bench.reps", 200);
        int n = Integer.getInteger("assay.bench.items", 805);
        double population = populationLc();
        System.out.printf(
                "lc-winrate intervals on SIMULATED preferences: %d items, %d repetitions, theta %s, population LC %.3f%n",
                n, reps, Arrays.toString(THETA), population);
        for (boolean fixedItems : new boolean[] {true, false}) {
            SplittableRandom random = new SplittableRandom(20261207L);
            Items items = Items.draw(random, n);
            Tally view = new Tally("delta method (the view's)");
            Tally coefficients = new Tally("delta method, the coefficients' part only");
            Tally sem = new Tally("LC -+ 1.96 lc_standard_error (upstream's sem)");
            Tally boot = new Tally("bootstrap percentile (the view's until session 50)");
            double sumLc = 0;
            long cpuBoot = 0;
            long cpuFit = 0;
            long cpuDelta = 0;
            for (int r = 0; r < reps; r++) {
                if (!fixedItems) {
                    items = Items.draw(random, n);
                }
                double truth = fixedItems ? items.lc() : population;
                List<Pair> pairs = items.verdicts(random);
                Map<String, Double> gamma = items.difficulty();
                long t0 = System.nanoTime();
                LengthControlled.Fit fit = LengthControlled.fit(pairs, Map.of(), gamma);
                long t1 = System.nanoTime();
                double[] d = LengthControlled.interval(pairs, Map.of(), gamma, fit);
                long t2 = System.nanoTime();
                double[] b = Bootstrap.interval(pairs.size(), Bootstrap.RESAMPLES, Bootstrap.SEED + r, idx -> {
                    List<Pair> sample = new ArrayList<>(idx.length);
                    for (int i : idx) {
                        sample.add(pairs.get(i));
                    }
                    return LengthControlled.fit(sample, Map.of(), gamma, fit.c())
                            .lcWinRate();
                });
                long t3 = System.nanoTime();
                cpuFit += t1 - t0;
                cpuDelta += t2 - t1;
                cpuBoot += t3 - t2;
                double lc = fit.lcWinRate();
                double se = fit.lcStandardError();
                sumLc += lc;
                view.add(d[0], d[1], truth);
                double half = (d[1] - d[0]) / 2;
                double fitPart = Z * Math.sqrt(Math.max(0, (half / Z) * (half / Z) - se * se));
                coefficients.add(lc - fitPart, lc + fitPart, truth);
                sem.add(lc - Z * se, lc + Z * se, truth);
                boot.add(b[0], b[1], truth);
            }
            System.out.printf(
                    "%s: mean LC %.3f; fit (5-fold CV) %.1f ms, delta method %.2f ms, bootstrap %.1f ms a repetition%n",
                    fixedItems
                            ? "the benchmark's items fixed, truth their own LC " + String.format("%.3f", items.lc())
                            : "items drawn each time, truth the population's LC",
                    sumLc / reps,
                    cpuFit / 1e6 / reps,
                    cpuDelta / 1e6 / reps,
                    cpuBoot / 1e6 / reps);
            for (Tally t : List.of(view, coefficients, sem, boot)) {
                System.out.println("  " + t);
            }
        }
    }

    /** The population's LC: 100·E σ(θ_instr·γ + θ_model), γ ~ N(0, 1), by Gauss–Hermite-free quadrature on a grid. */
    private static double populationLc() {
        double sum = 0;
        double weight = 0;
        for (double z = -10; z <= 10; z += 1e-4) {
            double phi = Math.exp(-z * z / 2);
            sum += phi * PenalizedLogistic.sigmoid(THETA[1] * z + THETA[2]);
            weight += phi;
        }
        return 100 * sum / weight;
    }

    /** A benchmark's items: γ and the two answers' lengths of each. */
    private record Items(double[] gamma, int[] baselineChars, int[] answerChars) {
        static Items draw(SplittableRandom random, int n) {
            double[] g = new double[n];
            int[] base = new int[n];
            int[] answer = new int[n];
            for (int i = 0; i < n; i++) {
                g[i] = random.nextGaussian();
                base[i] = (int) Math.max(50, Math.round(2000 + 600 * random.nextGaussian()));
                answer[i] = (int) Math.max(50, Math.round(1800 + 600 * random.nextGaussian()));
            }
            return new Items(g, base, answer);
        }

        double lc() {
            double sum = 0;
            for (double g : gamma) {
                sum += PenalizedLogistic.sigmoid(THETA[1] * g + THETA[2]);
            }
            return 100 * sum / gamma.length;
        }

        Map<String, Double> difficulty() {
            Map<String, Double> m = new HashMap<>();
            for (int i = 0; i < gamma.length; i++) {
                m.put("q" + i, gamma[i]);
            }
            return m;
        }

        /** One verdict an item, a hard 2 or 1 from the GLM with the true θ. */
        List<Pair> verdicts(SplittableRandom random) {
            int n = gamma.length;
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = baselineChars[i] - answerChars[i];
            }
            double mean = Arrays.stream(d).average().orElseThrow();
            double sd =
                    Math.sqrt(Arrays.stream(d).map(v -> (v - mean) * (v - mean)).sum() / (n - 1));
            List<Pair> pairs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                double p = PenalizedLogistic.sigmoid(THETA[0] * Math.tanh(d[i] / sd) + THETA[1] * gamma[i] + THETA[2]);
                pairs.add(new Pair("q" + i, random.nextDouble() < p ? 2.0 : 1.0, answerChars[i], baselineChars[i]));
            }
            return pairs;
        }
    }

    /** How often an interval held the truth, and its mean width. */
    private static final class Tally {
        private final String name;
        private int held;
        private int n;
        private double width;

        Tally(String name) {
            this.name = name;
        }

        void add(double lower, double upper, double truth) {
            n++;
            width += upper - lower;
            if (lower <= truth && truth <= upper) {
                held++;
            }
        }

        @Override
        public String toString() {
            double share = (double) held / n;
            return String.format(
                    "%-46s held the truth in %5.1f%% (±%.1f) of %d, mean width %.2f points",
                    name, 100 * share, 100 * Math.sqrt(share * (1 - share) / n), n, width / n);
        }
    }
}
