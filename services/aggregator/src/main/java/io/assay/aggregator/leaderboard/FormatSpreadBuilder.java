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
            Map<String, Cell> categories = new TreeMap<>();
            r.perFormat().forEach((f, e) -> categories.put(f, Rows.cell(e)));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("min", r.min());
            m.put("max", r.max());
            m.put("mean", r.mean());
            m.put("spread", r.spread());
            m.put("formats", (long) r.perFormat().size());
            rows.add(Rows.row(model, in.ctx(), r.mean(), r.min(), r.max(), ss.size(), categories, m, true));
        });
        return rows;
    }
}
