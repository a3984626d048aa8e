package io.assay.cli.console;

import picocli.CommandLine.Option;

/**
 * {@code --json}: the command prints its data as JSON (one value on stdout) instead of text, for scripts.
 * Shared by every command that prints data, so the option reads the same everywhere.
 */
public final class JsonOption {
    @Option(names = "--json", description = "Print the result as JSON (one value on stdout) instead of text.")
    boolean json;

    /** Whether JSON was asked for. */
    public boolean json() {
        return json;
    }
}
