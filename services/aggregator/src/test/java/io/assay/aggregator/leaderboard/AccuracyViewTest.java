package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Provider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows, categories and ranking of the accuracy view, from verdicts counted by hand. */
class AccuracyViewTest {
    private static final double EXACT = 1e-12;
    private static final Instant AS_OF = Instant.parse("2026-11-28T09:05:00Z");
    private static final ModelSpec SIMULATED_M =
            new ModelSpec("m", null, Provider.SIM, null, null, null, null, null, null, null, null, null, null, null);

    /** {@code correct} right, {@code incorrect} wrong and {@code unparseable} unparseable verdicts of one model. */
    private static List<Judgment> verdicts(String model, String category, int correct, int incorrect, int unparseable) {
        List<Judgment> out = new ArrayList<>();
        for (int i = 0; i < correct + incorrect + unparseable; i++) {
            String item = category + i;
            out.add(
                    i < correct + incorrect
                            ? Judgments.correct("b", item, category, model, i < correct)
                            : Judgments.unparseable("b", item, category, model));
        }
        return out;
    }

    /** The accuracy snapshot of {@code judgments}, folded into slots in slot-key order. */
    private static LeaderboardSnapshot accuracy(List<Judgment> judgments, Leaderboards.Context ctx) {
        List<Slot> slots = FoldTest.slots(judgments);
        return Leaderboards.build("b", slots, ctx, ViewQuery.of(View.ACCURACY), AS_OF);
    }

    @Test
    void buildsRowsWithCategoriesAndMetrics() {
        // Given: m has arith 3/4 (plus 1 unparseable) and logic 0/1, so 3/5 overall
        List<Judgment> judgments = new ArrayList<>(verdicts("m", "arith", 3, 1, 1));
        judgments.addAll(verdicts("m", "logic", 0, 1, 0));

        // When
        LeaderboardSnapshot s = accuracy(judgments, new Leaderboards.Context(Map.of("m", SIMULATED_M), null));

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
        // macro: (0.75 + 0) / 2 with no category weights
        assertThat(row.metrics())
                .containsExactly(
                        Map.entry("correct", 3L),
                        Map.entry("incorrect", 2L),
                        Map.entry("unparseable", 1L),
                        Map.entry("macro", 0.375));
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
        List<Judgment> judgments = new ArrayList<>();
        judgments.addAll(verdicts("z", "c", 2, 2, 0));
        judgments.addAll(verdicts("a", "c", 2, 2, 0));
        judgments.addAll(verdicts("big", "c", 4, 4, 0));
        judgments.addAll(verdicts("best", "c", 3, 1, 0));
        judgments.addAll(verdicts("unknown", "c", 0, 0, 2));

        // When
        LeaderboardSnapshot s = accuracy(judgments, new Leaderboards.Context(Map.of(), null));

        // Then: best (0.75) first; among the 0.5s the larger sample's higher lower bound wins
        // (4/8 → 0.2152 > 2/4 → 0.1500), then a before z; n = 0 last
        assertThat(s.rows()).extracting(Row::modelId).containsExactly("best", "big", "a", "z", "unknown");
        assertThat(s.rows()).extracting(Row::rank).containsExactly(1, 2, 3, 4, 5);
        assertThat(s.rows().get(4).value()).isEqualTo(0.0);
        assertThat(s.rows().get(4).upper()).isEqualTo(1.0);
    }
}
