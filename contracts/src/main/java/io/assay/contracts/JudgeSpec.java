package io.assay.contracts;

import java.util.List;

/**
 * A judge of a benchmark. Every judgment carries the spec that produced it, so any number can be
 * traced back to exactly what made it.
 *
 * @param id the judge's name within the benchmark (e.g. {@code reference})
 * @param protocol how it decides
 * @param method the scorer or prompt method ({@code auto}, {@code exact}, {@code choice},
 *     {@code numeric}, ...)
 * @param version the scorer's or prompt's version
 * @param judgeModel the modelId of an LLM judge (LLM protocols)
 * @param promptVersion the judge prompt template version (LLM protocols)
 * @param baselines baseline modelIds (pairwise, preference)
 * @param lengthPenalty WildBench length penalty K in characters; -1 disables
 * @param positionSwap judge both presentation orders (pairwise)
 * @param jury judge modelIds of a jury; each member's verdict is kept, then combined
 * @param combine how a jury's verdicts combine: {@code mean}, {@code majority} or {@code weighted} (the mean
 *     weighted by each member's agreement with human labels in the benchmark's latest {@code judge-agreement}
 *     snapshot, members below the qualification weighing 0; the plain mean without enough labels; the weights
 *     used are in the judgment's {@code details}; docs/judging.md, "LLM judges")
 * @param scale the scale of the judge's scores (score judgments must be on it); {@code null} leaves it
 *     to each judgment's own {@code score.min}/{@code score.max}
 * @param pairing which answers a pairwise or preference judge pairs; {@code null} is every answer against
 *     each baseline ({@link Pairing#BASELINES})
 */
public record JudgeSpec(
        String id,
        Protocol protocol,
        String method,
        String version,
        String judgeModel,
        String promptVersion,
        List<String> baselines,
        Integer lengthPenalty,
        Boolean positionSwap,
        List<String> jury,
        String combine,
        Scale scale,
        Pairing pairing) {

    /**
     * Which answers a pairwise or preference judge pairs (docs/judging.md, "Adaptive pairing"). Not part of
     * the judge's version ({@link #versionKey()}): it decides which pairs are judged, not how a pair is, so
     * verdicts under either policy count together.
     *
     * @param policy {@link #BASELINES} (every answer against each baseline; the default) or
     *     {@link #ADAPTIVE} (against opponents whose Bradley–Terry intervals overlap its own)
     * @param opponents adaptive: the most opponents an answer is paired with when the published {@code bt}
     *     leaderboard rates it; {@code null} is {@link #DEFAULT_OPPONENTS}
     */
    public record Pairing(String policy, Integer opponents) {
        /** Every answer against each baseline's answer (WildBench's protocol). */
        public static final String BASELINES = "baselines";
        /** Answers against opponents whose {@code bt} intervals overlap, baselines without a rating. */
        public static final String ADAPTIVE = "adaptive";
        /** Opponents per rated answer when none is given. */
        public static final int DEFAULT_OPPONENTS = 1;

        /** Whether the policy is {@link #ADAPTIVE}. */
        public boolean adaptive() {
            return ADAPTIVE.equals(policy);
        }

        /** {@code opponents}, else {@link #DEFAULT_OPPONENTS}. */
        public int opponentsOrDefault() {
            return opponents == null ? DEFAULT_OPPONENTS : opponents;
        }
    }

    /** A judge with the default pairing. */
    public JudgeSpec(
            String id,
            Protocol protocol,
            String method,
            String version,
            String judgeModel,
            String promptVersion,
            List<String> baselines,
            Integer lengthPenalty,
            Boolean positionSwap,
            List<String> jury,
            String combine,
            Scale scale) {
        this(
                id,
                protocol,
                method,
                version,
                judgeModel,
                promptVersion,
                baselines,
                lengthPenalty,
                positionSwap,
                jury,
                combine,
                scale,
                null);
    }

    /**
     * A score scale.
     *
     * @param min the lowest score
     * @param max the highest score
     */
    public record Scale(double min, double max) {
        /** WildBench's 1–10 grades, the LLM {@code score} protocol's scale. */
        public static final Scale ONE_TO_TEN = new Scale(1, 10);
        /** A reference scorer's 0–1 scores (F1, ROUGE-L). */
        public static final Scale UNIT = new Scale(0, 1);

        /** {@code min..max}, as it appears in a judge version. */
        @Override
        public String toString() {
            return number(min) + ".." + number(max);
        }

        private static String number(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }
    }

    /** A judge without a declared scale. */
    public JudgeSpec(
            String id,
            Protocol protocol,
            String method,
            String version,
            String judgeModel,
            String promptVersion,
            List<String> baselines,
            Integer lengthPenalty,
            Boolean positionSwap,
            List<String> jury,
            String combine) {
        this(
                id,
                protocol,
                method,
                version,
                judgeModel,
                promptVersion,
                baselines,
                lengthPenalty,
                positionSwap,
                jury,
                combine,
                null);
    }

    /** This judge with its scores on {@code scale}. */
    public JudgeSpec withScale(Scale scale) {
        return new JudgeSpec(
                id,
                protocol,
                method,
                version,
                judgeModel,
                promptVersion,
                baselines,
                lengthPenalty,
                positionSwap,
                jury,
                combine,
                scale,
                pairing);
    }

    /**
     * What makes two verdicts of this judge comparable: its {@code version}, its prompt's version, its
     * scale and the model(s) that judge, e.g. {@code 2/wildbench-v2/1..10@gpt-4o}; a jury is its members
     * in sorted order joined by {@code +}, then {@code :majority} when it combines by majority (the mean,
     * the default, adds nothing), e.g. {@code 1/1/1..10@a+b:majority}. A reference judge (no judge model)
     * keeps the key it had before models were part of it. Verdicts of different versions never share a
     * fold slot, a view counts one version of a judge (docs/aggregation.md, "Judge versions"), and a change
     * of the key re-judges the judge's canaries (docs/judging.md, "Judge drift").
     */
    public String versionKey() {
        return (version == null ? "-" : version)
                + (promptVersion == null ? "" : "/" + promptVersion)
                + (scale == null ? "" : "/" + scale)
                + models();
    }

    /** The judge models part of {@link #versionKey()}: empty without a judge model. */
    private String models() {
        if (jury != null && !jury.isEmpty()) {
            return "@" + String.join("+", new java.util.TreeSet<>(jury))
                    + ("majority".equals(combine) ? ":majority" : "");
        }
        return judgeModel == null || judgeModel.isBlank() ? "" : "@" + judgeModel;
    }

    /** A judge that is not a jury. */
    public JudgeSpec(
            String id,
            Protocol protocol,
            String method,
            String version,
            String judgeModel,
            String promptVersion,
            List<String> baselines,
            Integer lengthPenalty,
            Boolean positionSwap) {
        this(
                id,
                protocol,
                method,
                version,
                judgeModel,
                promptVersion,
                baselines,
                lengthPenalty,
                positionSwap,
                null,
                null);
    }

    /** The default judge: reference scoring with the scorer chosen from the item's answer format. */
    public static final JudgeSpec REFERENCE_AUTO =
            new JudgeSpec("reference", Protocol.REFERENCE, "auto", "1", null, null, null, null, null);
}
