package io.assay.aggregator.leaderboard;

/**
 * Reference-verdict counts of one model on one category of one benchmark, summed from its slots
 * for the accuracy view.
 *
 * @param benchmark the benchmark
 * @param modelId the model
 * @param category the category, {@code null} for items without one
 * @param n parseable verdicts
 * @param correct correct verdicts among them
 * @param unparseable verdicts that could not be parsed, excluded from {@code n}
 */
public record Tally(String benchmark, String modelId, String category, long n, long correct, long unparseable) {

    /** An empty tally at these coordinates. */
    public static Tally empty(String benchmark, String modelId, String category) {
        return new Tally(benchmark, modelId, category, 0, 0, 0);
    }

    /** A grouping key: {@code benchmark|modelId|category} ({@code -} for no category). */
    public static String key(String benchmark, String modelId, String category) {
        return benchmark + Fold.SEPARATOR + modelId + Fold.SEPARATOR + (category == null ? Fold.NONE : category);
    }

    /** This tally with one more verdict. */
    public Tally plus(Slot verdict) {
        if (verdict.unparseable()) {
            return new Tally(benchmark, modelId, category, n, correct, unparseable + 1);
        }
        return new Tally(benchmark, modelId, category, n + 1, correct + (verdict.correct() ? 1 : 0), unparseable);
    }
}
