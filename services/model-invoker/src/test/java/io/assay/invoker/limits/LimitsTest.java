package io.assay.invoker.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.ModelSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimitsTest {
    private final FakeTicker clock = new FakeTicker();

    @Test
    void aTokenBucketPacesReservationsAtItsRate() {
        // Given 5 tokens per second, burst 1
        TokenBucket bucket = new TokenBucket(5, 1, clock);

        // When four reservations arrive at once, Then they are spaced 200 ms apart
        assertThat(bucket.reserve(1)).isZero();
        assertThat(bucket.reserve(1)).isEqualTo(200_000_000L);
        assertThat(bucket.reserve(1)).isEqualTo(400_000_000L);
        assertThat(bucket.reserve(1)).isEqualTo(600_000_000L);
        // And after 500 ms (2.5 tokens) the level is -0.5: the next waits (0.5 + 1) / 5 s = 300 ms
        clock.advance(Duration.ofMillis(500));
        assertThat(bucket.reserve(1)).isEqualTo(300_000_000L);
    }

    @Test
    void aTokenBucketSettlesEstimatesAgainstActualUse() {
        // Given 600 tokens per minute (10/s), full
        TokenBucket bucket = new TokenBucket(10, 600, clock);

        // When 500 are reserved but 700 were used
        assertThat(bucket.reserve(500)).isZero();
        bucket.adjust(200);

        // Then the bucket is 100 in debt: the next 1-token call waits (100 + 1) / 10 s
        assertThat(bucket.level()).isEqualTo(-100.0);
        assertThat(bucket.reserve(1)).isEqualTo(10_100_000_000L);
    }

    @Test
    void aimdHalvesOncePerWindowOn429AndClimbsOnePerWindowOfSuccesses() throws Exception {
        // Given a window of 8, all in flight
        AdaptiveConcurrency aimd = new AdaptiveConcurrency(8);
        long[] windows = new long[8];
        for (int i = 0; i < 8; i++) {
            windows[i] = aimd.acquire();
        }

        // When three of them come back 429
        aimd.release(windows[0], AdaptiveConcurrency.Outcome.RATE_LIMITED);
        aimd.release(windows[1], AdaptiveConcurrency.Outcome.RATE_LIMITED);
        aimd.release(windows[2], AdaptiveConcurrency.Outcome.RATE_LIMITED);

        // Then the limit halves once, not three times
        assertThat(aimd.limit()).isEqualTo(4);
        // And a 429 of a call started in the new window halves again
        for (int i = 3; i < 8; i++) {
            aimd.release(windows[i], AdaptiveConcurrency.Outcome.SUCCESS);
        }
        aimd.release(aimd.acquire(), AdaptiveConcurrency.Outcome.RATE_LIMITED);
        assertThat(aimd.limit()).isEqualTo(2);
        // And 2 successes raise it to 3, then 3 more to 4; never above the maximum
        for (int i = 0; i < 5; i++) {
            aimd.release(aimd.acquire(), AdaptiveConcurrency.Outcome.SUCCESS);
        }
        assertThat(aimd.limit()).isEqualTo(4);
        for (int i = 0; i < 100; i++) {
            aimd.release(aimd.acquire(), AdaptiveConcurrency.Outcome.SUCCESS);
        }
        assertThat(aimd.limit()).isEqualTo(8);
        // And other failures change nothing
        aimd.release(aimd.acquire(), AdaptiveConcurrency.Outcome.OTHER);
        assertThat(aimd.limit()).isEqualTo(8);
    }

    @Test
    void aGentlerBackoffRatioStillDecreasesByAtLeastOne() throws Exception {
        // Given windows of 10 and 5 with backoff ratio 0.9
        AdaptiveConcurrency ten = new AdaptiveConcurrency(10, 0.9);
        AdaptiveConcurrency five = new AdaptiveConcurrency(5, 0.9);

        // When each gets a 429
        ten.release(ten.acquire(), AdaptiveConcurrency.Outcome.RATE_LIMITED);
        five.release(five.acquire(), AdaptiveConcurrency.Outcome.RATE_LIMITED);

        // Then 10 -> 9 and 5 -> floor(4.5) = 4
        assertThat(ten.limit()).isEqualTo(9);
        assertThat(five.limit()).isEqualTo(4);
    }

    @Test
    void aimdNeverGoesBelowOne() throws Exception {
        AdaptiveConcurrency aimd = new AdaptiveConcurrency(2);
        for (int i = 0; i < 5; i++) {
            aimd.release(aimd.acquire(), AdaptiveConcurrency.Outcome.RATE_LIMITED);
        }
        assertThat(aimd.limit()).isEqualTo(1);
    }

    @Test
    void theBreakerOpensAfterConsecutiveFailuresProbesAndCloses() {
        // Given a breaker opening after 3 failures for 10 s
        CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(10), clock);

        // When two failures, a success, then three failures
        breaker.onFailure();
        breaker.onFailure();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        breaker.onFailure();
        breaker.onFailure();
        breaker.onFailure();

        // Then it is open and fails calls fast for 10 s
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.tryAcquire()).isFalse();
        clock.advance(Duration.ofSeconds(4));
        assertThat(breaker.remainingOpen()).isEqualTo(Duration.ofSeconds(6));
        assertThat(breaker.tryAcquire()).isFalse();
        // And after 10 s one probe goes, a second caller still waits
        clock.advance(Duration.ofSeconds(6));
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).isFalse();
        // And a failed probe opens it again, a successful one closes it
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        clock.advance(Duration.ofSeconds(10));
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void anOpenBreakerReadsHalfOpenOnceItsTimeIsUpEvenWithoutACall() {
        // Given a breaker that opened, and no call since (the gauge reads state() every scrape)
        CircuitBreaker breaker = new CircuitBreaker(1, Duration.ofSeconds(10), clock);
        breaker.onFailure("connection refused");
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

        // When its open time is up, it is half-open: the gauge falls back to 0 though nothing asked
        clock.advance(Duration.ofSeconds(10));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);

        // And the next call is its probe, as before
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();
        breaker.onFailure("connection refused");
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aModelLimiterWaitsOutRetryAfterAndPacesRequests() throws Exception {
        // Given a model limited to 2 requests per second
        ModelLimiter limiter = new ModelLimiter(new ModelSpec.Limits(4, 2.0, null), 16, 0.5, clock, clock);

        // When three calls start back to back, Then the third starts 1 s after the first
        long start = clock.nanos();
        limiter.acquire(10).succeeded(10);
        limiter.acquire(10).succeeded(10);
        limiter.acquire(10).succeeded(10);
        assertThat(clock.nanos() - start).isEqualTo(1_000_000_000L);

        // When a call is refused with Retry-After 3 s, Then the next call waits those 3 s first
        limiter.acquire(10).rateLimited(Duration.ofSeconds(3));
        long refused = clock.nanos();
        limiter.acquire(10).succeeded(10);
        assertThat(clock.nanos() - refused).isGreaterThanOrEqualTo(3_000_000_000L);
        // And the AIMD window halved from 4 to 2
        assertThat(limiter.concurrencyLimit()).isEqualTo(2);
    }
}
