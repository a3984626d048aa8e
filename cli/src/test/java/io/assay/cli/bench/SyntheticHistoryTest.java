package io.assay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.aggregator.leaderboard.Slot;
import io.assay.cli.bench.ViewsBench.Kind;
import io.assay.contracts.EventType;
import io.assay.contracts.Json;
import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The simulated history that {@code assay bench views} folds in-process and {@code --freshness} publishes: every
 * judgment is an event the contract accepts (schema and value checks, as the aggregator parses it) and reads back
 * unchanged, with what its kind's views need.
 */
class SyntheticHistoryTest {
    private static final int N = 3_000;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyJudgmentIsAValidEventThatReadsBackTheSame(Kind kind) {
        SyntheticHistory history = new SyntheticHistory("hist", 12, 3, 4, 7, kind);
        for (int i = 0; i < N; i++) {
            Judgment j = history.judgment(i);
            Judgment read = EventType.JUDGMENT.parse(Json.writeBytes(j), Judgment.class);
            assertThat(read).as("judgment %d", i).isEqualTo(j);
            assertThat(j.itemId()).isEqualTo("q" + history.item(i)).isEqualTo("q" + i / 3);
            assertThat(j.key()).isEqualTo("hist/q" + i / 3);
        }
    }

    @Test
    void preferencesCarryTheirBaselineItsLengthAndTheItemsDifficulty() {
        List<Slot> slots = slots(Kind.PREFERENCES);
        assertThat(slots).allSatisfy(s -> {
            assertThat(s.kind()).isEqualTo(JudgmentKind.PREFERENCE);
            assertThat(s.baseline()).isEqualTo("base-b");
            assertThat(s.answerChars()).isGreaterThanOrEqualTo(20);
            assertThat(s.baselineChars()).isGreaterThanOrEqualTo(20);
            assertThat(s.instructionDifficulty()).isNotNull();
        });
        // One difficulty per item, whichever model's judgment carries it.
        Map<String, List<Double>> byItem = slots.stream()
                .collect(Collectors.groupingBy(
                        Slot::itemId, Collectors.mapping(Slot::instructionDifficulty, Collectors.toList())));
        assertThat(byItem.values()).allSatisfy(d -> assertThat(d).containsOnly(d.get(0)));
        assertThat(slots)
                .filteredOn(s -> s.preference() != null && s.preference() == 0.0)
                .isNotEmpty();
        assertThat(slots)
                .filteredOn(Slot::unparseable)
                .allSatisfy(s -> assertThat(s.preference()).isNull());
    }

    @Test
    void pairsGoAgainstEachBaselineAndAnUnparseableVerdictCarriesNoComparison() {
        List<Slot> slots = slots(Kind.PAIRWISE);
        assertThat(slots)
                .filteredOn(s -> !s.unparseable())
                .extracting(Slot::baseline)
                .containsOnly("base-a", "base-b", "base-c");
        assertThat(slots).filteredOn(Slot::unparseable).isNotEmpty().allSatisfy(s -> {
            assertThat(s.outcome()).isNull();
            assertThat(s.baseline()).isNull();
        });
    }

    @Test
    void choicesSayWhereTheCorrectChoiceWasShown() {
        assertThat(slots(Kind.CHOICES)).extracting(Slot::correctPosition).containsOnly(0, 1, 2, 3);
        assertThat(slots(Kind.REFERENCE)).extracting(Slot::correctPosition).containsOnly((Integer) null);
        assertThat(slots(Kind.SCORES))
                .filteredOn(s -> !s.unparseable())
                .allSatisfy(s -> assertThat(s.score()).isBetween(1.0, 10.0));
    }

    @Test
    void theSameSeedGivesTheSameHistoryAndTheDrawsAreInOrder() {
        SyntheticHistory a = new SyntheticHistory("hist", 12, 3, 4, 7, Kind.PAIRWISE);
        SyntheticHistory b = new SyntheticHistory("hist", 12, 3, 4, 7, Kind.PAIRWISE);
        for (int i = 0; i < 100; i++) {
            assertThat(a.judgment(i)).isEqualTo(b.judgment(i));
        }
        assertThatThrownBy(() -> a.judgment(101))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("judgment 101 asked for, 100 is next");
    }

    private static List<Slot> slots(Kind kind) {
        SyntheticHistory history = new SyntheticHistory("hist", 12, 3, 4, 7, kind);
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            slots.add(Slot.of(history.judgment(i), 1));
        }
        return slots;
    }
}
