package io.assay.cli.commands;

import picocli.CommandLine.Option;

/** Where the Kafka broker and the aggregator API are. */
public final class Connection {
    @Option(
            names = "--bootstrap",
            defaultValue = "${env:ASSAY_BOOTSTRAP:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}; env ASSAY_BOOTSTRAP).")
    String bootstrap;

    @Option(
            names = "--api",
            defaultValue = "${env:ASSAY_API:-http://127.0.0.1:8080}",
            description = "Aggregator base URL (default: ${DEFAULT-VALUE}; env ASSAY_API).")
    String api;
}
