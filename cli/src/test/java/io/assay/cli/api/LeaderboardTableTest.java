package io.assay.cli.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The printed table says what its interval column is, and says why a view has no rows. */
class LeaderboardTableTest {
    private static final Instant AS_OF = Instant.parse("2026-11-28T12:00:00Z");

    private static LeaderboardSnapshot board(String view, List<Row> rows, Map<String, Object> params) {
        return new LeaderboardSnapshot("b", view, AS_OF, 10, rows, params, null, null);
    }

    private static Row row(String model, double value, Double lower, Double upper, Map<String, Object> metrics) {
        return new Row(1, model, false, value, lower, upper, 5, Map.of(), metrics);
    }

    @Test
    void eloHasNoIntervalAndFormatSpreadShowsItsRange() {
        String elo =
                LeaderboardTable.render(board("elo", List.of(row("m", 1012.5, 1012.5, 1012.5, Map.of())), Map.of()));
        assertThat(elo)
                .doesNotContain("95% CI")
                .doesNotContain("[1012.5, 1012.5]")
                .contains("1012.5");

        String spread = LeaderboardTable.render(
                board("format-spread", List.of(row("m", 0.5, 0.4, 0.6, Map.of("spread", 0.2))), Map.of()));
        assertThat(spread).contains("min, max").contains("[40.0%, 60.0%]").doesNotContain("95% CI");

        String accuracy =
                LeaderboardTable.render(board("accuracy", List.of(row("m", 0.5, 0.4, 0.6, Map.of())), Map.of()));
        assertThat(accuracy).contains("95% CI").contains("[40.0%, 60.0%]");
    }

    @Test
    void positionBiasShowsAccuracyByPositionAndTheFirstChoicesAdvantage() {
        Row biased = new Row(
                1,
                "m",
                true,
                0.375,
                0.25,
                0.5,
                40,
                Map.of("A", new Cell(0.8, 0.5, 0.9, 10), "B", new Cell(0.2, 0.1, 0.5, 10)),
                Map.of("first", 0.8, "rest", 0.2, "firstAdvantage", 0.6));
        String table = LeaderboardTable.render(board("position-bias", List.of(biased), Map.of()));
        assertThat(table)
                .contains("95% CI")
                .contains("[25.0%, 50.0%]")
                .contains("80.0% (10)")
                .contains("0.60");
        assertThat(LeaderboardTable.render(board("position-bias", List.of(), Map.of())))
                .contains("no choice judgments that say where the correct choice was shown");
    }

    @Test
    void irtShowsThePredictedAccuracyAndSaysWhyAPairwiseBenchmarkHasNone() {
        Row sampled = new Row(
                1,
                "m",
                true,
                0.62,
                0.58,
                0.66,
                40,
                Map.of(),
                Map.of("ability", 0.8, "items", 40L, "benchmarkItems", 120L, "observed", 0.6));
        String table = LeaderboardTable.render(board("irt", List.of(sampled), Map.of()));
        assertThat(table).contains("predicted_accuracy").contains("62.0%").contains("[58.0%, 66.0%]");
        assertThat(LeaderboardTable.render(board("irt", List.of(), Map.of())))
                .contains("IRT fits reference benchmarks");
    }

    @Test
    void judgeAgreementShowsAJudgePerRowWithItsKappaOrSaysThereAreNoLabels() {
        Row judge = new Row(
                1,
                "reference",
                false,
                0.75,
                0.41,
                0.93,
                8,
                Map.of(),
                Map.of("kappa", 0.4667, "kappaLower", 0.1, "kappaUpper", 0.83));
        String table = LeaderboardTable.render(board("judge-agreement", List.of(judge), Map.of()));
        assertThat(table)
                .contains("judge")
                .contains("agreement")
                .contains("[41.0%, 93.0%]")
                .contains("0.47");
        assertThat(LeaderboardTable.render(board("judge-agreement", List.of(), Map.of())))
                .contains("no human labels");
    }

