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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code lc-winrate} to the last bit: every number of its rows (value, interval, coefficients, C, raw win
 * rate) over seeded random ledgers, against the figures the view gave before its working set was made
 * compact ({@code lc/view-figures.json}: main {@code 3d923a0}, session 15, as {@link Double#toHexString}). A
 * change of the fits' arithmetic or of the order rows reach them fails here, even by an ulp. And estimating
 * the instruction difficulties of more items than {@link LengthControlled#MAX_ESTIMATED_ITEMS} is refused.
 */
class LcWinRateViewTest {
    private static final Instant T0 = Instant.parse("2026-01-10T00:00:00Z");

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
        LeaderboardSnapshot s = Leaderboards.build(
                "b", slots, new Leaderboards.Context(Map.of(), null), ViewQuery.of(View.LC_WINRATE), T0);
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
        r.metrics()
                .forEach((k, v) -> b.append(' ')
                        .append(k)
                        .append('=')
                        .append(v instanceof Double d ? Double.toHexString(d) : String.valueOf(v)));
        return b.toString();
    }
}
