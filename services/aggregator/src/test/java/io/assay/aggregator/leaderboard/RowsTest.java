package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A row's bounds: what a view gives, never an interval of no width standing in for none. */
class RowsTest {
    private static final Leaderboards.Context CTX = new Leaderboards.Context(Map.of(), null);

    private static Row row(Double lower, Double upper, boolean intervals) {
        return Rows.row("m", CTX, 0.5, lower, upper, 10, Map.of(), Map.of(), intervals);
    }

    @Test
    void anUndefinedOrMissingBoundIsNullNotTheValue() {
        assertThat(row(0.4, 0.6, true)).extracting(Row::lower, Row::upper).containsExactly(0.4, 0.6);
        assertThat(row(Double.NaN, Double.NaN, true))
                .extracting(Row::lower, Row::upper)
                .containsExactly(null, null);
        assertThat(row(null, null, true)).extracting(Row::lower, Row::upper).containsExactly(null, null);
        assertThat(row(0.4, null, true)).extracting(Row::lower, Row::upper).containsExactly(0.4, null);
    }

    @Test
    void aBoardWithoutIntervalsGivesTheValueForBoth() {
        // an earlier ranking's board (the stability tau's), which publishes no interval
        assertThat(row(Double.NaN, null, false))
                .extracting(Row::lower, Row::upper)
                .containsExactly(0.5, 0.5);
    }

    @Test
    void aCategoryCellsUndefinedBoundIsNullToo() {
        assertThat(Rows.cell(0.5, 0.4, 0.6, 10)).isEqualTo(new Cell(0.5, 0.4, 0.6, 10));
        assertThat(Rows.cell(0.5, Double.NaN, Double.NaN, 10)).isEqualTo(new Cell(0.5, null, null, 10));
    }
}