    @Test
    void aBradleyTerryRatingWithoutAFiniteMleIsMarkedAndHasNoInterval() {
        // Given: the aggregator's row for a model that won every battle: no interval (null bounds)
        String bt = LeaderboardTable.render(board(
                "bt",
                List.of(
                        row("winner", 1537.4, null, null, Map.of("identified", false)),
                        row("other", 1000, 980.0, 1020.0, Map.of("identified", true))),
                Map.of()));
        String winner = bt.lines().filter(l -> l.contains("winner")).findFirst().orElseThrow();
        assertThat(winner)
                .endsWith("not identified*")
                .contains("1537.4")
                .contains("—")
                .doesNotContain("[");
        assertThat(bt).contains("[980.0, 1020.0]");
        assertThat(bt.lines().filter(l -> l.contains("other")).findFirst().orElseThrow())
                .doesNotContain("not identified");
        assertThat(bt).contains("* no finite Bradley-Terry rating");
    }

    @Test
    void aBradleyTerryIntervalBoundedOnOneSideShowsTheOtherAsInfinite() {
        // Given: a model off above the reference in more than 2.5% of the resamples, one off below
        String bt = LeaderboardTable.render(board(
                "bt",
                List.of(
                        row("top", 1832.9, 1678.9, null, Map.of("identified", true)),
                        row("bottom", 552.0, null, 611.3, Map.of("identified", true))),
                Map.of()));

        // Then: half-open intervals, and neither marked as not identified
        assertThat(bt).contains("[1678.9, ∞)").contains("(-∞, 611.3]").doesNotContain("not identified");
    }

    @Test
    void anLcWinRateRowShowsUpstreamsStandardErrorBesideTheRawWinRate() {
        String table = LeaderboardTable.render(board(
                "lc-winrate",
                List.of(row(
                        "m1",
                        57.46,
                        52.1,
                        62.9,
                        Map.of(
                                "lc_standard_error",
                                0.8285,
                                "win_rate",
                                44.65,
                                "C",
                                2.78,
                                "instruction_difficulty",
                                "metadata"))),
                Map.of()));

        assertThat(table)
                .contains("lc_standard_error")
                .contains("0.83")
                .contains("win_rate")
                .contains("44.65");
        assertThat(table.indexOf("lc_standard_error")).isLessThan(table.indexOf("win_rate"));
    }

    @Test
    void anEmptyViewSaysWhy() {
        assertThat(LeaderboardTable.render(board("regression", List.of(), Map.of())))
                .contains("(no rows: no model declares a previousVersion");
        assertThat(LeaderboardTable.render(board("accuracy", List.of(), Map.of("postCutoff", true))))
                .contains("(no rows: no model with a knowledgeCutoff");
        assertThat(LeaderboardTable.render(board("winrate", List.of(), Map.of())))
                .contains("(no rows: no preference judgments)");
        assertThat(LeaderboardTable.render(board("lc-winrate", List.of(), Map.of())))
                .contains("(no rows: no model has 5 preference judgments with both answers' lengths)");
        assertThat(LeaderboardTable.headline(board("lc-winrate", List.of(), Map.of())))
                .isEqualTo("length_controlled_winrate");
    }

    @Test
    void aModelWhoseCallsAllFailedFollowsTheRankedRowsWithItsCause() {
        // Given: one ranked model with 2 failed calls, one whose 200 calls all failed with a long message
        String message = "ConnectException from 127.0.0.1:9: Connection refused " + "x".repeat(300);
        LeaderboardSnapshot board = new LeaderboardSnapshot(
                "b",
                "accuracy",
                AS_OF,
                10,
                List.of(row("ok", 0.5, 0.4, 0.6, Map.of("failed", 2))),
                Map.of(),
                null,
                null,
                List.of(new LeaderboardSnapshot.Failing(
                        "gpt-dead",
                        false,
                        0,
                        200,
                        Map.of("connection", 200L),
                        new LeaderboardSnapshot.LastError("connection", message, AS_OF))));

        // When
        String[] lines = LeaderboardTable.render(board).split("\n");

        // Then: ok ranks first and says its failures; gpt-dead follows with dashes, 0 answered, kind, message cut
        assertThat(lines[1]).startsWith("1").contains("ok").endsWith("2 calls failed");
        assertThat(lines[2])
                .startsWith("—")
                .contains("gpt-dead")
                .contains("0 answered, 200 failed (connection 200)")
                .contains("last: ConnectException from 127.0.0.1:9: Connection refused")
                .endsWith("…");
        assertThat(lines[2].length()).isLessThan(260);
    }
}
