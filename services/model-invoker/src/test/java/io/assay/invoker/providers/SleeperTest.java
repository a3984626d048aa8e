package io.assay.invoker.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SleeperTest {
    @Test
    void aWaitOfZeroOrLessReturnsAtOnceButStillAnswersAnInterrupt() throws InterruptedException {
        Sleeper.THREAD.sleep(Duration.ZERO);
        Sleeper.THREAD.sleep(Duration.ofMillis(-5));

        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> Sleeper.THREAD.sleep(Duration.ZERO)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.currentThread().isInterrupted())
                .as("the interrupt is consumed, as Thread.sleep does")
                .isFalse();
    }

    @Test
    void aPositiveWaitSleepsAtLeastThatLong() throws InterruptedException {
        long start = System.nanoTime();
        Sleeper.THREAD.sleep(Duration.ofMillis(20));
        assertThat(System.nanoTime() - start)
                .isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
    }
}
