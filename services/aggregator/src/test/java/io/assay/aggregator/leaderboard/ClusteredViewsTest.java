package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The accuracy view's interval over prompt variants of one item, folded as the aggregator folds them. */
class ClusteredViewsTest {
    private static final Instant AT = Instant.parse("2026-11-28T09:00:00Z");

    @Test
    void accuracyCountsTheVariantsOfAnItemAsOneCluster() {
        // Given: four items in formats plain and json, right 2, 0, 1, 2 times (5 of 8)
        boolean[][] verdicts = {{true, true}, {false, false}, {true, false}, {true, true}};
        List<Judgment> judgments = new ArrayList<>();
        for (int i = 0; i < verdicts.length; i++) {
            judgments.add(Judgments.correctAt("b", "i" + i, "m", verdicts[i][0], "plain", AT, AT));
            judgments.add(Judgments.correctAt("b", "i" + i, "m", verdicts[i][1], "json", AT, AT));
        }
        List<Slot> slots = FoldTest.slots(judgments);

        // When
        Row row = Leaderboards.build(
                        "b", slots, new Leaderboards.Context(Map.of(), null), ViewQuery.of(View.ACCURACY), AT)
                .rows()
                .get(0);

        // Then: Wilson on the effective sample size 45/11 (worked in stats.ClusteredIntervalsTest),
        // not on the 8 verdicts: [0.2222, 0.9068] rather than Wilson(5, 8) = [0.3057, 0.8632]
        assertThat(row.value()).isEqualTo(0.625);
        assertThat(row.n()).isEqualTo(8);
        assertThat(row.lower()).isCloseTo(0.22216919915495795, within(1e-12));
        assertThat(row.upper()).isCloseTo(0.90676169312391124, within(1e-12));
    }
}
