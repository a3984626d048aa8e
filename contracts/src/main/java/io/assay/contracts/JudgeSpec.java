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
 * @param combine how a jury's verdicts combine: {@code mean} or {@code majority}
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
        String combine) {

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
