package io.assay.contracts;

/**
 * A typed failure of a model call, published as a response so nothing is silently dropped.
 *
 * @param kind {@code transient}, {@code rate_limited}, {@code timeout}, {@code bad_request},
 *     {@code auth}, {@code provider}, {@code missing_record}, ...
 * @param message a human-readable reason (never a credential)
 * @param retryable whether re-issuing the request may succeed
 */
public record ModelError(String kind, String message, boolean retryable) {}
