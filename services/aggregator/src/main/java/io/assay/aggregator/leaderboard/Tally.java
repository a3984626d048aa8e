package io.assay.aggregator.leaderboard;

/**
 * Counts of one model on one category of one benchmark. The coordinates are stored in the value
 * too, so readers never parse keys (model ids and categories may contain the separator).
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

    /** The store key: {@code benchmark|modelId|category} ({@code -} for no category). */
    public static String key(String benchmark, String modelId, String category) {
        return benchmark + Fold.SEPARATOR + modelId + Fold.SEPARATOR + (category == null ? Fold.NONE : category);
    }

    /** The prefix of every tally key of a benchmark (benchmark names cannot contain the separator). */
    public static String prefix(String benchmark) {
        return benchmark + Fold.SEPARATOR;
    }

    /** This tally's store key. */
    public String key() {
        return key(benchmark, modelId, category);
    }

    /** Adds ({@code sign} 1) or retracts ({@code sign} -1) one verdict. */
    public Tally plus(Slot verdict, int sign) {
        if (verdict.unparseable()) {
            return new Tally(benchmark, modelId, category, n, correct, unparseable + sign);
        }
        return new Tally(benchmark, modelId, category, n + sign, correct + (verdict.correct() ? sign : 0), unparseable);
    }

    /** The sum of two partial tallies of the same coordinates (held by different stream tasks). */
    public Tally plus(Tally other) {
        return new Tally(benchmark, modelId, category, n + other.n, correct + other.correct, unparseable + other.unparseable);
    }

    /** Whether nothing is counted any more (the tally can be deleted). */
    public boolean isEmpty() {
        return n == 0 && correct == 0 && unparseable == 0;
    }

    /** Judgments behind this tally, parseable or not. */
    public long judgments() {
        return n + unparseable;
    }
}
