package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.LeaderboardSnapshot.LastError;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a tally says the model's circuit breaker is open. */
class CallTallyTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static Call failed(String kind, Instant at) {
        return new Call("r-" + at, "i1", null, null, true, false, null, kind, kind + " message", at, null);
    }

    private static Call answered(Instant at) {
        return new Call("r-" + at, "i1", null, null, false, false, "42", null, null, at, null);
    }

    @Test
    void aRecentRefusalByTheBreakerWithNoAnswerSinceIsOpen() {
        CallTally tally = CallTally.EMPTY
                .replace(null, answered(NOW.minusSeconds(50)))
                .replace(null, failed("connection", NOW.minusSeconds(40)))
                .replace(null, failed(CallTally.CIRCUIT_OPEN, NOW.minusSeconds(30)));

        assertThat(tally.breakerOpen(NOW, MINUTE)).isTrue();
        assertThat(tally.lastAnsweredAt()).isEqualTo(NOW.minusSeconds(50));
    }

    @Test
    void anAnswerAfterTheRefusalClosesIt() {
        CallTally tally = CallTally.EMPTY
                .replace(null, failed(CallTally.CIRCUIT_OPEN, NOW.minusSeconds(30)))
                .replace(null, answered(NOW.minusSeconds(20)));

        assertThat(tally.breakerOpen(NOW, MINUTE)).isFalse();
    }

    @Test
    void anOldRefusalOrAnotherKindIsNotOpen() {
        assertThat(CallTally.EMPTY
                        .replace(null, failed(CallTally.CIRCUIT_OPEN, NOW.minusSeconds(61)))
                        .breakerOpen(NOW, MINUTE))
                .isFalse();
        assertThat(CallTally.EMPTY
                        .replace(null, failed("timeout", NOW.minusSeconds(5)))
                        .breakerOpen(NOW, MINUTE))
                .isFalse();
    }

    @Test
    void partitionsSumToTheLatestAnswerAndFailure() {
        CallTally a = new CallTally(
                1, 1, Map.of("circuit_open", 1L), new LastError("circuit_open", "m", NOW.minusSeconds(10)), null);
        CallTally b = CallTally.EMPTY.replace(null, answered(NOW.minusSeconds(5)));

        assertThat(a.breakerOpen(NOW, MINUTE)).isTrue();
        assertThat(a.plus(b).breakerOpen(NOW, MINUTE)).isFalse();
        assertThat(a.plus(b).answered()).isEqualTo(2);
    }
}
