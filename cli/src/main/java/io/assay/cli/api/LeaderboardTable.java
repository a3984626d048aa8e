package io.assay.cli.api;

import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Failing;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders a leaderboard as a plain-text table: the view's headline value with its 95% interval and
 * n, the figures the source benchmark publishes, then per category; models whose every call failed
 * follow the ranked ones with dashes, 0 answered, their failure kinds and last error. Proportions print as percent,
 * WildBench and AlpacaEval figures as points with two decimals, ratings with one.
 */
public final class LeaderboardTable {
    /** How much of a failing model's last error message its line shows. */
    static final int MESSAGE_WIDTH = 120;

    private static final Set<String> PROPORTIONS =
            Set.of("accuracy", "format-spread", "post-cutoff", "regression", "position-bias", "irt", "judge-agreement");

    private LeaderboardTable() {}

    /** The title line(s): benchmark, view, settings, judgments, stability. */
    public static String header(LeaderboardSnapshot board) {
        StringBuilder out = new StringBuilder(board.benchmark() + " · " + board.view());
        if (board.params() != null && !board.params().isEmpty()) {
            out.append(" ").append(board.params());
        }
        out.append(" · ")
                .append(board.judgments())
                .append(" judgments · as of ")
                .append(board.asOf());
        if (board.kendallTauLag() != null) {
            out.append(" · Kendall tau vs ")
                    .append(board.kendallTauLag())
                    .append(" judgments earlier: ")
                    .append(board.kendallTau() == null ? "-" : String.format(Locale.ROOT, "%.3f", board.kendallTau()));
        }
        return out.append('\n').toString();
    }

    /** The table, one line per model, simulated models labelled. */
    public static String render(LeaderboardSnapshot board) {
        boolean percent = PROPORTIONS.contains(board.view()) && !isRatioOf(board);
        TreeSet<String> categories = new TreeSet<>();
        board.rows().forEach(r -> {
            if (r.categories() != null) {
                categories.addAll(r.categories().keySet());
            }
        });
        List<String> extras = extras(board.view());
        int modelWidth = Math.max(
                5,
                Math.max(
                        board.rows().stream()
                                .mapToInt(r -> r.modelId().length())
                                .max()
                                .orElse(5),
                        board.failing().stream()
                                .mapToInt(f -> f.modelId().length())
                                .max()
                                .orElse(5)));
        int intervalWidth = percent ? 16 : 20;
        StringBuilder out = new StringBuilder();
        String intervalLabel = intervalLabel(board);
        List<String> header = new ArrayList<>(List.of(
                pad("#", 3),
                pad("judge-agreement".equals(board.view()) ? "judge" : "model", modelWidth),
                padLeft(headline(board), 8),
                pad("  " + (intervalLabel == null ? "" : intervalLabel), intervalWidth),
                padLeft("n", 6)));
        extras.forEach(e -> header.add(padLeft(abbreviate(e, 20), 20)));
        categories.forEach(c -> header.add(padLeft(abbreviate(c, 13), 13)));
        out.append(String.join(" ", header)).append('\n');
        for (Row row : board.rows()) {
            List<String> cells = new ArrayList<>(List.of(
                    pad(Integer.toString(row.rank()), 3),
                    pad(row.modelId(), modelWidth),
                    padLeft(
                            format(row.value(), percent, board.view()),
                            headline(board).length() > 8 ? headline(board).length() : 8),
                    pad(interval(row, intervalLabel, percent, board.view()), intervalWidth),
                    padLeft(Long.toString(row.n()), 6)));
            for (String e : extras) {
                Object v = row.metrics() == null ? null : row.metrics().get(e);
                cells.add(padLeft(metric(v), 20));
            }
            for (String c : categories) {
                Cell cell = row.categories() == null ? null : row.categories().get(c);
                cells.add(padLeft(
                        cell == null ? "-" : format(cell.value(), percent, board.view()) + " (" + cell.n() + ")", 13));
            }
            out.append(String.join(" ", cells));
            if (row.simulated()) {
                out.append("  simulated");
            }
            if (notIdentified(row)) {
                out.append("  not identified*");
            }
            Object failed = row.metrics() == null ? null : row.metrics().get("failed");
            if (failed != null) {
                out.append("  ").append(failed).append(" calls failed");
            }
            out.append('\n');
        }
        for (Failing f : board.failing()) {
            // No value to rank: dashes where a row has figures, then what went wrong.
            out.append(String.join(
                    " ",
                    pad("—", 3),
                    pad(f.modelId(), modelWidth),
                    padLeft("—", Math.max(8, headline(board).length())),
                    pad("  —", intervalWidth),
                    padLeft("0", 6)));
            out.append("  ").append(failure(f));
            if (f.simulated()) {
                out.append("  simulated");
            }
            out.append('\n');
        }
        if (board.rows().stream().anyMatch(LeaderboardTable::notIdentified)) {
            out.append("* no finite Bradley-Terry rating on this scale: the model's battles do not connect both")
                    .append(" ways with the reference models (it won or lost all of them, or never met them), so it")
                    .append(" has no interval; its figure is a placeholder that only orders it.")
                    .append(" Try --anchor with a model it has both beaten and lost to.\n");
        }
        if (board.rows().isEmpty()) {
            out.append("(no rows: ").append(emptyReason(board)).append(")\n");
        }
        return out.toString();
    }

