package io.assay.invoker.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.ModelSpecPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void onlyExposedNamesResolveFromTheEnvironmentOrTheSecretsDirectory() throws Exception {
        // Given an environment with an exposed key and Kafka's password, and a secrets file
        Path dir = Files.createDirectories(Path.of("target", "secrets-test"));
        Files.writeString(dir.resolve("ASSAY_KEY_FILED"), "sk-from-a-file-0001\n");
        Files.writeString(dir.resolve("KAFKA_SASL_PASSWORD"), "kafka-secret-in-dir");
        Credentials credentials = new Credentials(
                ModelSpecPolicy.DEFAULT,
                dir,
                Map.of("ASSAY_KEY_OPENAI", "sk-from-env-0001", "KAFKA_SASL_PASSWORD", "kafka-secret-env"));

        // Then exposed names resolve, from the environment first, else from the file
        assertThat(credentials.value("ASSAY_KEY_OPENAI")).isEqualTo("sk-from-env-0001");
        assertThat(credentials.value("ASSAY_KEY_FILED")).isEqualTo("sk-from-a-file-0001");
        // and nothing else does, wherever it is
        assertThat(credentials.value("KAFKA_SASL_PASSWORD")).isNull();
        assertThat(credentials.value("ASSAY_KEY_MISSING")).isNull();
        assertThat(credentials.value("ASSAY_KEY_../KAFKA_SASL_PASSWORD")).isNull();
        // and the redactor knows every exposed value from the start, and no other
        assertThat(credentials.known()).containsExactlyInAnyOrder("sk-from-env-0001", "sk-from-a-file-0001");
    }
}
