package io.assay.promptgenerator.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The prompting and back-fill rules know nothing of Kafka or the framework, because they are the part
 * that must be unit-testable, and the Kafka glue around them is being replaced by the service kit.
 */
class DomainIsolationTest {

    @Test
    void promptsDoNotImportKafkaOrTheFramework() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/assay/promptgenerator/prompts"))) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> read(p).lines()
                            .anyMatch(l -> l.startsWith("import org.apache.kafka")
                                    || l.startsWith("import io.smallrye")
                                    || l.startsWith("import io.quarkus")
                                    || l.startsWith("import io.micrometer")
                                    || l.startsWith("import jakarta")))
                    .map(Path::toString)
                    .toList();
        }
        assertThat(offenders).isEmpty();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
