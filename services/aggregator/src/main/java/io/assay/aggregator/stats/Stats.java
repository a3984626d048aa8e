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
     * WildBench's task-macro average: {@code Σ w_c·x_c} over the categories present in {@code values},
     * divided by the sum of <em>every</em> weight in {@code weights}, present or not — a model without
     * a category counts 0 there (WildBench's {@code _create_tables.py}, lines 205 and 246 in
     * allenai/WildBench: {@code / sum(weights_by_task.values())}, 4.75 for its five tasks). A present
     * category missing from {@code weights} weighs 1 in the numerator only: pass a table that names every
     * category ({@code Rows.macroWeights}). NaN when nothing is present.
     */
    public static double taskMacro(Map<String, Double> values, Map<String, Double> weights) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double num = 0;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            num += weights.getOrDefault(e.getKey(), 1.0) * e.getValue();
        }
        double den = 0;
        for (double w : weights.values()) {
            den += w;
        }
        return den == 0 ? Double.NaN : num / den;
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
