package io.assay.contracts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A five-level pairwise outcome, always from the subject's side. */
public enum PairwiseOutcome {
    /** The subject's answer is much better than the baseline's. */
    MUCH_BETTER,
    /** Better. */
    BETTER,
    /** Neither is better. */
    TIE,
    /** Worse. */
    WORSE,
    /** Much worse. */
    MUCH_WORSE;

    /** The JSON name, e.g. {@code much_better}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
