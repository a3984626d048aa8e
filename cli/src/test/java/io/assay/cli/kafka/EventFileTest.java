package io.assay.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Judgment;
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
}
