package io.assay.cli.commands;

import io.assay.cli.console.Numbers;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How long a publishing command retries each event before it names it as not delivered. */
public final class Delivery {
    @Option(
            names = "--delivery-timeout",
            paramLabel = "SECONDS",
            defaultValue = "${env:ASSAY_DELIVERY_TIMEOUT:-120}",
            converter = Numbers.PositiveLong.class,
            description = "Retry each event for up to SECONDS while the broker is unreachable; events still not "
                    + "acknowledged then are named (FILE:LINE or benchmark/itemId) and the exit code is 3 "
                    + "(default: ${DEFAULT-VALUE}; env ASSAY_DELIVERY_TIMEOUT).")
    long seconds;

    /** The delivery timeout. */
    Duration timeout() {
        return Duration.ofSeconds(seconds);
    }
}
