package io.assay.cli.bench;

/** Reading a counter from a service's {@code /q/metrics} (the Prometheus text format), as the benches poll them. */
final class PrometheusText {
    private PrometheusText() {}

    /**
     * The sum of the samples whose line starts with {@code prefix} (a metric name and its opening brace,
     * e.g. {@code assay_judge_judgments_total{}) and contains every one of {@code filters} (e.g.
     * {@code outcome="counted"}), truncated to a whole number; comment lines never match.
     */
    static long sum(String text, String prefix, String... filters) {
        return (long) total(text, prefix, filters);
    }

    /** {@link #sum} without the truncation: for seconds and other fractional samples. */
    static double total(String text, String prefix, String... filters) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (!line.startsWith(prefix)) {
                continue;
            }
            boolean all = true;
            for (String f : filters) {
                all &= line.contains(f);
            }
            if (all) {
                sum += value(line);
            }
        }
        return sum;
    }

    /** The value of one sample line: what follows its last space. */
    static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).strip());
    }
}
