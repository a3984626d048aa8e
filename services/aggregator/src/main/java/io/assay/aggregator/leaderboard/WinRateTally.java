package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.WinRate;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One model's {@code winrate} row against one baseline kept up to date verdict by verdict ({@link
 * WinRateBuilder} over the slots and {@link PreferenceTallies} over the fold both add the preferences to
 * one): overall and per category, AlpacaEval's counts and Σ(p − 1), and over the items (S_g the exact sum of
 * an item's p − 1, n_g its count) the exact sums that give the clustered standard error ({@link
 * WinRate.Sums}). An item's own S_g and n_g are not kept: whoever adds a preference hands in the other
 * slots of its item and model ({@link #add}; the fold reads them from the {@code slots} store, where they
 * sit beside it), from which a cell's item sums before and after it follow. Every sum is exact, so the row
 * is the same bits whatever order the verdicts arrive or go in. Not thread-safe.
 */
final class WinRateTally {
    private final Clustered overall = new Clustered();
    private final TreeMap<String, Clustered> categories = new TreeMap<>();
    /** The code points of the answers whose length the verdicts carry, and how many: {@code avg_length}. */
    private final AnswerLengths lengths = new AnswerLengths();

    /** A slot's preference, 0 (no verdict, a draw) when it has none. */
    static double preference(Slot s) {
        return s.preference() == null ? 0.0 : s.preference();
    }

    /**
     * Adds ({@code sign} 1) or takes away (−1) a parsed preference, whose item and model have the {@code
     * others} slots besides it (of any kind, judge or baseline: those of its item in each cell count, {@link
     * BenchmarkTallies#sameItem}).
     */
    void add(Slot s, int sign, Collection<Slot> others) {
        List<Slot> item = BenchmarkTallies.sameItem(s, others);
        double p = preference(s);
        overall.add(p, sign, item);
        lengths.add(s, sign);
        for (String c : s.categoriesOrSingle()) {
            Clustered cell = categories.computeIfAbsent(c, x -> new Clustered());
            cell.add(
                    p,
                    sign,
                    item.stream()
                            .filter(o -> o.categoriesOrSingle().contains(c))
                            .toList());
            if (cell.sums.n() == 0) {
                categories.remove(c);
            }
        }
    }

    /** The preferences counted. */
    long n() {
        return overall.sums.n();
    }

    /** The model's row, before {@code Leaderboards.rows} adds its unparseable and failed counts. */
    Row row(String model, Leaderboards.Context ctx, String baseline) {
        WinRate.Result r = overall.sums.result();
        Map<String, Cell> cells = new TreeMap<>();
        categories.forEach((c, cell) -> {
            WinRate.Result cr = cell.sums.result();
            cells.put(c, Rows.cell(cr.winRate(), cr.lower(), cr.upper(), cr.n()));
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("win_rate", r.winRate());
        m.put("standard_error", r.standardError());
        m.put("n_wins", r.wins());
        m.put("n_wins_base", r.losses());
        m.put("n_draws", r.draws());
        m.put("n_total", r.n());
        m.put("discrete_win_rate", r.discreteWinRate());
        lengths.put(m);
        m.put("baseline", baseline);
        return Rows.row(model, ctx, r.winRate(), r.lower(), r.upper(), r.n(), cells, m, true);
    }

    /** {@code win_rate} without the preferences {@code taken} (slots of this model and baseline). */
    double winRateWithout(List<Slot> taken) {
        BigDecimal x = overall.sums.x();
        for (Slot s : taken) {
            x = x.subtract(WinRate.shifted(preference(s)));
        }
        return WinRate.winRate(x, n() - taken.size());
    }

    /** One cell's sums. */
    private static final class Clustered {
        private final WinRate.Sums sums = new WinRate.Sums();

        /**
         * Adds ({@code sign} 1) or takes away (−1) preference {@code p}, whose item has the {@code others}
         * preferences besides it in the cell.
         */
        void add(double p, int sign, List<Slot> others) {
            sums.add(p, sign);
            BigDecimal base = BigDecimal.ZERO;
            for (Slot o : others) {
                base = base.add(WinRate.shifted(preference(o)));
            }
            BigDecimal with = base.add(WinRate.shifted(p));
            long n = others.size();
            // The item goes from n preferences summing to base to n + 1 summing to with, or back.
            sums.addItem(with, n + 1, sign);
            if (n > 0) {
                sums.addItem(base, n, -sign);
            }
        }
    }

    /**
     * AlpacaEval's {@code avg_length}: the mean length of the model's answers in code points, truncated to an integer
     * ({@code int(model_outputs["output"].str.len().mean())} in {@code evaluate}, {@code src/alpaca_eval/main.py}),
     * over the verdicts that carry the answer's length; absent when none does. Exact sums, so any order of verdicts
     * added and taken away gives the same figure.
     */
    static final class AnswerLengths {
        private long chars;
        private long answers;

        /** Adds ({@code sign} 1) or takes away (−1) the answer of {@code s}, if its length is known. */
        void add(Slot s, int sign) {
            if (s.answerChars() != null) {
                chars += sign * (long) s.answerChars();
                answers += sign;
            }
        }

        /** Puts {@code avg_length} in {@code metrics} when an answer's length is known. */
        void put(Map<String, Object> metrics) {
            if (answers > 0) {
                // the floor of the exact mean: a double mean of integers below 2⁵³ never rounds up to the next one
                metrics.put("avg_length", chars / answers);
            }
        }
    }
}
