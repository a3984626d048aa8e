package io.assay.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocalStackTest {
    @Test
    void theShellsSettingsForASecuredClusterAreKeptFromTheStacksOwnServices() {
        // Given a shell set up for a SASL_SSL cluster, with some tuning and the CLI's own variables beside
        List<String> shell = List.of(
                "KAFKA_SSL_TRUSTSTORE_LOCATION",
                "KAFKA_SECURITY_PROTOCOL",
                "KAFKA_SASL_JAAS_CONFIG",
                "KAFKA_SASL_MECHANISM",
                "KAFKA_BOOTSTRAP_SERVERS",
                "KAFKA_STREAMS_METRICS_RECORDING_LEVEL",
                "ASSAY_BOOTSTRAP",
                "PATH");

        // Then the ones that say how to reach the secured cluster are not passed on to the PLAINTEXT stack's
        // services; the bootstrap servers are the stack's own anyway, and tuning is harmless
        assertThat(LocalStack.clusterSecurityVariables(shell))
                .containsExactly(
                        "KAFKA_SASL_JAAS_CONFIG",
                        "KAFKA_SASL_MECHANISM",
                        "KAFKA_SECURITY_PROTOCOL",
                        "KAFKA_SSL_TRUSTSTORE_LOCATION");
    }
}
