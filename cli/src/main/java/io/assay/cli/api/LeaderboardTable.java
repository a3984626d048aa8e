package io.assay.cli.api;

import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** Renders a leaderboard as a plain-text table: overall accuracy with its 95% interval, then per category. */
public final class LeaderboardTable {
    private LeaderboardTable() {
    }

    /** The table, one line per model, simulated models labelled. */
    public static String render(LeaderboardSnapshot board) {
        TreeSet<String> categories = new TreeSet<>();
        board.rows().forEach(r -> {
            if (r.categories() != null) {
                categories.addAll(r.categories().keySet());
            }
        });
        int modelWidth = Math.max(5, board.rows().stream().mapToInt(r -> r.modelId().length()).max().orElse(5));
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>(List.of(
                pad("#", 3), pad("model", modelWidth), padLeft(board.view(), 8), pad("  95% CI", 16), padLeft("n", 6)));
        categories.forEach(c -> header.add(padLeft(abbreviate(c), 13)));
        out.append(String.join(" ", header)).append('\n');
        for (Row row : board.rows()) {
            List<String> cells = new ArrayList<>(List.of(
                    pad(Integer.toString(row.rank()), 3),
                    pad(row.modelId(), modelWidth),
                    padLeft(percent(row.value()), 8),
                    pad(String.format(Locale.ROOT, "  [%s, %s]", percent(row.lower()), percent(row.upper())), 16),
                    padLeft(Long.toString(row.n()), 6)));
            for (String c : categories) {
                Cell cell = row.categories() == null ? null : row.categories().get(c);
                cells.add(padLeft(cell == null ? "-" : percent(cell.value()) + " (" + cell.n() + ")", 13));
            }
            out.append(String.join(" ", cells));
            if (row.simulated()) {
                out.append("  simulated");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * p);
    }

    private static String abbreviate(String s) {
        return s.length() <= 13 ? s : s.substring(0, 12) + "…";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
