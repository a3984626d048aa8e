package io.assay.aggregator.leaderboard;

import java.util.List;

/**
 * A view was asked for a judge or baseline the benchmark does not have: an empty table would look like
 * "no results yet", so the caller is told what exists instead (the REST layer answers 400 with the list).
 */
public final class UnknownParameterException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The query parameter ({@code judge}, {@code baseline}). */
    private final String parameter;

    /** The values that exist, sorted. */
    private final List<String> known;

    /** {@code value} of {@code parameter} is unknown; {@code known} are the values that exist. */
    public UnknownParameterException(String parameter, String value, List<String> known) {
        super("unknown " + parameter + " '" + value + "'; known: "
                + (known.isEmpty() ? "none" : String.join(", ", known)));
        this.parameter = parameter;
        this.known = List.copyOf(known);
    }

    /** The query parameter ({@code judge}, {@code baseline}). */
    public String parameter() {
        return parameter;
    }

    /** The values that exist, sorted. */
    public List<String> known() {
        return known;
    }
}
