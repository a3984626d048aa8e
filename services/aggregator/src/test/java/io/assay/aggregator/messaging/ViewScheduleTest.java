package io.assay.aggregator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ViewScheduleTest {
    private static final long SLOW = 100_000_000; // 100 ms

    private final Map<String, ViewSchedule.Costs> costs = new ConcurrentHashMap<>();
    private final ViewSchedule fast = new ViewSchedule(SLOW, false, costs);
    private final ViewSchedule slow = new ViewSchedule(SLOW, true, costs);

    @Test
    void aViewNotComputedYetIsTheFastLanes() {
        assertThat(fast.due("b/accuracy", 1)).isTrue();
        assertThat(slow.due("b/accuracy", 1)).isFalse();
    }

    @Test
    void aViewIsDueOnlyWhenItsBenchmarkMoved() {
        fast.computed("b/accuracy", 1, 1_000_000, 1_000_000, 0);

        assertThat(fast.due("b/accuracy", 1)).isFalse();
        assertThat(fast.due("b/accuracy", 2)).isTrue();
    }

    @Test
    void aViewThatTookLongerThanTheThresholdTwiceMovesToTheSlowLane() {
        fast.computed("b/accuracy", 1, 2_000_000, 2_000_000, 0);
        fast.computed("b/irt", 1, 3_000_000_000L, 3_000_000_000L, 0);
        assertThat(fast.due("b/irt", 2)).isTrue();
        fast.computed("b/irt", 2, 2_000_000_000L, 2_000_000_000L, 0);

        // When: the benchmark moves
        // Then: the fast lane computes only the fast view; the slow lane the slow one
        assertThat(fast.due("b/accuracy", 2)).isTrue();
        assertThat(fast.due("b/irt", 3)).isFalse();
        assertThat(slow.due("b/irt", 3)).isTrue();
        assertThat(slow.due("b/accuracy", 2)).isFalse();
    }

    @Test
    void oneSlowComputationAmongFastOnesDoesNotMoveAView() {
        fast.computed("b/accuracy", 1, 2_000_000, 2_000_000, 0);
        fast.computed("b/accuracy", 2, 3_000_000, 3_000_000, 0);
        fast.computed("b/accuracy", 3, 900_000_000, 900_000_000, 0); // the JIT, a collection

        assertThat(fast.due("b/accuracy", 4)).isTrue();
        assertThat(slow.due("b/accuracy", 4)).isFalse();
    }

    @Test
    void aViewThatWaitedLongButCostLittleCpuStaysInTheFastLane() {
        // Given: three computations of 1 ms of CPU that took 300 ms each (a fold held the tallies' lock)
        for (int version = 1; version <= 3; version++) {
            fast.computed("b/winrate", version, 1_000_000, 3 * SLOW, 0);
        }

        // Then: the view is still the fast lane's
        assertThat(fast.due("b/winrate", 4)).isTrue();
        assertThat(slow.due("b/winrate", 4)).isFalse();
    }

    @Test
    void aSlowViewThatBecameFastMovesBackOnceMostOfItsLastThreeWereFast() {
        fast.computed("b/irt", 1, 3_000_000_000L, 3_000_000_000L, 0);
        fast.computed("b/irt", 2, 3_000_000_000L, 3_000_000_000L, 0);
        slow.computed("b/irt", 3, SLOW, SLOW, 0);
        assertThat(slow.due("b/irt", 4)).isTrue();

        slow.computed("b/irt", 4, SLOW / 2, SLOW / 2, 0);

        assertThat(fast.due("b/irt", 5)).isTrue();
        assertThat(slow.due("b/irt", 5)).isFalse();
    }

    @Test
    void aViewTheFastLaneDeferredIsTheSlowLanesUntilTheSlowLaneComputedIt() {
        // Given: computed fast twice (its tallies answered), then beyond the fast lane's bounds (a full read)
        fast.computed("b/elo", 1, SLOW / 10, SLOW / 10, 0);
        fast.computed("b/elo", 2, SLOW / 10, SLOW / 10, 0);
        assertThat(fast.due("b/elo", 3)).isTrue();
        fast.deferred("b/elo");

        // Then: the slow lane computes it, at the version the fast lane did not compute it at
        assertThat(fast.due("b/elo", 3)).isFalse();
        assertThat(slow.due("b/elo", 3)).isTrue();
        slow.computed("b/elo", 3, SLOW / 10, SLOW / 10, 0);

        // ... and once computed there fast, the fast lane again (which defers it again if it must)
        assertThat(fast.due("b/elo", 4)).isTrue();
        assertThat(slow.due("b/elo", 4)).isFalse();
    }

    @Test
    void aDeferredViewWhoseComputationsInTheSlowLaneAreSlowStaysThere() {
        // Given: not computed yet; deferred by the fast lane, then computed slowly in the slow lane, deferred again
        fast.deferred("b/lc-winrate");
        slow.computed("b/lc-winrate", 1, 40 * SLOW, 40 * SLOW, 0);
        assertThat(fast.due("b/lc-winrate", 2)).isTrue(); // one slow computation moves no view
        fast.deferred("b/lc-winrate");
        slow.computed("b/lc-winrate", 2, 40 * SLOW, 40 * SLOW, 0);

        // Then: slow by its times now, without the fast lane having to defer it
        assertThat(fast.due("b/lc-winrate", 3)).isFalse();
        assertThat(slow.due("b/lc-winrate", 3)).isTrue();
    }

    @Test
    void theFastLaneReadsNoMoreSlotsThanTheViewsLastCostPerJudgmentAllowsWithinTheThreshold() {
        // Given: a view not computed yet; one whose last computation cost 50 ms of CPU over 1,000 judgments (50 µs
        // each: lc-winrate's fits from scratch); one the tallies answered in 1 ms over 1,000,000
        fast.computed("b/lc-winrate", 1, 50_000_000, 300_000_000, 1_000);
        fast.computed("b/winrate", 1, 1_000_000, 1_000_000, 1_000_000);

        // Then: the cap for the first and the last; for lc-winrate what 100 ms of CPU reads at its cost, 2,000
        assertThat(fast.slots("b/accuracy", 20_000)).isEqualTo(20_000);
        assertThat(fast.slots("b/lc-winrate", 20_000)).isEqualTo(2_000);
        assertThat(fast.slots("b/winrate", 20_000)).isEqualTo(20_000);

        // ... and a deferral keeps what the last computation cost
        fast.deferred("b/lc-winrate");
        assertThat(fast.slots("b/lc-winrate", 20_000)).isEqualTo(2_000);
    }

    @Test
    void theTypicalTimeIsTheMedianOfTheLastThree() {
        ViewSchedule.Costs c = new ViewSchedule.Costs(5, -1, -1);
        assertThat(c.typical()).isZero();
        assertThat(c.then(9, 0).typical()).isEqualTo(5);
        assertThat(c.then(9, 0).then(7, 0).typical()).isEqualTo(7);
        assertThat(c.then(9, 0).then(7, 0).then(1, 0).typical()).isEqualTo(7);
        assertThat(c.then(9, 0).then(7, 0).then(1, 0).then(2, 0).typical()).isEqualTo(2);
    }

    @Test
    void aViewThatChangedLanesIsDueInItsNewLaneAtTheVersionItWasLastComputedAt() {
        // Given: computed by the fast lane at version 1, slowly, twice
        fast.computed("b/irt", 0, 3_000_000_000L, 3_000_000_000L, 0);
        fast.computed("b/irt", 1, 3_000_000_000L, 3_000_000_000L, 0);

        // Then: the slow lane never computed it, so it is due there even if the benchmark did not move
        assertThat(slow.due("b/irt", 1)).isTrue();
    }

    @Test
    void aResetMakesEveryViewOfTheLaneDueAgain() {
        fast.computed("b/accuracy", 1, 1_000_000, 1_000_000, 0);
        fast.computed("b/irt", 0, 3_000_000_000L, 3_000_000_000L, 0);
        fast.computed("b/irt", 1, 3_000_000_000L, 3_000_000_000L, 0);
        slow.computed("b/irt", 1, 3_000_000_000L, 3_000_000_000L, 0);

        fast.reset();
        slow.reset();

        assertThat(fast.due("b/accuracy", 1)).isTrue();
        assertThat(fast.due("b/irt", 1)).isFalse();
        assertThat(slow.due("b/irt", 1)).isTrue();
    }
}
