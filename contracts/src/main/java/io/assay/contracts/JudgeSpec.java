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
        Scale scale) {

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
                scale);
    }

    /**
     * What makes two verdicts of this judge comparable: its {@code version}, its prompt's version and its
     * scale, e.g. {@code 2/wildbench-v2/1..10}. Verdicts of different versions never share a fold slot,
     * and a view counts one version of a judge (docs/aggregation.md, "Judge versions").
     */
    public String versionKey() {
        return (version == null ? "-" : version)
                + (promptVersion == null ? "" : "/" + promptVersion)
                + (scale == null ? "" : "/" + scale);
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
