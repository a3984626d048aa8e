package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.Wilson;
import io.assay.contracts.Choices;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * scorer said) are left out; a model with none has no row.
 */
final class PositionBiasBuilder implements ViewBuilder {

    @Override
    public List<Row> rows(Input in) {
        List<Row> rows = new ArrayList<>();
        List<Slot> placed =
                in.usable().stream().filter(s -> s.correctPosition() != null).toList();
        Rows.byModel(placed).forEach((model, ss) -> rows.add(row(model, ss, in)));
        return rows;
    }

    private static Row row(String model, List<Slot> ss, Input in) {
        Map<Integer, List<Slot>> byPosition = new TreeMap<>();
        ss.forEach(s -> byPosition
                .computeIfAbsent(s.correctPosition(), p -> new ArrayList<>())
                .add(s));
        Map<String, Cell> cells = new TreeMap<>();
        double min = Double.NaN;
        double max = Double.NaN;
        for (Map.Entry<Integer, List<Slot>> e : byPosition.entrySet()) {
            Estimate at = AccuracyBuilder.accuracy(e.getValue());
            cells.put(Choices.letter(e.getKey()), Rows.cell(at));
            min = Double.isNaN(min) ? at.value() : Math.min(min, at.value());
            max = Double.isNaN(max) ? at.value() : Math.max(max, at.value());
        }
        Estimate overall = AccuracyBuilder.accuracy(ss);
        List<Slot> first = byPosition.getOrDefault(0, List.of());
        List<Slot> rest =
                ss.stream().filter(s -> !Objects.equals(s.correctPosition(), 0)).toList();
        double firstAccuracy =
                first.isEmpty() ? Double.NaN : AccuracyBuilder.accuracy(first).value();
        double restAccuracy =
                rest.isEmpty() ? Double.NaN : AccuracyBuilder.accuracy(rest).value();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("first", firstAccuracy);
        m.put("rest", restAccuracy);
        m.put("firstAdvantage", firstAccuracy - restAccuracy);
        m.put("spread", max - min);
        m.put("positions", (long) byPosition.size());
        return Rows.row(
                model,
                in.ctx(),
                overall.value(),
                overall.lower(),
                overall.upper(),
                overall.n(),
                cells,
                m,
                in.intervals());
    }
}
