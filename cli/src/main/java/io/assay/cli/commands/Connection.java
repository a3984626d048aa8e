package io.assay.cli.commands;

import picocli.CommandLine.Option;

/** Where the Kafka broker and the aggregator API are. */
public final class Connection {
    @Option(
            names = "--bootstrap",
            defaultValue = "${env:ASSAY_BOOTSTRAP:-${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}}",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}; env ASSAY_BOOTSTRAP, else "
                    + "KAFKA_BOOTSTRAP_SERVERS). Every other client setting comes from KAFKA_<SETTING> variables "
                    + "or -Dkafka.<setting> properties, as for the services (e.g. KAFKA_SECURITY_PROTOCOL, "
                    + "KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG, KAFKA_SSL_TRUSTSTORE_LOCATION).")
    String bootstrap;

    @Option(
            names = "--api",
            defaultValue = "${env:ASSAY_API:-http://127.0.0.1:8080}",
            description = "Aggregator base URL (default: ${DEFAULT-VALUE}; env ASSAY_API).")
    String api;
}
