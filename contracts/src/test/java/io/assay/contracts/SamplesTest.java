package io.assay.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample event validates against its schema and survives a round trip through its record. */
class SamplesTest {

    static Stream<Samples.Sample> validSamples() {
        return Samples.all().stream().filter(Samples.Sample::valid);
    }

    static Stream<Samples.Sample> invalidSamples() {
        return Samples.all().stream().filter(s -> !s.valid());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSamples")
    void sampleIsValidAndRoundTrips(Samples.Sample sample) {
        EventType type = sample.type();
        byte[] bytes = sample.bytes();
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
    void invalidSampleIsRejectedWithAReason(Samples.Sample sample) {
        EventType type = sample.type();
        byte[] bytes = sample.bytes();

        assertThatThrownBy(() -> type.parse(bytes, type.recordType()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageMatching("(\\(root\\)|/\\S*): .+");
    }

    @Test
    void everyEventTypeHasAtLeastOneSample() {
        List<EventType> covered =
                validSamples().map(Samples.Sample::type).distinct().toList();
        assertThat(covered).containsExactlyInAnyOrder(EventType.values());
    }

    @Test
    void notJsonIsRejected() {
        assertThatThrownBy(() -> EventType.JUDGMENT.parse("{not json".getBytes(), Judgment.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("not JSON");
    }

    @Test
    void anAbsentKindOrProviderIsTheOneReasonNotEveryKindsFields() {
        // A conditional field's schema applies only when its discriminator is there: without it, the reason is the
        // missing discriminator, not what every one of its values would require
        String noKind = """
                {"judgmentId": "j-1", "benchmark": "b", "itemId": "i",
                 "judge": {"id": "reference", "protocol": "reference"}, "subject": {"modelId": "m"}}""";
        assertThat(EventType.JUDGMENT.violations(Json.tree(noKind.getBytes())))
                .containsExactly("(root): required property 'kind' not found");
        assertThat(EventType.MODEL_SPEC.violations(Json.tree("{\"modelId\": \"x\"}".getBytes())))
                .containsExactly("(root): required property 'provider' not found");
        // ... and with it, what its value requires
        assertThat(EventType.MODEL_SPEC.violations(
                        Json.tree("{\"modelId\": \"x\", \"provider\": \"openai\"}".getBytes())))
                .containsExactlyInAnyOrder(
                        "(root): required property 'baseUrl' not found",
                        "(root): required property 'providerModel' not found");
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
}
