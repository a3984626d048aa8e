package io.assay.cli.console;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long command on stderr: count, rate and, when the total is known, percentage and ETA.
 * On a terminal one line is redrawn in place ({@code \r}); otherwise (CI logs, pipes) a line is printed
 * every few seconds so a log stays readable. {@link #finish()} prints the summary: count, elapsed, rate.
 * Thread-safe: a feed reports from its publishing thread while delivery errors are printed from the
 * producer's; both lock the writer.
 */
public final class Progress {
    /** How often a terminal line is redrawn. */
    static final Duration TERMINAL_EVERY = Duration.ofMillis(200);

    /** How often a line is printed when stderr is not a terminal. */
    static final Duration LOG_EVERY = Duration.ofSeconds(5);

    private static final Progress NONE = new Progress("", "", -1, null, false, System::nanoTime, LOG_EVERY);

    private final String label;
    private final String noun;
    private final PrintWriter err;
    private final boolean terminal;
    private final LongSupplier nanos;
    private final long everyNanos;
    private final long started;
    private long total;
    private long done;
    private long lastPrinted;
    private int drawnWidth;
    private boolean finished;

    Progress(
            String label,
            String noun,
            long total,
            PrintWriter err,
            boolean terminal,
            LongSupplier nanos,
            Duration every) {
        this.label = label;
        this.noun = noun;
        this.total = total;
        this.err = err;
        this.terminal = terminal;
        this.nanos = nanos;
        this.everyNanos = every.toNanos();
        this.started = nanos.getAsLong();
        this.lastPrinted = started;
    }

    /**
     * Progress of {@code label} counting {@code noun} (e.g. "items") towards {@code total} ({@code -1} when
     * unknown) on {@code err}; nothing at all when {@code quiet}.
     */
    public static Progress start(String label, String noun, long total, PrintWriter err, boolean quiet) {
        if (quiet) {
            return NONE;
        }
        boolean terminal = System.console() != null;
        return new Progress(label, noun, total, err, terminal, System::nanoTime, terminal ? TERMINAL_EVERY : LOG_EVERY);
    }

    /** Progress that prints nothing. */
    public static Progress none() {
        return NONE;
    }

    /** Counts {@code n} more. */
    public void advance(long n) {
        update(done + n);
    }

    /** The count is now {@code count}. */
    public void update(long count) {
        if (err == null) {
            return;
        }
        synchronized (err) {
            done = count;
            long now = nanos.getAsLong();
            if (!finished && now - lastPrinted >= everyNanos) {
                lastPrinted = now;
                print(line(now));
            }
        }
    }

    /**
     * Prints {@code message} as a line of its own: on a terminal the progress line is wiped first (and
     * redrawn by the next update), so an error never ends up glued to it.
     */
    public void message(PrintWriter to, String message) {
        synchronized (to) {
            if (err != null && terminal && drawnWidth > 0) {
                err.print("\r" + " ".repeat(drawnWidth) + "\r");
                drawnWidth = 0;
                lastPrinted = started - everyNanos;
            }
            to.println(message);
            to.flush();
        }
    }

    /** The total is now known (or has changed). */
    public void total(long total) {
        if (err == null) {
            return;
        }
        synchronized (err) {
            this.total = total;
        }
    }

    /** Prints the summary line: count, elapsed, rate. Once; later calls do nothing. */
    public void finish() {
        if (err == null) {
            return;
        }
        synchronized (err) {
            if (finished) {
                return;
            }
            finished = true;
            long now = nanos.getAsLong();
            double seconds = (now - started) / 1e9;
            print(String.format(
                    Locale.ROOT,
                    "%s: %,d %s in %s (%s/s)",
                    label,
                    done,
                    noun(done),
                    duration(seconds),
                    rate(done, seconds)));
            if (terminal) {
                err.println();
            }
            err.flush();
        }
    }

    /** The noun for {@code count} of them: "1 line", not "1 lines" (every noun given is a plural in -s). */
    private String noun(long count) {
        return count == 1 && noun.endsWith("s") ? noun.substring(0, noun.length() - 1) : noun;
    }

    /** The line shown while running. */
    String line(long now) {
        double seconds = (now - started) / 1e9;
        StringBuilder s = new StringBuilder(label).append(": ");
        if (total > 0) {
            s.append(String.format(
                    Locale.ROOT, "%,d/%,d %s (%.0f%%)", done, total, noun, 100.0 * Math.min(done, total) / total));
        } else {
            s.append(String.format(Locale.ROOT, "%,d %s", done, noun(done)));
        }
        s.append(", ").append(rate(done, seconds)).append("/s");
        if (total > 0 && done > 0 && done < total) {
            double eta = (total - done) * seconds / done;
            s.append(", ETA ").append(duration(eta));
        }
        return s.toString();
    }

    private void print(String line) {
        if (terminal) {
            // Redraw in place; pad over a longer previous line.
            String padded = line.length() < drawnWidth ? line + " ".repeat(drawnWidth - line.length()) : line;
            drawnWidth = line.length();
            err.print("\r" + padded);
        } else {
            err.println(line);
        }
        err.flush();
    }

    private static String rate(long count, double seconds) {
        if (seconds <= 0) {
            return "-";
        }
        double r = count / seconds;
        return r >= 100 ? String.format(Locale.ROOT, "%,.0f", r) : String.format(Locale.ROOT, "%.1f", r);
    }

    /** {@code 4.2 s}, {@code 3 min 05 s}, {@code 1 h 02 min}. */
    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
