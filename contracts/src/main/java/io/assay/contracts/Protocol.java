package io.assay.contracts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a judge decides. */
public enum Protocol {
    /** Deterministic comparison with the item's reference (in-process scorers). */
    REFERENCE,
    /** An LLM judge grades one answer on a scale (WildBench score). */
    SCORE,
    /** An LLM judge compares the answer with a baseline model's answer on five levels. */
    PAIRWISE,
    /** An LLM judge's continuous preference from label log-probabilities (AlpacaEval). */
    PREFERENCE;

    /** The JSON name. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
