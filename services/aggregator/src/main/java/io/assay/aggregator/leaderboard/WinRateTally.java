package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Wilson;
import io.assay.aggregator.stats.WinRate;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One model's {@code winrate} row against one baseline kept up to date verdict by verdict ({@link
 * WinRateBuilder} over the slots and {@link PreferenceTallies} over the fold both add the preferences to
 * one): overall and per category, AlpacaEval's counts and Σ(p − 1), and per item its sum S_g and count n_g,
 * whose exact sums give the clustered standard error ({@link WinRate.Sums}). Every sum is exact, so the row
 * is the same bits whatever order the verdicts arrive or go in. Not thread-safe.
 */
final class WinRateTally {
    private final Clustered overall = new Clustered();
    private final TreeMap<String, Clustered> categories = new TreeMap<>();

    /** A slot's preference, 0 (no verdict, a draw) when it has none. */
    static double preference(Slot s) {
        return s.preference() == null ? 0.0 : s.preference();
    }

    /** Adds ({@code sign} 1) or takes away (−1) a parsed preference. */
    void add(Slot s, int sign) {
        String item = ScoreTally.item(s);
        double p = preference(s);
        overall.add(item, p, sign);
        for (String c : s.categoriesOrSingle()) {
            Clustered cell = categories.computeIfAbsent(c, x -> new Clustered());
            cell.add(item, p, sign);
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
            double[] bounds = bounds(cr);
            cells.put(c, Rows.cell(cr.winRate(), bounds[0], bounds[1], cr.n()));
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("win_rate", r.winRate());
        m.put("standard_error", r.standardError());
        m.put("n_wins", r.wins());
        m.put("n_wins_base", r.losses());
        m.put("n_draws", r.draws());
        m.put("n_total", r.n());
        m.put("baseline", baseline);
        double[] bounds = bounds(r);
        return Rows.row(model, ctx, r.winRate(), bounds[0], bounds[1], r.n(), cells, m, true);
    }

    /** {@code win_rate} without the preferences {@code taken} (slots of this model and baseline). */
    double winRateWithout(List<Slot> taken) {
        BigDecimal x = overall.sums.x();
        for (Slot s : taken) {
            x = x.subtract(WinRate.shifted(preference(s)));
        }
        return WinRate.winRate(x, n() - taken.size());
    }

    /** win_rate ∓ 1.96·standard_error within [0, 100]; the win rate itself when there is no standard error. */
    private static double[] bounds(WinRate.Result r) {
        double half = Double.isNaN(r.standardError()) ? 0 : Wilson.Z_95 * r.standardError();
        return new double[] {Math.max(0, r.winRate() - half), Math.min(100, r.winRate() + half)};
    }

    /** One cell's sums and, per item, its exact S_g and n_g. */
    private static final class Clustered {
        private final WinRate.Sums sums = new WinRate.Sums();
        private final Map<String, Item> items = new HashMap<>();

        void add(String item, double p, int sign) {
            sums.add(p, sign);
            Item old = items.get(item);
            BigDecimal s = BigDecimal.ZERO;
            long n = 0;
            if (old != null) {
                sums.addItem(old.s, old.n, -1);
                s = old.s;
                n = old.n;
            }
            BigDecimal x = WinRate.shifted(p);
            s = sign > 0 ? s.add(x) : s.subtract(x);
            n += sign;
            if (n == 0) {
                items.remove(item);
                return;
            }
            items.put(item, new Item(s, n));
            sums.addItem(s, n, 1);
        }
    }

    private record Item(BigDecimal s, long n) {}
}
