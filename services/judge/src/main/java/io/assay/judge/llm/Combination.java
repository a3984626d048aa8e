package io.assay.judge.llm;

import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Protocol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How verdicts combine into one judgment. Every rule works on the subject's side: a pairwise verdict
 * shown with the baseline first is mirrored ({@code A+} then means the baseline is better: −1), a
 * preference shown with the baseline first is {@code 1 − P(A)}.
 *
 * <p><b>Position swap</b> (per judge model): the mean of the two orders' subject-side values (Balanced
 * Position Calibration, Wang et al. 2023). For pairwise, the mean m on −2..2 becomes a level by rounding
 * |m| half <em>toward zero</em>: {@code A++} and {@code B+} mirrored (2 and 1) give 1.5 → better, not much
 * better; {@code A+} in one order and its mirror in the other (1 and −1) give 0 → tie. A disagreement
 * between orders never produces a stronger outcome than either order. The two orders are consistent when
 * their subject-side values have the same sign (both win, both tie or both lose).
 *
 * <p><b>Jury</b> ({@code combine}): {@code mean} (default) averages the members' values — scores,
 * subject-side pairwise values (then rounded as above), preferences. {@code majority} takes, for scores,
 * the median (the lower of the two middle values for an even jury); for pairwise, the level most members
 * chose, falling back to the mean rule when no level has a strict plurality; for preferences, one plus the
 * share of members preferring the subject (a member at exactly 1.5 counts half). {@code weighted} gives each
 * member a weight (PRE-style qualification, {@link JuryWeights}): for scores and preferences the weighted mean
 * Σ wᵢvᵢ / Σ wᵢ (a preference then shifted by 1); for pairwise a weighted vote, the level with the largest
 * total weight (as {@code majority} counts members), the weighted mean rule when no level leads strictly.
 * Without weights it is the plain mean.
 *
 * <p><b>Disagreement</b> ({@link #disagree}): members of a pairwise jury whose values fall in different
 * classes (win, tie, loss of {@link #level}), of a preference jury on different sides of 0.5 (exactly 0.5 is
 * a side of its own, the tie), of a score jury further apart than a spread.
 *
 * <p>Unparseable verdicts are left out; a judgment with no parseable verdict at all is flagged unparseable.
 *
 * <p>See docs/judging.md, "LLM judges".
 */
public final class Combination {
    /** The jury rule that averages. */
    public static final String MEAN = "mean";
    /** The jury rule that votes. */
    public static final String MAJORITY = "majority";
    /** The jury rule that averages with a weight per member, from its agreement with human labels. */
    public static final String WEIGHTED = "weighted";

    private Combination() {}

    /** The pairwise level of a subject-side mean on −2..2, rounding |m| half toward zero. */
    public static PairwiseOutcome level(double m) {
        long k = Math.max(0, (long) Math.ceil(Math.abs(m) - 0.5 - 1e-12));
        int side = (int) Math.signum(m) * (int) Math.min(2, k);
        return switch (side) {
            case 2 -> PairwiseOutcome.MUCH_BETTER;
            case 1 -> PairwiseOutcome.BETTER;
            case 0 -> PairwiseOutcome.TIE;
            case -1 -> PairwiseOutcome.WORSE;
            default -> PairwiseOutcome.MUCH_WORSE;
        };
    }

    /** The subject-side value of a level: much better = 2 ... much worse = −2. */
    public static int side(PairwiseOutcome outcome) {
        return switch (outcome) {
            case MUCH_BETTER -> 2;
            case BETTER -> 1;
            case TIE -> 0;
            case WORSE -> -1;
            case MUCH_WORSE -> -2;
        };
    }

    /** Mean of values. */
    public static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /**
     * The weighted mean Σ wᵢvᵢ / Σ wᵢ.
     *
     * @param values the values
     * @param weights one per value, ≥ 0, with a positive sum
     */
    public static double mean(List<Double> values, List<Double> weights) {
        if (values.size() != weights.size()) {
            throw new IllegalArgumentException(values.size() + " values and " + weights.size() + " weights");
        }
        double sum = 0;
        double total = 0;
        for (int i = 0; i < values.size(); i++) {
            double w = weights.get(i);
            if (!(w >= 0)) {
                throw new IllegalArgumentException("a weight must be ≥ 0, got " + w);
            }
            sum += w * values.get(i);
            total += w;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("the weights sum to 0");
        }
        return sum / total;
    }

    /** A jury's score. */
    public static double score(List<Double> members, String rule) {
        return score(members, rule, null);
    }

    /** A jury's score, {@code weights} (one per member, or {@code null}: equal) applying to the averaging rules. */
    public static double score(List<Double> members, String rule, List<Double> weights) {
        if (!MAJORITY.equals(rule)) {
            return weights == null ? mean(members) : mean(members, weights);
        }
        List<Double> sorted = new ArrayList<>(members);
        Collections.sort(sorted);
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** A jury's pairwise outcome from its members' subject-side (swap-averaged) values. */
    public static PairwiseOutcome pairwise(List<Double> members, String rule) {
        return pairwise(members, rule, null);
    }

    /**
     * A jury's pairwise outcome. {@code weighted} with weights is a weighted vote: the level whose members' weights
     * sum highest (PRE's chair weighs the reviewers' votes), the weighted mean rule when no level leads strictly;
     * without weights ({@code null}) it is the mean rule.
     */
    public static PairwiseOutcome pairwise(List<Double> members, String rule, List<Double> weights) {
        boolean weightedVote = WEIGHTED.equals(rule) && weights != null;
        if (MAJORITY.equals(rule) || weightedVote) {
            Map<PairwiseOutcome, Double> votes = new HashMap<>();
            for (int i = 0; i < members.size(); i++) {
                votes.merge(level(members.get(i)), weightedVote ? weights.get(i) : 1.0, Double::sum);
            }
            double best = votes.values().stream().max(Double::compare).orElse(0.0);
            List<PairwiseOutcome> leaders = votes.entrySet().stream()
                    .filter(e -> e.getValue() == best)
                    .map(Map.Entry::getKey)
                    .toList();
            if (leaders.size() == 1) {
                return leaders.get(0);
            }
        }
        return level(weightedVote ? mean(members, weights) : mean(members));
    }

    /** A jury's preference in [1, 2] from its members' P(subject preferred). */
    public static double preference(List<Double> members, String rule) {
        return preference(members, rule, null);
    }

    /** A jury's preference, {@code weights} (one per member, or {@code null}: equal) applying to the averaging rules. */
    public static double preference(List<Double> members, String rule, List<Double> weights) {
        if (!MAJORITY.equals(rule)) {
            return 1 + (weights == null ? mean(members) : mean(members, weights));
        }
        double share = 0;
        for (double p : members) {
            share += p > 0.5 ? 1 : p == 0.5 ? 0.5 : 0;
        }
        return 1 + share / members.size();
    }

    /**
     * Whether a jury's members disagree: for {@code pairwise} their subject-side values fall in different
     * classes of {@link #level} (win, tie, loss); for {@code preference} their P(subject) lie on different
     * sides of 0.5 (0.5 itself is the tie, a side of its own); for {@code score} the highest and lowest are
     * more than {@code scoreSpread} apart. Fewer than two members never disagree.
     *
     * @param protocol the jury's protocol
     * @param members each member's subject-side value (swap-averaged)
     * @param scoreSpread the largest spread of scores that still agrees
     */
    public static boolean disagree(Protocol protocol, List<Double> members, double scoreSpread) {
        if (members.size() < 2) {
            return false;
        }
        return switch (protocol) {
            case SCORE -> Collections.max(members) - Collections.min(members) > scoreSpread;
            case PAIRWISE ->
                members.stream()
                                .map(m -> Integer.signum(side(level(m))))
                                .distinct()
                                .count()
                        > 1;
            case PREFERENCE ->
                members.stream().map(p -> Math.signum(p - 0.5)).distinct().count() > 1;
            default -> false;
        };
    }
}
