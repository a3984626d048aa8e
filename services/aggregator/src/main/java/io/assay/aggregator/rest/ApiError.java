package io.assay.aggregator.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The JSON body of every error answer.
 *
 * @param status the HTTP status
 * @param message what went wrong, in words
 * @param views the views that exist (only when the view was unknown)
 * @param known the values that exist when a name was unknown: the benchmarks (404), the view's judges or
 *     baselines (400)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(int status, String message, List<String> views, List<String> known) {
    /** An error without a list of known names. */
    public ApiError(int status, String message, List<String> views) {
        this(status, message, views, null);
    }
}
