package io.assay.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample event validates against its schema and survives a round trip through its record. */
class SamplesTest {

    static Stream<Path> validSamples() throws IOException, URISyntaxException {
        return list("samples");
    }

    static Stream<Path> invalidSamples() throws IOException, URISyntaxException {
        return list("samples/invalid");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSamples")
    void sampleIsValidAndRoundTrips(Path sample) throws IOException {
        EventType type = typeOf(sample);
        byte[] bytes = Files.readAllBytes(sample);
        JsonNode original = Json.tree(bytes);

        assertThat(type.violations(original)).as("schema violations").isEmpty();

        Object record = type.parse(bytes, type.recordType());
        JsonNode written = Json.mapper().valueToTree(record);
        assertThat(original.equals(SamplesTest::compareNumbersByValue, written))
                .as("round trip of %s gave %s", original, written)
                .isTrue();
        assertThat(type.violations(written)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSamples")
    void invalidSampleIsRejectedWithAReason(Path sample) throws IOException {
        EventType type = typeOf(sample);
        byte[] bytes = Files.readAllBytes(sample);

        assertThatThrownBy(() -> type.parse(bytes, type.recordType()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageMatching("(\\(root\\)|/\\S*): .+");
    }

    @Test
    void everyEventTypeHasAtLeastOneSample() throws IOException, URISyntaxException {
        List<EventType> covered =
                validSamples().map(SamplesTest::typeOf).distinct().toList();
        assertThat(covered).containsExactlyInAnyOrder(EventType.values());
    }

    @Test
    void notJsonIsRejected() {
        assertThatThrownBy(() -> EventType.JUDGMENT.parse("{not json".getBytes(), Judgment.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("not JSON");
    }

    @Test
    void absentOptionalFlagsBindAsFalse() {
        // Given a judgment from another tool that leaves out every optional flag
        String minimal = """
                {"judgmentId": "j-1", "benchmark": "b", "itemId": "i", "kind": "correct", "correct": true,
                 "judge": {"id": "reference", "protocol": "reference"}, "subject": {"modelId": "m"}}""";

        // When it is parsed
        Judgment judgment = EventType.JUDGMENT.parse(minimal.getBytes(), Judgment.class);

        // Then the flags read false rather than failing the event
        assertThat(judgment.truncated()).isFalse();
        assertThat(judgment.empty()).isFalse();
        assertThat(judgment.unparseable()).isFalse();
    }

    /** Numbers are compared by value: 9 and 9.0 are the same number to the schema and the record. */
    private static int compareNumbersByValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
        return a.equals(b) ? 0 : 1;
    }

    private static EventType typeOf(Path sample) {
        String prefix = sample.getFileName().toString().split("\\.")[0];
        return Arrays.stream(EventType.values())
                .filter(t -> t.schemaResource().equals("/schemas/" + prefix + ".schema.json"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no event type for sample " + sample));
    }

    private static Stream<Path> list(String dir) throws IOException, URISyntaxException {
        Path root = Path.of(SamplesTest.class.getResource("/" + dir).toURI());
        try (Stream<Path> files = Files.list(root)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }
}
