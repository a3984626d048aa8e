package io.assay.aggregator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The slots computations from them hold at once, with real threads. */
class SlotBudgetTest {
    private final SlotBudget budget = new SlotBudget(100);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void computationsWhoseSlotsFitTogetherRunAtOnce() {
        try (SlotBudget.Share a = budget.take(60);
                SlotBudget.Share b = budget.take(40)) {
            assertThat(budget.taken()).isEqualTo(100);
            assertThat(a.waitedNanos()).isLessThan(TimeUnit.SECONDS.toNanos(1));
            assertThat(b.waitedNanos()).isLessThan(TimeUnit.SECONDS.toNanos(1));
        }
        assertThat(budget.taken()).isZero();
    }

    @Test
    void aComputationThatWouldPassTheLimitWaitsUntilAnotherGivesItsSlotsBack() throws Exception {
        // Given: 60 slots held
        SlotBudget.Share held = budget.take(60);

        // When: another computation asks for 50
        CompletableFuture<SlotBudget.Share> second = taking(50);

        // Then: it waits while they are held, and takes them once they are given back
        waitUntilQueued(1);
        Thread.sleep(200);
        assertThat(second).isNotDone();
        assertThat(budget.taken()).isEqualTo(60);
        held.close();
        SlotBudget.Share share = second.get(10, TimeUnit.SECONDS);
        assertThat(budget.taken()).isEqualTo(50);
        assertThat(share.waitedNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        share.close();
        assertThat(budget.taken()).isZero();
    }

    @Test
    void aBoundedWaitForSlotsHeldElsewhereEndsWithNothingTaken() {
        // Given: 60 slots held
        try (SlotBudget.Share held = budget.take(60)) {
            // When: a computation within bounds of 100 ms asks for 50, then for 40
            long start = System.nanoTime();
            assertThatThrownBy(() -> budget.take(50, java.time.Duration.ofMillis(100)))
                    .isInstanceOf(LeaderboardReader.Deferred.class)
                    .hasMessage("waited 100 ms for the heap of 50 slots, which other views' computations hold");

            // Then: it gave up after its wait with nothing taken; what fits is taken at once
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
            assertThat(budget.taken()).isEqualTo(60);
            try (SlotBudget.Share fits = budget.take(40, java.time.Duration.ofMillis(100))) {
                assertThat(budget.taken()).isEqualTo(100);
            }
        }
        assertThat(budget.taken()).isZero();
    }

    @Test
    void aSmallComputationThatFitsRunsAtOnceBesideALargeOneWaiting() throws Exception {
        // Given: 60 slots held and a computation of 50 waiting
        SlotBudget.Share held = budget.take(60);
        CompletableFuture<SlotBudget.Share> large = taking(50);
        waitUntilQueued(1);

        // When: one of 10 comes, which fits beside the 60
        SlotBudget.Share small = taking(10).get(10, TimeUnit.SECONDS);

        // Then: it runs at once (a small benchmark's view does not wait behind the large one), and the large one runs
        // once the 60 are back
        assertThat(small.waitedNanos()).isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(large).isNotDone();
        assertThat(budget.taken()).isEqualTo(70);
        held.close();
        large.get(10, TimeUnit.SECONDS).close();
        small.close();
        assertThat(budget.taken()).isZero();
    }

    @Test
    void aComputationOfMoreSlotsThanTheLimitTakesTheWholeBudgetRatherThanWaitForEver() {
        try (SlotBudget.Share all = budget.take(250)) {
            assertThat(budget.taken()).isEqualTo(100);
        }
        assertThat(budget.taken()).isZero();
    }

    @Test
    void aShareClosedTwiceGivesItsSlotsBackOnce() {
        SlotBudget.Share a = budget.take(30);
        SlotBudget.Share b = budget.take(30);
        a.close();
        a.close();
        assertThat(budget.taken()).isEqualTo(30);
        b.close();
    }

    @Test
    void aComputationInterruptedWhileWaitingIsRefusedAsTheStoresNotQueryableAndTakesNothing() throws Exception {
        SlotBudget.Share held = budget.take(100);
        CompletableFuture<Throwable> waiting = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                budget.take(1).close();
                waiting.complete(null);
            } catch (RuntimeException e) {
                waiting.complete(e);
            }
        });
        t.start();
        waitUntilQueued(1);

        t.interrupt();

        Throwable thrown = waiting.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> {
                    throw thrown;
                })
                .isInstanceOf(InvalidStateStoreException.class)
                .hasMessageContaining("interrupted while waiting for other views to leave the heap");
        held.close();
        assertThat(budget.taken()).isZero();
    }

    /** Takes {@code slots} on another thread. */
    private CompletableFuture<SlotBudget.Share> taking(int slots) {
        return CompletableFuture.supplyAsync(() -> budget.take(slots), threads);
    }

    /** Waits until {@code n} threads wait for slots. */
    private void waitUntilQueued(int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (budget.waiting() < n) {
            assertThat(System.nanoTime()).as("%d computations waiting", n).isLessThan(until);
            Thread.sleep(5);
        }
    }
}
