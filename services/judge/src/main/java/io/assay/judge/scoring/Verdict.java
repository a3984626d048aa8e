package io.assay.judge.scoring;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reference scorer's decision on one answer.
 *
 * @param correct whether the answer matches the reference
 * @param extracted the final answer taken from the output
 * @param scorer the scorer that decided ({@code exact}, {@code choice}, {@code numeric}, {@code regex})
 * @param rationale one line saying why
 * @param details scorer-specific details for the judgment (always contains {@code scorer})
 * @param score a graded verdict in [0, 1] ({@code f1}, {@code rouge-l}); {@code null} for right/wrong scorers,
 *     whose judgments carry {@code correct}
 */
public record Verdict(
        boolean correct, String extracted, String scorer, String rationale, Map<String, Object> details, Double score) {

    /** A right/wrong verdict. */
    public Verdict(boolean correct, String extracted, String scorer, String rationale, Map<String, Object> details) {
        this(correct, extracted, scorer, rationale, details, null);
    }

    /** Defensive copy: details go onto the wire as JSON. */
    public Verdict {
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
}
