package io.assay.aggregator.leaderboard;

import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.Origin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * A jury's verdict per member model, as the judge combined it (docs/judging.md, "LLM judges"): from
     * {@code details.verdicts}, each parsed verdict's {@code value} taken from the subject's side — a pairwise
     * value shown with the baseline first ({@code order: baseline_first}) negated, a preference one 1 − P(A) —
     * and a member's orders averaged. {@code null} unless the judgment is a pipeline jury's (more than one
     * {@code jury} member) with a parsed verdict.
     */
    static Map<String, Double> juryVerdicts(Judgment j) {
        if (j.origin() == Origin.HUMAN
                || j.unparseable()
                || j.judge().jury() == null
                || j.judge().jury().size() < 2
                || j.details() == null
                || !(j.details().get("verdicts") instanceof List<?> verdicts)) {
            return null;
        }
        Map<String, List<Double>> byMember = new LinkedHashMap<>();
        for (Object o : verdicts) {
            if (o instanceof Map<?, ?> v
                    && "parsed".equals(v.get("status"))
                    && v.get("judgeModel") instanceof String member
                    && v.get("value") instanceof Number n) {
                boolean mirrored = "baseline_first".equals(v.get("order"));
                double value = n.doubleValue();
                double side = switch (j.kind()) {
                    case PAIRWISE -> mirrored ? -value : value;
                    case PREFERENCE -> mirrored ? 1 - value : value;
                    default -> value;
                };
                byMember.computeIfAbsent(member, k -> new ArrayList<>()).add(side);
            }
        }
        if (byMember.isEmpty()) {
            return null;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        byMember.forEach((member, values) -> out.put(
                member,
                values.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
        return out;
    }
}
