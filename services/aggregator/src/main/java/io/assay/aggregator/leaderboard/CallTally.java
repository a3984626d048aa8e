package io.assay.aggregator.leaderboard;

import io.assay.contracts.LeaderboardSnapshot.LastError;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one model's evaluation calls on one benchmark ended: answered, failed, failures by
 * {@code ModelError.kind} and the most recent failure. Kept incrementally by the aggregator as responses
 * arrive (one per {@code benchmark|modelId} and partition), so views and {@code /api/models} read a few
 * hundred tallies instead of scanning every call.
 *
 * @param answered calls answered (deduplicated by requestId)
 * @param failed calls that failed (deduplicated by requestId)
 * @param failures failed calls by kind
 * @param lastError the most recent failure, {@code null} when none
 * @param lastAnsweredAt when the most recent answered call was answered, {@code null} when none (or
 *     unknown: tallies stored before it was kept)
 */
public record CallTally(
        long answered, long failed, Map<String, Long> failures, LastError lastError, Instant lastAnsweredAt) {
    /** No calls. */
    public static final CallTally EMPTY = new CallTally(0, 0, Map.of(), null);

    /**
     * The kind of failure the model-invoker publishes for a call its endpoint's open circuit breaker
     * refused (the invoker's {@code ErrorKinds.CIRCUIT_OPEN}).
     */
    public static final String CIRCUIT_OPEN = "circuit_open";

    /** A tally without the time of the last answer. */
    public CallTally(long answered, long failed, Map<String, Long> failures, LastError lastError) {
        this(answered, failed, failures, lastError, null);
    }

    /** The kind counted for a failure stored without one (a call stored before kinds were kept). */
    public static final String UNKNOWN_KIND = "unknown";

    /** Never a null map; kinds sorted, none counted zero. */
    public CallTally {
        TreeMap<String, Long> f = new TreeMap<>();
        if (failures != null) {
            failures.forEach((k, n) -> {
                if (n != null && n > 0) {
                    f.put(k, n);
                }
            });
        }
        failures = Collections.unmodifiableMap(f);
    }

    /** Whether the model has calls and none answered: it has no row, so views list it as failing. */
    public boolean failing() {
        return answered == 0 && failed > 0;
    }

    /**
     * This tally after {@code next} replaced {@code previous} (a redelivered response has the same
     * requestId: it moves a count rather than adding one). {@code previous} is {@code null} for a new call.
     */
    public CallTally replace(Call previous, Call next) {
        long a = answered;
        long f = failed;
        Map<String, Long> byKind = new TreeMap<>(failures);
        if (previous != null) {
            if (previous.failed()) {
                f = Math.max(0, f - 1);
                byKind.computeIfPresent(kind(previous), (k, n) -> n - 1);
            } else {
                a = Math.max(0, a - 1);
            }
        }
        LastError last = lastError;
        if (next.failed()) {
            f++;
            byKind.merge(kind(next), 1L, Long::sum);
            Instant at = next.at();
            if (last == null || at == null || last.at() == null || !at.isBefore(last.at())) {
                last = new LastError(kind(next), next.errorMessage(), at);
            }
        } else {
            a++;
        }
        Instant answeredAt = next.failed() ? lastAnsweredAt : latest(lastAnsweredAt, next.at());
        return new CallTally(a, f, byKind, last, answeredAt);
    }

    /** The sum of two tallies (the same model and benchmark on two partitions); the later last error. */
    public CallTally plus(CallTally other) {
        Map<String, Long> byKind = new TreeMap<>(failures);
        other.failures.forEach((k, n) -> byKind.merge(k, n, Long::sum));
        return new CallTally(
                answered + other.answered,
                failed + other.failed,
                byKind,
                later(lastError, other.lastError),
                latest(lastAnsweredAt, other.lastAnsweredAt));
    }

    /**
     * Whether the model's endpoint looks held by an open circuit breaker: its latest failure, less than
     * {@code window} before {@code now}, was refused by the breaker, and nothing was answered since.
     * (The breaker lives in the model-invoker; this is what its responses tell.)
     */
    public boolean breakerOpen(Instant now, Duration window) {
        return lastError != null
                && CIRCUIT_OPEN.equals(lastError.kind())
                && lastError.at() != null
                && lastError.at().isAfter(now.minus(window))
                && (lastAnsweredAt == null || lastError.at().isAfter(lastAnsweredAt));
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b != null && b.isAfter(a) ? b : a;
    }

    /** Whether a view would show {@code other} differently: the failed count or the failing state moved. */
    public boolean visiblyDifferent(CallTally other) {
        return failed != other.failed || failing() != other.failing();
    }

    private static LastError later(LastError a, LastError b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.at() == null) {
            return b;
        }
        return b.at() != null && b.at().isAfter(a.at()) ? b : a;
    }

    private static String kind(Call call) {
        return call.errorKind() == null ? UNKNOWN_KIND : call.errorKind();
    }
}
