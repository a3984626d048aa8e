package io.assay.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void topicNamesAreUniqueAndPrefixed() {
        assertThat(Topics.ALL).extracting(Topic::name).doesNotHaveDuplicates().allMatch(n -> n.startsWith("assay."));
    }

    @Test
    void serdeRoundTripsARecordAndKeepsTombstones() {
        var item = new BenchmarkItem(
                "dyval",
                "i1",
                1,
                Instant.parse("2026-11-28T00:00:00Z"),
                null,
                "logic",
                List.of(),
                "Is it true?",
                null,
                null,
                Reference.answer("yes"),
                0.3,
                null);
        var serde = Topics.ITEMS.valueSerde();

        byte[] bytes = serde.serializer().serialize(Topics.ITEMS.name(), item);

        assertThat(serde.deserializer().deserialize(Topics.ITEMS.name(), bytes)).isEqualTo(item);
        assertThat(serde.serializer().serialize(Topics.ITEMS.name(), null)).isNull();
        assertThat(serde.deserializer().deserialize(Topics.ITEMS.name(), null)).isNull();
    }

    @Test
    void serdeRejectsAnEventThatBreaksTheSchema() {
        byte[] bad = "{\"benchmark\":\"dyval\",\"itemId\":\"x\"}".getBytes();

        assertThatThrownBy(() -> Topics.ITEMS.valueSerde().deserializer().deserialize("assay.items", bad))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("publishedAt");
    }

    @Test
    void contentKeepsItsShape() {
        var multimodal =
                Content.of(List.of(ContentPart.text("what is this?"), ContentPart.image("https://x.org/a.png")));
        var message = new Message("user", multimodal);

        String json = Json.write(message);

        assertThat(json).contains("\"image_url\":{\"url\":\"https://x.org/a.png\"}");
        assertThat(Json.read(json, Message.class)).isEqualTo(message);
        assertThat(Json.write(Message.user("hi"))).isEqualTo("{\"role\":\"user\",\"content\":\"hi\"}");
        assertThat(multimodal.asText()).isEqualTo("what is this?");
    }
}
