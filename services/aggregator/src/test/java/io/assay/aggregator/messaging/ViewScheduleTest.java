package io.assay.aggregator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ViewScheduleTest {
    private static final long SLOW = 100_000_000; // 100 ms

    private final Map<String, Boolean> speeds = new ConcurrentHashMap<>();
    private final ViewSchedule fast = new ViewSchedule(SLOW, false, speeds);
    private final ViewSchedule slow = new ViewSchedule(SLOW, true, speeds);

    @Test
    void aViewNotComputedYetIsTheFastLanes() {
        assertThat(fast.due("b/accuracy", 1)).isTrue();
        assertThat(slow.due("b/accuracy", 1)).isFalse();
    }

    @Test
    void aViewIsDueOnlyWhenItsBenchmarkMoved() {
        fast.computed("b/accuracy", 1, 1_000_000);

        assertThat(fast.due("b/accuracy", 1)).isFalse();
        assertThat(fast.due("b/accuracy", 2)).isTrue();
    }

    @Test
    void aViewThatTookLongerThanTheThresholdMovesToTheSlowLane() {
        fast.computed("b/accuracy", 1, 2_000_000);
        fast.computed("b/irt", 1, 3_000_000_000L);

        // When: the benchmark moves
        // Then: the fast lane computes only the fast view; the slow lane the slow one
        assertThat(fast.due("b/accuracy", 2)).isTrue();
        assertThat(fast.due("b/irt", 2)).isFalse();
        assertThat(slow.due("b/irt", 2)).isTrue();
        assertThat(slow.due("b/accuracy", 2)).isFalse();
    }

    @Test
    void aSlowViewThatBecameFastMovesBack() {
        fast.computed("b/irt", 1, 3_000_000_000L);
        slow.computed("b/irt", 2, SLOW);

        assertThat(fast.due("b/irt", 3)).isTrue();
        assertThat(slow.due("b/irt", 3)).isFalse();
    }

    @Test
    void aViewThatChangedLanesIsDueInItsNewLaneAtTheVersionItWasLastComputedAt() {
        // Given: computed by the fast lane at version 1, slowly
        fast.computed("b/irt", 1, 3_000_000_000L);

        // Then: the slow lane never computed it, so it is due there even if the benchmark did not move
        assertThat(slow.due("b/irt", 1)).isTrue();
    }

    @Test
    void aResetMakesEveryViewOfTheLaneDueAgain() {
        fast.computed("b/accuracy", 1, 1_000_000);
        fast.computed("b/irt", 1, 3_000_000_000L);
        slow.computed("b/irt", 1, 3_000_000_000L);

        fast.reset();
        slow.reset();

        assertThat(fast.due("b/accuracy", 1)).isTrue();
        assertThat(fast.due("b/irt", 1)).isFalse();
        assertThat(slow.due("b/irt", 1)).isTrue();
    }
}
