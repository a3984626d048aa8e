package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows, categories and ranking of the accuracy view, from tallies worked by hand. */
class AccuracyViewTest {
    private static final double EXACT = 1e-12;
    private static final Instant AS_OF = Instant.parse("2026-11-28T09:05:00Z");

    @Test
    void buildsRowsWithCategoriesAndMetrics() {
        // Given: m has arith 3/4 (plus 1 unparseable) and logic 0/1, so 3/5 overall
        List<Tally> merged = List.of(
                new Tally("b", "m", "arith", 4, 3, 1),
                new Tally("b", "m", "logic", 1, 0, 0),
                new Tally("b", "m", null, 0, 0, 0));

        // When
        LeaderboardSnapshot s = AccuracyView.build("b", merged, "m"::equals, AS_OF);

        // Then: 3/5 = 0.6; Wilson: denom = 1.768291764138825, center = 0.5565517535216825,
        // half = 0.32582747224566955 (40-digit check) → [0.23072428127601297, 0.8823792257673521]
        assertThat(s.benchmark()).isEqualTo("b");
        assertThat(s.view()).isEqualTo("accuracy");
        assertThat(s.asOf()).isEqualTo(AS_OF);
        assertThat(s.judgments()).isEqualTo(6);
        Row row = s.rows().get(0);
        assertThat(row.rank()).isEqualTo(1);
        assertThat(row.simulated()).isTrue();
        assertThat(row.n()).isEqualTo(5);
        assertThat(row.value()).isCloseTo(0.6, within(EXACT));
        assertThat(row.lower()).isCloseTo(0.23072428127601297, within(EXACT));
        assertThat(row.upper()).isCloseTo(0.8823792257673521, within(EXACT));
        assertThat(row.metrics())
                .containsExactly(Map.entry("correct", 3L), Map.entry("incorrect", 2L), Map.entry("unparseable", 1L));
        // arith 3/4 → [0.3006418425824019, 0.9544127391902995]; logic 0/1 → [0, 0.7934506856227626]
        assertThat(row.categories()).containsOnlyKeys("arith", "logic");
        Cell arith = row.categories().get("arith");
        assertThat(arith.value()).isEqualTo(0.75);
        assertThat(arith.lower()).isCloseTo(0.3006418425824019, within(EXACT));
        assertThat(arith.upper()).isCloseTo(0.9544127391902995, within(EXACT));
        assertThat(arith.n()).isEqualTo(4);
        assertThat(row.categories().get("logic").upper()).isCloseTo(0.7934506856227626, within(EXACT));
    }

    @Test
    void ranksByValueThenLowerBoundThenModelId() {
        // Given: a and z both 2/4 (same value and bound), big 4/8 (same value, tighter bound),
        // best 3/4 and unknown with no parseable verdicts
        List<Tally> merged = List.of(
                new Tally("b", "z", "c", 4, 2, 0),
                new Tally("b", "a", "c", 4, 2, 0),
                new Tally("b", "big", "c", 8, 4, 0),
                new Tally("b", "best", "c", 4, 3, 0),
                new Tally("b", "unknown", "c", 0, 0, 2));

        // When
        LeaderboardSnapshot s = AccuracyView.build("b", merged, id -> false, AS_OF);

        // Then: best (0.75) first; among the 0.5s the larger sample's higher lower bound wins
        // (4/8 → 0.2152 > 2/4 → 0.1500), then a before z; n = 0 last
        assertThat(s.rows()).extracting(Row::modelId).containsExactly("best", "big", "a", "z", "unknown");
        assertThat(s.rows()).extracting(Row::rank).containsExactly(1, 2, 3, 4, 5);
        assertThat(s.rows().get(4).value()).isEqualTo(0.0);
        assertThat(s.rows().get(4).upper()).isEqualTo(1.0);
    }
}
