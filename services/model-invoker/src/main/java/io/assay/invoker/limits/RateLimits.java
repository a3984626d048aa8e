package io.assay.invoker.limits;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rate-limit headers a provider sent with a reply (OpenAI's names, also sent by vLLM behind a
 * gateway, LiteLLM and others): {@code x-ratelimit-limit-requests}, {@code -remaining-requests},
 * {@code -reset-requests} and the same for {@code -tokens}. Any part may be missing ({@code null}).
 *
 * <p>{@code reset} is read as OpenAI documents it: the time until the budget is full again. Under
 * steady use that is the length of the provider's window (a sliding window: until the newest
 * request leaves it; a budget refilled continuously: until all of it is refilled), which is how
 * {@link RequestQuota} uses it.
 *
 * @param limitRequests requests allowed per window
 * @param remainingRequests requests left when the provider answered
 * @param resetRequests time until the request budget is full again
 * @param limitTokens tokens allowed per window
 * @param remainingTokens tokens left when the provider answered
 * @param resetTokens time until the token budget is full again
 */
public record RateLimits(
        Long limitRequests,
        Long remainingRequests,
        Duration resetRequests,
        Long limitTokens,
        Long remainingTokens,
        Duration resetTokens) {

    /** No headers. */
    public static final RateLimits NONE = new RateLimits(null, null, null, null, null, null);

    /** A plain number above this is a Unix time (some gateways send the reset as one), not seconds. */
    private static final double EPOCH_SECONDS = 1e9;

    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d*)?|\\.\\d+");
    /** Go's duration format, as OpenAI sends it: {@code 1s}, {@code 6m0s}, {@code 20ms}, {@code 1h2m3.5s}. */
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|h|m|s)");

    /**
     * The headers of a reply.
     *
     * @param header a header's first value by (case-insensitive) name
     * @param nowEpochSeconds now, for a reset sent as a Unix time
     */
    public static RateLimits parse(Function<String, Optional<String>> header, double nowEpochSeconds) {
        RateLimits parsed = new RateLimits(
                count(header.apply("x-ratelimit-limit-requests")),
                count(header.apply("x-ratelimit-remaining-requests")),
                header.apply("x-ratelimit-reset-requests")
                        .flatMap(v -> duration(v, nowEpochSeconds))
                        .orElse(null),
                count(header.apply("x-ratelimit-limit-tokens")),
                count(header.apply("x-ratelimit-remaining-tokens")),
                header.apply("x-ratelimit-reset-tokens")
                        .flatMap(v -> duration(v, nowEpochSeconds))
                        .orElse(null));
        return parsed.equals(NONE) ? NONE : parsed;
    }

    /**
     * A reset value: a Go duration ({@code 1s}, {@code 6m0s}, {@code 20ms}, {@code 1.5s}), plain
     * seconds ({@code 2}, {@code 0.25}, as vLLM gateways and others send), or a Unix time in seconds.
     */
    public static Optional<Duration> duration(String value, double nowEpochSeconds) {
        String v = value.trim();
        if (NUMBER.matcher(v).matches()) {
            double seconds = Double.parseDouble(v);
            if (seconds > EPOCH_SECONDS) {
                seconds = Math.max(0, seconds - nowEpochSeconds);
            }
            return Optional.of(Duration.ofNanos(Math.round(seconds * 1e9)));
        }
        Matcher m = PART.matcher(v);
        double nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            nanos += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
            end = m.end();
        }
        return end == v.length() && end > 0 ? Optional.of(Duration.ofNanos(Math.round(nanos))) : Optional.empty();
    }

    /** Whether the provider said anything about its request budget. */
    public boolean hasRequests() {
        return limitRequests != null || remainingRequests != null;
    }

    /** Whether the provider said how many tokens it allows and over what time. */
    public boolean hasTokens() {
        return limitTokens != null && resetTokens != null;
    }

    private static double unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
    }

    private static Long count(Optional<String> value) {
        try {
            return value.map(v -> Math.round(Double.parseDouble(v.trim()))).orElse(null);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
