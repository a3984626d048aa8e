package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Wilson;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code position-bias}: per model, accuracy on multiple-choice items by the position the correct choice was
 * shown at ({@link Slot#correctPosition}, from the choice scorer), each position a cell ({@code A}, {@code B},
 * …) with its 95% Wilson interval ({@link Wilson}, clustered by item as in {@code accuracy}). A model that
 * prefers a position whatever it knows (the A-bias of Zheng et al. 2024, <i>Large Language Models Are Not
 * Robust Multiple Choice Selectors</i>, ICLR) is more accurate where the correct choice is shown there; an
 * unbiased one is equally accurate everywhere, up to the intervals. With {@code shuffleChoices} every position
 * holds the correct choice about equally often, so the row's value is the model's accuracy free of the
 * benchmark's answer order; without it, the value is weighted by where the benchmark put its answers.
 *
 * <p>value/lower/upper = accuracy over the choice verdicts that say where the correct choice was shown;
 * {@code first} = accuracy at A, {@code rest} = accuracy at every other position pooled,
 * {@code firstAdvantage} = first − rest, {@code spread} = max − min over the positions with verdicts,
 * {@code positions} = their number. Verdicts that do not say (other items, judgments written before the
 * scorer said) are left out; a model with none has no row. The verdicts are added to one {@link PositionTally}
 * per model, the same the incremental view keeps ({@link BenchmarkTallies}).
 */
final class PositionBiasBuilder implements ViewBuilder {

    @Override
    public List<Row> rows(Input in) {
        Map<String, PositionTally> models = new TreeMap<>();
        Rows.eachWithItemBefore(
                in.usable().stream().filter(s -> s.correctPosition() != null).toList(),
                (s, item) -> models.computeIfAbsent(s.modelId(), m -> new PositionTally())
                        .add(s, 1, item));
        List<Row> rows = new ArrayList<>();
        models.forEach((model, t) -> rows.add(t.row(model, in.ctx(), in.intervals())));
        return rows;
    }
}
