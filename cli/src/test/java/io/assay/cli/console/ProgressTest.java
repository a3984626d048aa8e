package io.assay.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final StringWriter err = new StringWriter();
    private final AtomicLong now = new AtomicLong();

    private Progress progress(long total, boolean terminal, Duration every) {
        return new Progress("feed", "items", total, new PrintWriter(err, true), terminal, now::get, every);
    }

    private void at(double seconds) {
        now.set((long) (seconds * 1e9));
    }

    @Test
    void withoutATerminalALineEveryFewSecondsWithPercentageAndEta() {
        // Given 100 items to publish, stderr not a terminal (a CI log)
        Progress p = progress(100, false, Progress.LOG_EVERY);

        // When 10 are done after 1 s, 50 after 5 s, 100 after 10 s
        at(1);
        p.update(10);
        at(5);
        p.update(50);
        at(10);
        p.update(100);
        p.finish();

        // Then one line per 5 s (none at 1 s), the ETA from the rate so far, and the summary
        assertThat(err.toString().lines().toList())
                .containsExactly(
                        "feed: 50/100 items (50%), 10.0/s, ETA 5.0 s",
                        "feed: 100/100 items (100%), 10.0/s", "feed: 100 items in 10.0 s (10.0/s)");
        assertThat(err.toString()).doesNotContain("\r");
    }

    @Test
    void anUnknownTotalShowsCountAndRate() {
        Progress p = progress(-1, false, Progress.LOG_EVERY);
        at(6);
        p.update(1_200);
        p.finish();
        p.finish();

        assertThat(err.toString().lines().toList())
                .containsExactly("feed: 1,200 items, 200/s", "feed: 1,200 items in 6.0 s (200/s)");
    }

    @Test
    void oneIsSingular() {
        Progress p = progress(-1, false, Progress.LOG_EVERY);
        at(6);
        p.update(1);
        p.finish();

        assertThat(err.toString().lines().toList())
                .containsExactly("feed: 1 item, 0.2/s", "feed: 1 item in 6.0 s (0.2/s)");
    }

    @Test
    void onATerminalOneLineIsRedrawnInPlace() {
        Progress p = progress(-1, true, Progress.TERMINAL_EVERY);
        at(0.1);
        p.update(1);
        at(0.3);
        p.update(20);
        at(90);
        p.update(2000);
        p.finish();

        assertThat(err.toString())
                .isEqualTo(
                        "\rfeed: 20 items, 66.7/s\rfeed: 2,000 items, 22.2/s\rfeed: 2,000 items in 1 min 30 s (22.2/s)\n");
    }

    @Test
    void aMessageOnATerminalWipesTheProgressLineFirst() {
        Progress p = progress(-1, true, Progress.TERMINAL_EVERY);
        at(1);
        p.update(5);
        p.message(new PrintWriter(err, true), "items.jsonl:3: not JSON");
        at(1.01);
        p.update(6);

        // The line is wiped, the message stands alone, and the next update redraws at once
        assertThat(err.toString())
                .isEqualTo("\rfeed: 5 items, 5.0/s" + "\r" + " ".repeat(20) + "\r" + "items.jsonl:3: not JSON\n"
                        + "\rfeed: 6 items, 5.9/s");
    }

    @Test
    void quietPrintsNothing() {
        Progress p = Progress.start("feed", "items", 10, new PrintWriter(err, true), true);
        p.update(10);
        p.finish();
        assertThat(err.toString()).isEmpty();
    }
}
