package io.assay.contracts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The shape of an item's answer; chooses the reference scorer and the simulator's wrong answers. */
public enum AnswerFormat {
    /** Free text compared by normalised exact match. */
    TEXT,
    /** A number compared with a tolerance. */
    NUMBER,
    /** One of the item's choices, by letter or by text. */
    CHOICE;

    /** The JSON name. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format implied by an item: choices make it {@code choice}, a numeric value {@code number}. */
    public static AnswerFormat of(BenchmarkItem item) {
        if (item.choices() != null && !item.choices().isEmpty()) {
            return CHOICE;
        }
        if (item.reference() != null && item.reference().value() != null) {
            return NUMBER;
        }
        return TEXT;
    }
}
