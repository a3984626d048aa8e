package io.assay.contracts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why the model stopped. */
public enum FinishReason {
    /** A natural end or a stop sequence. */
    STOP,
    /** The output token limit was reached: the answer is truncated. */
    LENGTH,
    /** The provider filtered the output. */
    CONTENT_FILTER,
    /** The call failed; see the response's error. */
    ERROR;

    /** The JSON name. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
