package io.assay.cli.console;

import picocli.CommandLine.Option;

/** {@code --quiet}: no progress lines on stderr (errors and the result are still printed). */
public final class QuietOption {
    @Option(
            names = {"-q", "--quiet"},
            description = "No progress on stderr (count, rate, ETA); errors and the result are still printed.")
    boolean quiet;

    /** Whether progress is turned off. */
    public boolean quiet() {
        return quiet;
    }
}
