package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.Flips;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.ModelSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code regression}: prediction flips ({@link Flips}; Yan et al. 2021, <i>Positive-Congruent
 * Training: Towards Regression-Free Model Updates</i>, the negative flip rate) between each model and
 * its declared {@code previousVersion} on shared slots (same item, prompt format and judge).
 * Value = negative flip rate with its Wilson interval; lower is better, so it ranks lowest first.
 */
final class RegressionBuilder implements ViewBuilder {

    @Override
    public List<Row> rows(Input in) {
        Map<String, Map<Case, Boolean>> byModel = new TreeMap<>();
        for (Slot s : in.usable()) {
            byModel.computeIfAbsent(s.modelId(), m -> new HashMap<>())
                    .putIfAbsent(new Case(s.itemId(), s.format(), s.judgeId()), s.correct());
        }
        List<Row> rows = new ArrayList<>();
        byModel.forEach((model, now) -> {
            ModelSpec spec = in.ctx().models().get(model);
            if (spec == null || spec.previousVersion() == null || !byModel.containsKey(spec.previousVersion())) {
                return;
            }
            Flips.Result flips = Flips.between(byModel.get(spec.previousVersion()), now);
            if (flips.shared() > 0) {
                rows.add(row(model, spec.previousVersion(), flips, in.ctx()));
            }
        });
        return rows;
    }

    /**
     * The row of {@code model} against its previous version {@code previous} from their {@code flips} (some cases
     * shared): the one formula of this view and of {@link TalliedViews}' regression from {@link FlipCounts}.
     */
    static Row row(String model, String previous, Flips.Result flips, Leaderboards.Context ctx) {
        Estimate neg = flips.negativeInterval();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("previousVersion", previous);
        m.put("shared", flips.shared());
        m.put("negative_flips", flips.negative());
        m.put("positive_flips", flips.positive());
        m.put("negative_flip_rate", flips.negativeRate());
        m.put("positive_flip_rate", flips.positiveRate());
        return Rows.row(model, ctx, neg.value(), neg.lower(), neg.upper(), flips.shared(), Map.of(), m, true);
    }

    /**
     * A case both versions answer: item, prompt format, judge. Its fields are the slots' own strings (shared
     * across slots by {@link ViewSlots}), so a case costs a small record, not a concatenated string.
     */
    private record Case(String itemId, String format, String judgeId) {}

    /** Fewest negative flips first, then modelId. */
    @Override
    public Comparator<Row> ranking() {
        return Comparator.comparingDouble(Row::value).thenComparing(Row::modelId);
    }
}
