package io.assay.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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

    @Test
    void theShellsServiceJavaOptionsComeAfterTheStacksOwnSoTheyWin() {
        // Given a shell that raises the services' heap and asks for C1 only, spaced as people type
        List<String> options = LocalStack.parseServiceJavaOptions("  -Xmx2g\t -XX:TieredStopAtLevel=1 ");

        // Then each is an argument of every service's JVM, after the stack's -Xmx384m (the JVM takes the last)
        List<String> command = LocalStack.serviceCommand(Path.of("svc.jar"), Path.of("state"), options);
        assertThat(options).containsExactly("-Xmx2g", "-XX:TieredStopAtLevel=1");
        assertThat(command.subList(1, command.size()))
                .containsExactly(
                        "-Xmx384m",
                        "-XX:+UseSerialGC",
                        "-XX:+UseCountedLoopSafepoints",
                        "-XX:LoopStripMiningIter=1000",
                        "-Djava.io.tmpdir=" + Path.of("state", "tmp"),
                        "-Xmx2g",
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        "svc.jar");
    }

    @Test
    void noServiceJavaOptionsLeaveTheStacksOwn() {
        assertThat(LocalStack.parseServiceJavaOptions(null)).isEmpty();
        assertThat(LocalStack.parseServiceJavaOptions("   ")).isEmpty();
    }

    @Test
    void aWordThatIsNotAJvmOptionIsRefusedBeforeAnythingStarts() {
        // Given options pasted with a stray word (a quoted value split by the shell, say)
        assertThatThrownBy(() -> LocalStack.parseServiceJavaOptions("-Xmx2g 2g"))
                .isInstanceOf(StackException.class)
                .hasMessage("ASSAY_SERVICE_JAVA_OPTIONS: '2g' is not a JVM option (each starts with -, separated by"
                        + " whitespace): -Xmx2g 2g");
    }
}