    /** A failing model's cause: 0 answered, failed by kind, the last error's message cut to a line. */
    static String failure(Failing f) {
        StringBuilder out = new StringBuilder(f.answered() + " answered, " + f.failed() + " failed");
        if (f.failures() != null && !f.failures().isEmpty()) {
            List<String> kinds = new ArrayList<>();
            new java.util.TreeMap<>(f.failures()).forEach((k, n) -> kinds.add(k + " " + n));
            out.append(" (").append(String.join(", ", kinds)).append(')');
        }
        if (f.lastError() != null) {
            out.append(" · last: ").append(ModelCalls.cut(f.lastError().message(), MESSAGE_WIDTH));
        }
        return out.toString();
    }

    /**
     * The interval cell: "[lower, upper]", "-" for a view without one, "—" where the data identify none; a bound
     * alone (bt: the other side unbounded) reads "(-∞, upper]" or "[lower, ∞)".
     */
    private static String interval(Row row, String label, boolean percent, String view) {
        if (label == null) {
            return "  -";
        }
        if (row.lower() == null && row.upper() == null) {
            return "  —";
        }
        return String.format(
                Locale.ROOT,
                "  %s, %s",
                row.lower() == null ? "(-∞" : "[" + format(row.lower(), percent, view),
                row.upper() == null ? "∞)" : format(row.upper(), percent, view) + "]");
    }

    private static boolean notIdentified(Row row) {
        return row.metrics() != null && Boolean.FALSE.equals(row.metrics().get("identified"));
    }

    /** What the lower/upper columns are: a 95% interval, a range, or nothing (online Elo has none). */
    static String intervalLabel(LeaderboardSnapshot board) {
        Object of = board.params() == null ? null : board.params().get("of");
        String view = "post-cutoff".equals(board.view()) && of != null ? of.toString() : board.view();
        return switch (view) {
            case "elo" -> null;
            case "format-spread" -> "min, max";
            default -> "95% CI";
        };
    }

    private static String emptyReason(LeaderboardSnapshot board) {
        boolean postCutoff =
                board.params() != null && Boolean.TRUE.equals(board.params().get("postCutoff"));
        return switch (postCutoff ? "post-cutoff" : board.view()) {
            case "post-cutoff" -> "no model with a knowledgeCutoff has judgments on items published after it";
            case "regression" -> "no model declares a previousVersion judged on the same items";
            case "position-bias" -> "no choice judgments that say where the correct choice was shown";
            case "irt" -> "no correct/incorrect judgments: IRT fits reference benchmarks, not pairwise or scored ones";
            case "judge-agreement" -> "no human labels (judgments with origin human) of answers a model judge judged";
            case "wb-reward", "bt", "elo" -> "no pairwise judgments";
            case "winrate" -> "no preference judgments";
            case "lc-winrate" -> "no model has 5 preference judgments with both answers' lengths";
            case "score" -> "no score judgments";
            case "wb-score" -> "no score judgments on WildBench's 1-10 scale";
            default -> "no judgments of this kind";
        };
    }

    private static boolean isRatioOf(LeaderboardSnapshot board) {
        // post-cutoff of a non-proportion view prints that view's units
        Object of = board.params() == null ? null : board.params().get("of");
        return of != null && !PROPORTIONS.contains(of.toString());
    }

    /** The name of the headline value: the source benchmark's own where it has one. */
    static String headline(LeaderboardSnapshot board) {
        boolean single = board.params() != null && board.params().containsKey("baseline");
        return switch (board.view()) {
            case "wb-score" -> "WB_score";
            case "wb-reward" -> single ? "reward" : "mixture_of_rewards";
            case "winrate" -> "win_rate";
            case "lc-winrate" -> "length_controlled_winrate";
            case "bt", "elo" -> "rating";
            case "format-spread" -> "mean";
            case "regression" -> "negative_flip_rate";
            case "position-bias" -> "accuracy";
            case "irt" -> "predicted_accuracy";
            case "judge-agreement" -> "agreement";
            default -> board.view();
        };
    }

    /** The published figures shown next to the headline, per view. */
    static List<String> extras(String view) {
        return switch (view) {
            case "wb-score" -> List.of("WB_score.task_macro");
            case "wb-reward" -> List.of("reward", "task_macro_reward");
            case "winrate" -> List.of("standard_error", "n_wins", "n_wins_base", "n_draws");
            case "lc-winrate" ->
                List.of("lc_standard_error", "win_rate", "np.tanh(std_delta_len)", "C", "instruction_difficulty");
            case "format-spread" -> List.of("spread");
            case "regression" -> List.of("previousVersion", "negative_flips", "positive_flips", "shared");
            case "position-bias" -> List.of("first", "rest", "firstAdvantage");
            case "irt" -> List.of("ability", "items", "benchmarkItems", "observed");
            case "judge-agreement" -> List.of("kappa", "kappaLower", "kappaUpper");
            default -> List.of();
        };
    }

    private static String metric(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            new java.util.TreeMap<>(m).forEach((k, x) -> parts.add(k + " " + metric(x)));
            return String.join(", ", parts);
        }
        if (v instanceof Double || v instanceof Float) {
            return String.format(Locale.ROOT, "%.2f", ((Number) v).doubleValue());
        }
        return v.toString();
    }

    private static String format(double v, boolean percent, String view) {
        if (percent) {
            return String.format(Locale.ROOT, "%.1f%%", 100 * v);
        }
        if ("bt".equals(view) || "elo".equals(view)) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String abbreviate(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
