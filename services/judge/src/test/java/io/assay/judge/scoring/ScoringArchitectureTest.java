package io.assay.judge.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Judging (the join, pairing and ballots), scoring, prompts, verdict parsing and the LLM protocols are
 * plain Java so they can be unit-tested and reused (e.g. by an import tool) without a broker; the Kafka
 * glue, the meters and the CDI wiring live in {@code messaging/} and {@code health/}.
 */
class ScoringArchitectureTest {

    @Test
    void domainPackagesDoNotImportKafkaOrQuarkus() throws IOException {
        for (String pkg : List.of("judging", "scoring", "prompts", "verdicts", "llm")) {
            assertPlain(Path.of("src/main/java/io/assay/judge", pkg));
        }
    }

    private static void assertPlain(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> offenders = files.filter(f -> {
                        try {
                            String source = Files.readString(f);
                            return source.contains("import org.apache.kafka")
                                    || source.contains("import io.quarkus")
                                    || source.contains("import io.smallrye")
                                    || source.contains("import io.micrometer")
                                    || source.contains("import jakarta.");
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .map(Path::toString)
                    .toList();
            assertThat(offenders)
                    .as("domain files importing Kafka, Quarkus, SmallRye, Micrometer or Jakarta")
                    .isEmpty();
        }
    }
}
