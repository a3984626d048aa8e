package io.assay.contracts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a judgment says; exactly one of the matching fields of {@link Judgment} is set. */
public enum JudgmentKind {
    /** Right or wrong against a reference. */
    CORRECT,
    /** A score on a scale (e.g. WildBench 1-10). */
    SCORE,
    /** A five-level comparison with a baseline answer. */
    PAIRWISE,
    /** A continuous preference in [1, 2] (AlpacaEval weighted annotator). */
    PREFERENCE;

    /** The JSON name. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
