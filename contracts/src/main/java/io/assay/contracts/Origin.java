package io.assay.contracts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a judgment came from. */
public enum Origin {
    /** Produced by Assay's judge service. */
    PIPELINE,
    /** Imported from another tool or historical results. */
    IMPORT,
    /** A human label. */
    HUMAN;

    /** The JSON name. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
