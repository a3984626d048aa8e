package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.assay.aggregator.stats.LengthControlled;
import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code lc-winrate} to the last bit: every number of its rows (value, interval, coefficients, C, raw win
 * rate) over seeded random ledgers, against the figures the view gave before its working set was made
 * compact ({@code lc/view-figures.json}: main {@code 3d923a0}, session 15, as {@link Double#toHexString}; the
 * interval as session 50's delta method gives it). A
 * change of the fits' arithmetic or of the order rows reach them fails here, even by an ulp. And estimating
 * the instruction difficulties of more items than {@link LengthControlled#MAX_ESTIMATED_ITEMS} is refused.
 */
class LcWinRateViewTest {
    private static final Instant T0 = Instant.parse("2026-01-10T00:00:00Z");
    /** Metrics the view gained after {@code lc/view-figures.json} was taken. */
    private static final Set<String> LATER = Set.of("lc_standard_error", "discrete_win_rate", "avg_length");

    @Test
    void givenDifficultyWithGamedBaselinesGivesTheFiguresOfBefore() throws IOException {
        assertThat(figures(ledger(11, true, true))).isEqualTo(before("given"));
    }

    @Test
    void givenDifficultyWithoutGamedBaselinesGivesTheFiguresOfBefore() throws IOException {
        assertThat(figures(ledger(12, true, false))).isEqualTo(before("plain"));
    }

    @Test
    void estimatedDifficultyGivesTheFiguresOfBefore() throws IOException {
        assertThat(figures(ledger(13, false, true))).isEqualTo(before("estimated"));
    }

    @Test
    void estimatingTheDifficultiesOfMoreItemsThanTheLimitIsRefused() {
        // Given: one verdict with lengths but no difficulty on each of 1,001 items
        List<Judgment> js = new ArrayList<>();
        for (int i = 0; i <= LengthControlled.MAX_ESTIMATED_ITEMS; i++) {
            js.add(Judgments.preference("b", "q" + i, "m1", 1.5, "base", 300, 400, null));
        }
        List<Slot> slots = FoldTest.slots(js);

        // When / Then: refused, saying what to give, rather than a joint fit of 1,001 item columns
        assertThatThrownBy(() -> Leaderboards.build(
                        "b", slots, new Leaderboards.Context(Map.of(), null), ViewQuery.of(View.LC_WINRATE), T0))
                .isInstanceOf(ViewTooLargeException.class)
                .hasMessageContaining("this benchmark has 1001, more than 1000")
                .hasMessageContaining("metadata.instruction_difficulty");
    }

    @Test
    void keptFitsGiveTheFiguresOfAFitFromScratchAndOnlyChangedModelsAreFittedAgain() {
        // Given: the view computed once over five models and the gamed baselines (a board of its own)
        LcWinRateBuilder builder = (LcWinRateBuilder) View.LC_WINRATE.builder();
        List<Slot> all = ledger(21, true, true);
        List<Slot> withoutM5 =
                all.stream().filter(s -> !s.modelId().equals("m5")).toList();
        List<String> first = figures("kept", withoutM5);

        // When: a model's verdicts arrive (the ledger in slot order, m5's among the others)
        long before = builder.fitted();
        List<String> withM5 = figures("kept", all);

        // Then: only m5 is fitted, and every figure is what a board never computed before gives (fits from scratch)
        assertThat(builder.fitted() - before).isEqualTo(1);
        assertThat(withM5).isEqualTo(figures("kept-fresh", all));
        assertThat(withM5).containsAll(first);

        // When: one verdict of m2 changes its preference
        List<Slot> changed = new ArrayList<>();
        Slot m2 = all.stream()
                .filter(s -> s.modelId().equals("m2") && s.answerChars() != null)
                .findFirst()
                .orElseThrow();
        for (Slot s : all) {
            changed.add(
                    s == m2
                            ? FoldTest.slots(List.of(Judgments.preference(
                                            "b",
                                            s.itemId(),
                                            "m2",
                                            s.preference() == 2.0 ? 1.0 : 2.0,
                                            "base",
                                            s.answerChars(),
                                            s.baselineChars(),
                                            s.instructionDifficulty())))
                                    .get(0)
                            : s);
        }
        before = builder.fitted();
        List<String> afterChange = figures("kept", changed);

        // Then: m2 alone is fitted again, and its row is a fit from scratch's
        assertThat(builder.fitted() - before).isEqualTo(1);
        assertThat(afterChange).isEqualTo(figures("kept-fresh-2", changed));
        assertThat(afterChange).isNotEqualTo(withM5);

        // When: a gamed baseline's verdict goes (it regularises every fit)
        before = builder.fitted();
        List<Slot> lessGamed = changed.stream()
                .filter(s -> !(s.modelId().equals("base-verbose") && s.itemId().equals("q7")))
                .toList();
        List<String> regularisedAnew = figures("kept", lessGamed);

        // Then: every model is fitted again (five and the two gamed baselines, which are models of the board too)
        assertThat(builder.fitted() - before).isEqualTo(7);
        assertThat(regularisedAnew).isEqualTo(figures("kept-fresh-3", lessGamed));
    }

    @Test
    void overTheBudgetTheStabilityTausBoardGoesFirstAndTheViewsOwnIsKept() {
        // Given: the heap one board with intervals takes, and a builder that keeps one and a half of that
        List<Slot> slots = ledger(22, true, true);
        LcWinRateBuilder unbounded = new LcWinRateBuilder(Long.MAX_VALUE);
        unbounded.rows(input(slots, true));
        long board = unbounded.keptBytes();
        LcWinRateBuilder builder = new LcWinRateBuilder(board + board / 2);

        // When: the view's board, then the tau's (the same rows, without intervals: as large), then the view's again
        builder.rows(input(slots, true));
        builder.rows(input(slots, false));
        long before = builder.fitted();
        builder.rows(input(slots, true));

        // Then: the tau's board was dropped, not the view's, whose seven models are not fitted again
        assertThat(builder.keptBytes()).isEqualTo(board);
        assertThat(builder.fitted() - before).isZero();

        // And: a board larger than the budget is not kept at all
        LcWinRateBuilder small = new LcWinRateBuilder(board - 1);
        small.rows(input(slots, true));
        assertThat(small.keptBytes()).isZero();
    }

    private static ViewBuilder.Input input(List<Slot> slots, boolean intervals) {
        return new ViewBuilder.Input(
                "budget",
                slots,
                Map.of(),
                new Leaderboards.Context(Map.of(), null),
                ViewQuery.of(View.LC_WINRATE),
                0,
                intervals);
    }

    /** The rows of case {@code name} as main {@code 3d923a0} computed them ({@code lc/view-figures.json}). */
    private static List<String> before(String name) throws IOException {
        try (InputStream in = LcWinRateViewTest.class.getResourceAsStream("/lc/view-figures.json")) {
            List<String> rows = new ArrayList<>();
            new ObjectMapper().readTree(in).get(name).forEach(r -> rows.add(r.asText()));
            return rows;
        }
    }

    /**
     * Five models and, with {@code gamed}, the baseline's verbose and concise variants, over 60 items against
     * {@code base}; one verdict in 15 without lengths, one in 20 a draw.
     */
    private static List<Slot> ledger(long seed, boolean difficultyGiven, boolean gamed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> models = new ArrayList<>(List.of("m1", "m2", "m3", "m4", "m5"));
        if (gamed) {
            models.addAll(List.of("base-verbose", "base-concise"));
        }
        List<Judgment> js = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String item = "q" + i;
            double difficulty = random.nextDouble(-2, 2);
            int baselineChars = 200 + random.nextInt(1800);
            for (int k = 0; k < models.size(); k++) {
                String m = models.get(k);
                int answerChars = 100 + random.nextInt(2500);
                // A judge that likes long answers, skill rising with k, harder items lost more often.
                double odds = 0.4 * k - 1 + (answerChars - baselineChars) / 600.0 - difficulty;
                double win = 1 / (1 + Math.exp(-odds));
                double preference = random.nextInt(20) == 0
                        ? 0.0
                        : 1 + Math.min(1, Math.max(0, win + random.nextDouble(-0.2, 0.2)));
                if (random.nextInt(15) == 0) {
                    js.add(Judgments.preference("b", item, m, preference, "base"));
                } else {
                    js.add(Judgments.preference(
                            "b",
                            item,
                            m,
                            preference,
                            "base",
                            answerChars,
                            baselineChars,
                            difficultyGiven ? difficulty : null));
                }
            }
        }
        return FoldTest.slots(js);
    }

    /** Every number of every row, in hexadecimal, a string a row. */
    private static List<String> figures(List<Slot> slots) {
        return figures("b", slots, ViewQuery.of(View.LC_WINRATE));
    }

    /**
     * {@link #figures(List)} of benchmark {@code benchmark} (the builder keeps fits per benchmark), without the
     * stability tau (its earlier ranking is a board of its own, whose rows the latest verdicts move).
     */
    private static List<String> figures(String benchmark, List<Slot> slots) {
        return figures(benchmark, slots, new ViewQuery(View.LC_WINRATE, null, null, null, null, null, false, 0));
    }

    private static List<String> figures(String benchmark, List<Slot> slots, ViewQuery query) {
        LeaderboardSnapshot s =
                Leaderboards.build(benchmark, slots, new Leaderboards.Context(Map.of(), null), query, T0);
        return s.rows().stream().map(LcWinRateViewTest::figures).toList();
    }

    private static String figures(Row r) {
        StringBuilder b = new StringBuilder(r.modelId())
                .append(' ')
                .append(Double.toHexString(r.value()))
                .append(' ')
                .append(Double.toHexString(r.lower()))
                .append(' ')
                .append(Double.toHexString(r.upper()))
                .append(' ')
                .append(r.n());
        // lc_standard_error, discrete_win_rate and avg_length (session 50) came after these figures;
        // LengthControlledTest, LeaderboardsTest and WinRateTallyTest check them
        r.metrics().entrySet().stream()
                .filter(e -> !LATER.contains(e.getKey()))
                .forEach(e -> b.append(' ')
                        .append(e.getKey())
                        .append('=')
                        .append(
                                e.getValue() instanceof Double d
                                        ? Double.toHexString(d)
                                        : String.valueOf(e.getValue())));
        return b.toString();
    }
}
