package io.assay.judge.llm;

import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The weights of a {@code combine: weighted} jury, PRE-style (Chu et al. 2024, "PRE: A Peer Review Based Large
 * Language Model Evaluator", §3: a qualification exam against human labels keeps only the candidate reviewers
 * that pass it, and the chair weighs the kept reviewers' votes by how they did on it). Here the exam is the
 * benchmark's human labels: the aggregator's {@code judge-agreement} view has a row per jury member (its own
 * verdicts in the jury's judgments against the labels; docs/aggregation.md, "Judge agreement"), and a member's
 * weight is its agreement rate there. A member with at least {@code minLabels} labelled verdicts and an
 * agreement below {@code qualification} gets weight 0 (not qualified). The jury is weighted only when every
 * member that voted has been examined (at least {@code minLabels} labels, at the judge's current version) and
 * one of them qualified; otherwise it is the plain mean, and the reason is recorded. Plain Java: the snapshot is
 * handed in.
 *
 * @param qualification the lowest agreement rate that qualifies a member, in [0, 1]
 * @param minLabels the fewest labelled verdicts a member's agreement is trusted on
 */
public record JuryWeights(double qualification, long minLabels) {
    /** The weighting recorded when the rule applied. */
    public static final String AGREEMENT = "agreement";
    /** The view the weights come from. */
    public static final String VIEW = "judge-agreement";

    /** The service's defaults ({@code assay.judge.jury.qualification}, {@code assay.judge.jury.min-labels}). */
    public static final JuryWeights DEFAULTS = new JuryWeights(0.6, 30);

    /** Checks the settings. */
    public JuryWeights {
        if (!(qualification >= 0 && qualification <= 1)) {
            throw new IllegalArgumentException("the qualification must be in [0, 1], got " + qualification);
        }
        if (minLabels < 1) {
            throw new IllegalArgumentException("minLabels must be at least 1, got " + minLabels);
        }
    }

    /**
     * The weights of the members that voted, or why there are none.
     *
     * @param agreement the benchmark's latest {@code judge-agreement} snapshot, empty when none was read
     * @param judgeId the jury's judge id
     * @param judgeVersion the jury's {@code JudgeSpec.versionKey()}: rows of another version are not used
     * @param voted the members with a parseable verdict, in the order their values are combined
     */
    public Weighting weigh(
            Optional<LeaderboardSnapshot> agreement, String judgeId, String judgeVersion, List<String> voted) {
        if (agreement.isEmpty()) {
            return Weighting.unweighted("no " + VIEW + " snapshot");
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        List<String> unexamined = new ArrayList<>();
        for (String member : voted) {
            Optional<Row> row = agreement.get().rows().stream()
                    .filter(r -> r.metrics() != null
                            && judgeId.equals(r.metrics().get("jury"))
                            && member.equals(r.metrics().get("member"))
                            && (judgeVersion == null
                                    || judgeVersion.equals(r.metrics().get("judgeVersion"))))
                    .findFirst();
            if (row.isEmpty() || row.get().n() < minLabels) {
                unexamined.add(member + " (" + row.map(Row::n).orElse(0L) + " labels)");
            } else {
                double rate = row.get().value();
                weights.put(member, rate >= qualification ? rate : 0.0);
            }
        }
        if (!unexamined.isEmpty()) {
            return Weighting.unweighted("fewer than " + minLabels + " labels: " + String.join(", ", unexamined));
        }
        if (weights.values().stream().noneMatch(w -> w > 0)) {
            return Weighting.unweighted("no member that voted reached the qualification " + qualification);
        }
        return new Weighting(
                weights,
                AGREEMENT,
                agreement.get().asOf() == null ? null : agreement.get().asOf().toString());
    }

    /**
     * The weights a jury used, for its judgment's {@code details}.
     *
     * @param weights member → weight, in voting order; {@code null} when unweighted
     * @param basis {@link #AGREEMENT}, or {@code mean: <why>} when the plain mean was taken
     * @param asOf the snapshot's time, {@code null} when unweighted
     */
    public record Weighting(Map<String, Double> weights, String basis, String asOf) {
        static Weighting unweighted(String why) {
            return new Weighting(null, "mean: " + why, null);
        }

        /** The weights in the order of {@code members}, {@code null} when unweighted. */
        public List<Double> of(List<String> members) {
            return weights == null ? null : members.stream().map(weights::get).toList();
        }
    }
}
