package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.FormatSpread;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code format-spread}: FormatSpread ({@link FormatSpread}; Sclar et al. 2024, <i>Quantifying
 * Language Models' Sensitivity to Spurious Features in Prompt Design</i>) per model: each prompt
 * format a category cell with its Wilson interval; value = mean over formats, lower = min,
 * upper = max, {@code spread} = max − min.
 */
final class FormatSpreadBuilder implements ViewBuilder {

    @Override
    public List<Row> rows(Input in) {
        List<Row> rows = new ArrayList<>();
        Rows.byModel(in.usable()).forEach((model, ss) -> {
            FormatSpread.Result r = FormatSpread.of(ss.stream()
                    .map(s -> new FormatSpread.Answer(s.format() == null ? Fold.NONE : s.format(), s.correct()))
                    .toList());
            rows.add(row(model, in.ctx(), r, ss.size(), Map.of()));
        });
        return rows;
    }

    /**
     * A model's row from its spread: the mean over formats with the worst and best format as its bounds,
     * a column per format. {@code more} metrics go after the spread's own (the tallies' unparseable and
     * failed counts, which the slot path's {@link Leaderboards} adds later in the same order).
     */
    static Row row(String model, Leaderboards.Context ctx, FormatSpread.Result r, long n, Map<String, Object> more) {
        Map<String, Cell> categories = new TreeMap<>();
        r.perFormat().forEach((f, e) -> categories.put(f, Rows.cell(e)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("min", r.min());
        m.put("max", r.max());
        m.put("mean", r.mean());
        m.put("spread", r.spread());
        m.put("formats", (long) r.perFormat().size());
        m.putAll(more);
        return Rows.row(model, ctx, r.mean(), r.min(), r.max(), n, categories, m, true);
    }
}
