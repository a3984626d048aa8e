package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The statistics and the fold know nothing of Kafka, because they are the part that must be
 * unit-testable and reusable when a view is rebuilt by replaying the ledger elsewhere.
 */
class DomainIsolationTest {

    @Test
    void statsAndLeaderboardDoNotImportKafkaOrQuarkus() throws IOException {
        Path main = Path.of("src/main/java/io/assay/aggregator");
        List<String> offenders;
        try (Stream<Path> files =
                Stream.concat(Files.walk(main.resolve("stats")), Files.walk(main.resolve("leaderboard")))) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> read(p).lines()
                            .anyMatch(l -> l.startsWith("import org.apache.kafka")
                                    || l.startsWith("import io.quarkus")
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
