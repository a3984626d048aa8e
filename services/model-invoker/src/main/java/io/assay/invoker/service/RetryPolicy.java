package io.assay.invoker.service;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: before retry {@code n} (after failed attempt {@code n}) wait a
 * random time in {@code [d/2, d]} where {@code d = min(base * 2^(n-1), max)}. The jitter spreads
 * retries of many concurrent calls so they do not hit a recovering provider at once.
 *
 * <p>Refusals for the provider's rate limit (429) have their own, larger budget: under a quota
 * every call may be refused a few times before its turn comes, and that is not a sign that
 * calling again is useless.
 *
 * @param maxAttempts calls per request ending in failures other than 429, the first included (at least 1)
 * @param baseBackoff the backoff after the first failed attempt
 * @param maxBackoff the cap on any backoff
 * @param maxRateLimited 429s a request may receive before its failure is published
 */
public record RetryPolicy(int maxAttempts, Duration baseBackoff, Duration maxBackoff, int maxRateLimited) {

    /** Validates the policy. */
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    /** A policy where a 429 counts like any other failure. */
    public RetryPolicy(int maxAttempts, Duration baseBackoff, Duration maxBackoff) {
        this(maxAttempts, baseBackoff, maxBackoff, maxAttempts);
    }

    /** The wait after failed attempt {@code attempt} (from 1). */
    public Duration backoff(int attempt) {
        long base = Math.max(0, baseBackoff.toMillis());
        long exp = base << Math.min(attempt - 1, 30);
        long capped = Math.min(exp < 0 ? Long.MAX_VALUE : exp, maxBackoff.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
    }
}
