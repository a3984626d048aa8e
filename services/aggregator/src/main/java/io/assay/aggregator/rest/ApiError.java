package io.assay.aggregator.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The JSON body of every error answer.
 *
 * @param status the HTTP status
 * @param message what went wrong, in words
 * @param views the views that exist (only when the view was unknown)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(int status, String message, List<String> views) {}
