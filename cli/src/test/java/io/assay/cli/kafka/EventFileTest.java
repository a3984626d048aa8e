package io.assay.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Judgment;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileTest {
    @TempDir
    Path dir;

    @Test
    void reportsEachInvalidLineByNumberAndKeepsTheValidOnes() throws Exception {
        Path file = dir.resolve("items.jsonl");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "{\"benchmark\":\"b\",\"itemId\":\"1\",\"publishedAt\":\"2026-11-01T00:00:00Z\",\"prompt\":\"2+2?\",\"reference\":{\"value\":4}}",
                        "",
                        "{\"benchmark\":\"b\",\"itemId\":\"2\",\"publishedAt\":\"2026-11-01T00:00:00Z\",\"prompt\":\"3+3?\"",
                        "[1, 2]",
                        "{\"benchmark\":\"b\",\"itemId\":\"3\",\"publishedAt\":\"soon\",\"prompt\":\"4+4?\",\"reference\":{\"value\":8}}",
                        "{\"benchmark\":\"b\",\"itemId\":\"4\",\"publishedAt\":\"2026-11-01T00:00:00Z\",\"prompt\":\"5+5?\",\"reference\":{\"value\":10}}"));

        List<EventFile.Line<BenchmarkItem>> lines = EventFile.read(file, BenchmarkItem.class);

        assertThat(lines).extracting(EventFile.Line::line).containsExactly(1, 3, 4, 5, 6);
        assertThat(lines)
                .filteredOn(EventFile.Line::valid)
                .extracting(l -> l.event().itemId())
                .containsExactly("1", "4");
        assertThat(lines.get(1).error()).startsWith("not JSON");
        assertThat(lines.get(2).error()).isEqualTo("not a JSON object");
        assertThat(lines.get(3).error()).contains("/publishedAt");
    }

    @Test
    void aLineOverTheServicesEventLimitIsRefusedBeforeItIsPublished() throws Exception {
        // Given an item of 600,000 bytes (under Kafka's 1 MiB, over the 512 KiB every stage accepts) and one at it
        String head = "{\"benchmark\":\"b\",\"itemId\":\"1\",\"publishedAt\":\"2026-11-01T00:00:00Z\","
                + "\"reference\":{\"value\":4},\"prompt\":\"";
        String big = head + "x".repeat(600_000 - head.length() - 2) + "\"}";
        String limit = head.replace("\"1\"", "\"2\"")
                + "x".repeat(io.assay.contracts.EventType.MAX_EVENT_BYTES - head.length() - 2) + "\"}";
        Path file = dir.resolve("big.jsonl");
        Files.writeString(file, big + "\n" + limit + "\n");

        List<EventFile.Line<BenchmarkItem>> lines = EventFile.read(file, BenchmarkItem.class);

        // Then the first is refused with the limit (the prompt-generator dead-lettered it before), the second kept
        assertThat(lines.get(0).error())
                .isEqualTo("too large: 600000 bytes; an event is at most 524288 bytes (EventType.MAX_EVENT_BYTES),"
                        + " which the services refuse beyond");
        assertThat(lines.get(1).valid()).isTrue();
    }

    @Test
    void aLineThatIsNotUtf8IsRefusedAloneWithTheOffsetOfItsFirstBadByte() throws Exception {
        Path file = dir.resolve("mixed.jsonl");
        String good = "{\"benchmark\":\"b\",\"itemId\":\"1\",\"publishedAt\":\"2026-11-01T00:00:00Z\","
                + "\"prompt\":\"caf\u00e9?\",\"reference\":{\"value\":4}}";
        byte[] bad = "{\"itemId\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes((good + "\r\n").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(bad);
        bytes.writeBytes(("\n" + good.replace("\"1\"", "\"3\"")).getBytes(StandardCharsets.UTF_8));
        Files.write(file, bytes.toByteArray());

        List<EventFile.Line<BenchmarkItem>> lines = EventFile.read(file, BenchmarkItem.class);

        assertThat(lines).extracting(EventFile.Line::line).containsExactly(1, 2, 3);
        assertThat(lines.get(0).event().prompt()).isEqualTo("caf\u00e9?");
        assertThat(lines.get(1).error()).isEqualTo("not UTF-8: invalid byte sequence at byte 12");
        assertThat(lines.get(2).event().itemId()).isEqualTo("3");
    }

    @Test
    void aJudgmentWithoutItsOptionalFlagsIsValidAndReadsThemAsFalse() throws Exception {
        Path file = dir.resolve("judgments.jsonl");
        Files.writeString(
                file,
                "{\"judgmentId\":\"j-1\",\"benchmark\":\"b\",\"itemId\":\"i\",\"kind\":\"correct\","
                        + "\"correct\":true,\"judge\":{\"id\":\"reference\",\"protocol\":\"reference\"},\"subject\":{\"modelId\":\"m\"}}");

        List<EventFile.Line<Judgment>> lines = EventFile.read(file, Judgment.class);

        assertThat(lines.get(0).valid()).isTrue();
        assertThat(lines.get(0).event().truncated()).isFalse();
        assertThat(lines.get(0).event().empty()).isFalse();
        assertThat(lines.get(0).event().unparseable()).isFalse();
    }

    @Test
    void theReadmesImportExamplesAreValidJudgmentsAndAnAbsentIdIsTheContentsHash() throws Exception {
        // Given: the example lines of the README's "The import format"
        String readme = Files.readString(Path.of("..", "README.md"));
        String block = readme.substring(
                readme.indexOf("<!-- import-examples -->"), readme.indexOf("<!-- /import-examples -->"));
        List<String> examples = block.lines().filter(l -> l.startsWith("{")).toList();
        assertThat(examples).hasSize(5);
        Path file = dir.resolve("examples.jsonl");
        Files.writeString(
                file,
                String.join("\n", examples) + "\n" + examples.get(0) + "\n"
                        + examples.get(0).replace("\"value\":8", "\"value\":9"));

        // When
        List<EventFile.Line<Judgment>> lines = EventFile.read(file, Judgment.class);

        // Then: every line is valid, one of each kind, with the multi-category and baseline fields read
        assertThat(lines).allSatisfy(l -> assertThat(l.error()).isNull());
        assertThat(lines.subList(0, 5))
                .extracting(l -> l.event().kind().wireName())
                .containsExactly("score", "pairwise", "preference", "preference", "correct");
        assertThat(lines.get(0).event().categoriesOrSingle())
                .containsExactly("Coding & Debugging", "Planning & Reasoning");
        assertThat(lines.get(1).event().pairwise().baselineTruncatedOrEmpty()).isFalse();
        // And: the same line gets the same id (a re-import counts nothing twice), a changed one another,
        // and the id is in the bytes published
        assertThat(lines.get(5).event().judgmentId())
                .isEqualTo(lines.get(0).event().judgmentId());
        assertThat(lines.get(6).event().judgmentId())
                .isNotEqualTo(lines.get(0).event().judgmentId());
        assertThat(new String(lines.get(0).bytes(), StandardCharsets.UTF_8))
                .contains("\"judgmentId\":\"" + lines.get(0).event().judgmentId() + "\"");
    }
}
