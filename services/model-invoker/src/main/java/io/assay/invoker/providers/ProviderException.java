package io.assay.invoker.providers;

import io.assay.contracts.ModelError;
import io.assay.invoker.limits.RateLimits;
import java.time.Duration;

/** A typed failure of one provider call; the invoker retries it when {@link ModelError#retryable()}. */
public class ProviderException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The typed error published when this is the last attempt. */
    private final transient ModelError error;
    /** How long the provider asked us to wait ({@code Retry-After}), or {@code null}. */
    private final transient Duration retryAfter;
    /** The provider's rate-limit headers on the refusal. */
    private final transient RateLimits rateLimits;

    /** With the typed error. */
    public ProviderException(ModelError error) {
        this(error, null);
    }

    /** With the typed error and the provider's {@code Retry-After}, if it sent one. */
    public ProviderException(ModelError error, Duration retryAfter) {
        this(error, retryAfter, RateLimits.NONE);
    }

    /** With the typed error, the provider's {@code Retry-After} and its rate-limit headers. */
    public ProviderException(ModelError error, Duration retryAfter, RateLimits rateLimits) {
        super(error.kind() + ": " + error.message());
        this.error = error;
        this.retryAfter = retryAfter;
        this.rateLimits = rateLimits == null ? RateLimits.NONE : rateLimits;
    }

    /** A failure of {@code kind} that is retryable or not as {@link ErrorKinds#retryable} says. */
    public static ProviderException of(String kind, String message) {
        return new ProviderException(new ModelError(kind, message, ErrorKinds.retryable(kind)));
    }

    /** The typed error. */
    public ModelError error() {
        return error;
    }

    /** The wait the provider asked for, or {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The rate-limit headers that came with the failure ({@link RateLimits#NONE} without). */
    public RateLimits rateLimits() {
        return rateLimits;
    }

    /** Whether the provider refused the call for its rate limit (429). */
    public boolean rateLimited() {
        return ErrorKinds.RATE_LIMITED.equals(error.kind());
    }
}
