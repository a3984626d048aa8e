package io.assay.aggregator.stats;

import java.util.Map;

/** Small descriptive statistics shared by the views. */
public final class Stats {
    private Stats() {}

    /** The arithmetic mean; NaN when empty. */
    public static double mean(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** The sample standard deviation (divisor n − 1); NaN below two values. */
    public static double sampleSd(double[] values) {
        if (values.length < 2) {
            return Double.NaN;
        }
        double m = mean(values);
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (values.length - 1));
    }

    /**
     * The weighted mean {@code Σ w_c·x_c / Σ w_c} over the categories present in {@code values};
     * a category without a weight weighs {@code defaultWeight}. NaN when nothing is present.
     */
    public static double weightedMean(Map<String, Double> values, Map<String, Double> weights, double defaultWeight) {
        double num = 0;
        double den = 0;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            double w = weights == null ? defaultWeight : weights.getOrDefault(e.getKey(), defaultWeight);
            num += w * e.getValue();
            den += w;
        }
        return den == 0 ? Double.NaN : num / den;
    }
}
