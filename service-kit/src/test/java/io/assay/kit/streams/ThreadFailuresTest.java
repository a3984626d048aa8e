package io.assay.kit.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {
    private final AtomicLong clock = new AtomicLong();
    private final ThreadFailures failures = new ThreadFailures(3, Duration.ofMinutes(10), clock::get);

    @Test
    void aFewFailuresReplaceTheThreadAndAFourthWithinTheWindowShutsTheClientDown() {
        // Given three failures a minute apart
        for (int i = 0; i < 3; i++) {
            assertThat(failures.onFailure()).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            clock.addAndGet(Duration.ofMinutes(1).toNanos());
        }

        // When a fourth comes within ten minutes of the first, the client shuts down
        assertThat(failures.onFailure()).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(failures.recent()).isEqualTo(3);
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        // Given three failures at minutes 0, 1 and 2
        for (int i = 0; i < 3; i++) {
            failures.onFailure();
            clock.addAndGet(Duration.ofMinutes(1).toNanos());
        }

        // When the next comes at minute 10, the one at minute 0 has left the window
        clock.set(Duration.ofMinutes(10).toNanos());
        assertThat(failures.onFailure()).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(failures.recent()).isEqualTo(3);
    }
}
