package io.assay.aggregator.leaderboard;

import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;

/** What a {@link Slot} reads from a judgment's {@code details}, which scorers and imports fill. */
final class JudgmentDetails {
    private JudgmentDetails() {}

    /**
     * Where a reference judgment says the correct choice was shown ({@code details.correctShownIndex}, a
     * non-negative integer), {@code null} when it does not say.
     */
    static Integer correctPosition(Judgment j) {
        if (j.kind() != JudgmentKind.CORRECT
                || j.details() == null
                || !(j.details().get("correctShownIndex") instanceof Number n)
                || n.doubleValue() < 0
                || n.doubleValue() != Math.rint(n.doubleValue())) {
            return null;
        }
        return n.intValue();
    }

    /**
     * A number a preference judgment carries in its details ({@code baselineChars}, which the judge writes
     * there, and {@code instructionDifficulty}, which it copies from the item's metadata), {@code null}
     * for other kinds or when absent.
     */
    static <T> T number(Judgment j, String key, Class<T> type) {
        if (j.kind() != JudgmentKind.PREFERENCE
                || j.details() == null
                || !(j.details().get(key) instanceof Number n)) {
            return null;
        }
        return type.cast(type == Integer.class ? (Object) n.intValue() : (Object) n.doubleValue());
    }
}
