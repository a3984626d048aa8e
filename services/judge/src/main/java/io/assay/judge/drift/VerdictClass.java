package io.assay.judge.drift;

import io.assay.contracts.Judgment;

/**
 * The class in which two verdicts on the same answer are compared: they agree when their classes are
 * equal. The same classes as the aggregator's {@code judge-agreement} view (docs/aggregation.md, "Judge
 * agreement"): {@code correct} / {@code wrong}; pairwise {@code win} (much better, better), {@code tie},
 * {@code loss} (worse, much worse); preference the side of 1.5 ({@code win}, {@code tie}, {@code loss});
 * a score its exact value ({@code score 7.0}: no tolerance, a judge on an integer scale agrees only on the
 * same grade).
 */
public final class VerdictClass {
    private VerdictClass() {}

    /** The class of {@code judgment}'s verdict, {@code null} when it has none (unparseable). */
    public static String of(Judgment judgment) {
        if (judgment.unparseable()) {
            return null;
        }
        if (judgment.pairwise() != null) {
            return switch (judgment.pairwise().outcome()) {
                case MUCH_BETTER, BETTER -> "win";
                case TIE -> "tie";
                case WORSE, MUCH_WORSE -> "loss";
            };
        }
        if (judgment.preference() != null) {
            double p = judgment.preference();
            return p == 1.5 ? "tie" : p > 1.5 ? "win" : "loss";
        }
        if (judgment.score() != null) {
            return "score " + judgment.score().value();
        }
        if (judgment.correct() != null) {
            return judgment.correct() ? "correct" : "wrong";
        }
        return null;
    }
}
