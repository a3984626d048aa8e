package io.assay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.cli.kafka.EventFile;
import io.assay.contracts.Json;
import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.Origin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sizes {@code bench heap} accepts and splits into phases, and the history it imports. */
class HeapBenchTest {
    private static final Duration T = Duration.ofSeconds(60);

    @Test
    void aTenthOfEachInPhaseOneAndTheRestInPhaseTwo() {
        HeapBench.Options o = new HeapBench.Options(1_000_000, 100_000, 4, T, T, HeapBench.Options.ALL_KINDS);

        assertThat(o.history(1)).isEqualTo(100_000);
        assertThat(o.history(2)).isEqualTo(900_000);
        // 100,000 evaluations / 4 models = 25,000 items: 2,500 then 22,500
        assertThat(o.items(1)).isEqualTo(2_500);
        assertThat(o.items(2)).isEqualTo(22_500);
    }

    @Test
    void sizesThatDoNotSplitIntoTenthsOfWholeItemsAreRefusedByName() {
        assertThatThrownBy(() -> new HeapBench.Options(1_000_005, 100_000, 4, T, T, HeapBench.Options.ALL_KINDS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--judgments")
                .hasMessageContaining("1000005");
        // 100,010 evaluations are not 10 × 4 × whole items
        assertThatThrownBy(() -> new HeapBench.Options(1_000_000, 100_010, 4, T, T, HeapBench.Options.ALL_KINDS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--evaluations")
                .hasMessageContaining("40");
        assertThatThrownBy(() -> new HeapBench.Options(1_000_000, 20, 4, T, T, HeapBench.Options.ALL_KINDS))
                .hasMessageContaining("--evaluations");
        assertThatThrownBy(() -> new HeapBench.Options(1_000_000, 100_000, 0, T, T, HeapBench.Options.ALL_KINDS))
                .hasMessageContaining("--models");
        assertThatThrownBy(() -> new HeapBench.Options(1_000_000, 100_000, 4, T, T, List.of()))
                .hasMessageContaining("--kinds");
    }

    @Test
    void theHistoryIsValidJudgmentsOfTenModelsPerItemAsTheImportReadsThem(@TempDir Path dir) throws Exception {
        // Given: the first 8,000 judgments of the history of every kind (some unparseable of each), written as
        // the bench writes its files
        SplittableRandom random = new SplittableRandom(1);
        List<String> lines = new ArrayList<>();
        for (long i = 0; i < 8_000; i++) {
            lines.add(Json.write(HeapBench.historic("bench-heap", i, random, HeapBench.Options.ALL_KINDS)));
        }
        Path file = dir.resolve("history.jsonl");
        Files.write(file, lines);

        // When: read and validated by the import's reader (the Judgment schema)
        List<EventFile.Line<Judgment>> read = EventFile.read(file, Judgment.class);

        // Then: every line valid, 800 items of 10 distinct models each, the kinds item by item in turn, a
        // verdict unless unparseable, ids unique, origin import, judged in the order of the history
        assertThat(read).hasSize(8_000).allMatch(EventFile.Line::valid, "valid");
        Map<JudgmentKind, Integer> unparseable = new EnumMap<>(JudgmentKind.class);
        Set<String> ids = new HashSet<>();
        Set<String> models = new HashSet<>();
        for (int item = 0; item < 800; item++) {
            Set<String> ofItem = new HashSet<>();
            for (int k = 0; k < 10; k++) {
                Judgment j = read.get(item * 10 + k).event();
                assertThat(j.itemId()).isEqualTo("h-" + item);
                assertThat(j.key()).isEqualTo("bench-heap/h-" + item);
                assertThat(j.origin()).isEqualTo(Origin.IMPORT);
                assertThat(j.kind()).isEqualTo(HeapBench.Options.ALL_KINDS.get(item % 4));
                Object verdict = switch (j.kind()) {
                    case CORRECT -> j.correct();
                    case SCORE -> j.score();
                    case PAIRWISE -> j.pairwise();
                    case PREFERENCE -> j.preference();
                };
                assertThat(j.unparseable()).isEqualTo(verdict == null);
                unparseable.merge(j.kind(), j.unparseable() ? 1 : 0, Integer::sum);
                assertThat(j.judgedAt()).isEqualTo(HeapBench.HISTORY_START.plusMillis(item * 10L + k));
                ofItem.add(j.subject().modelId());
                ids.add(j.judgmentId());
            }
            assertThat(ofItem).hasSize(10);
            models.addAll(ofItem);
        }
        assertThat(ids).hasSize(8_000);
        assertThat(unparseable)
                .containsOnlyKeys(HeapBench.Options.ALL_KINDS)
                .allSatisfy((kind, n) ->
                        assertThat(n).as("unparseable %s verdicts", kind).isPositive());
        assertThat(models).hasSize(HeapBench.HISTORY_MODELS);
    }
}
