package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Failing;
import io.assay.contracts.LeaderboardSnapshot.LastError;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Provider;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model whose calls all fail is listed on every view, with its cause; a model with some failures is counted. */
class FailingModelsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    private static final LastError REFUSED =
            new LastError("connection", "ConnectException from 127.0.0.1:9: Connection refused", T0);

    private static List<Slot> fold(List<io.assay.contracts.Judgment> judgments) {
        return FoldTest.slots(judgments);
    }

    private static final ModelSpec DEAD = new ModelSpec(
            "dead",
            null,
            Provider.OPENAI,
            "http://127.0.0.1:9/v1",
            "gpt",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);

    @Test
    void everyViewListsAModelWithNoAnswerAsFailingAndCountsFailuresOfTheOthers() {
        // Given: "ok" answered two items (one right) and failed one call; "dead" failed all 3 of its calls
        List<Slot> slots = fold(List.of(
                Judgments.correct("b", "i1", "arith", "ok", true), Judgments.correct("b", "i2", "arith", "ok", false)));
        Leaderboards.Context ctx = new Leaderboards.Context(
                Map.of("dead", DEAD),
                null,
                Map.of(
                        "ok", new CallTally(2, 1, Map.of("timeout", 1L), null),
                        "dead", new CallTally(0, 3, Map.of("connection", 3L), REFUSED)));

        for (View view : View.values()) {
            // When
            LeaderboardSnapshot s = Leaderboards.build("b", slots, ctx, ViewQuery.of(view), T0);

            // Then: dead is listed with its kind and last message, whether or not the view has rows
            assertThat(s.failing())
                    .as(view.wireName())
                    .containsExactly(new Failing("dead", false, 0, 3, Map.of("connection", 3L), REFUSED));
            assertThat(s.rows()).as(view.wireName()).noneMatch(r -> r.modelId().equals("dead"));
            s.rows().stream()
                    .filter(r -> r.modelId().equals("ok"))
                    .forEach(r -> assertThat(r.metrics()).containsEntry("failed", 1L));
        }
        // And: the accuracy view has ok's row, 1 of 2 right
        LeaderboardSnapshot accuracy = Leaderboards.build("b", slots, ctx, ViewQuery.of(View.ACCURACY), T0);
        assertThat(accuracy.rows())
                .singleElement()
                .satisfies(r -> assertThat(r.value()).isEqualTo(0.5));
    }

    @Test
    void aBenchmarkWhoseModelsAllFailedHasOnlyItsFailingList() {
        Leaderboards.Context ctx =
                new Leaderboards.Context(Map.of(), null, Map.of("dead", new CallTally(0, 1, Map.of("auth", 1L), null)));

        LeaderboardSnapshot s = Leaderboards.build("b", List.of(), ctx, ViewQuery.of(View.ACCURACY), T0);

        assertThat(s.rows()).isEmpty();
        assertThat(s.failing()).extracting(Failing::modelId).containsExactly("dead");
    }

    @Test
    void aModelThatAnsweredSomeIsNotFailing() {
        Leaderboards.Context ctx = new Leaderboards.Context(
                Map.of(), null, Map.of("flaky", new CallTally(1, 5, Map.of("rate_limited", 5L), REFUSED)));

        assertThat(Leaderboards.build("b", List.of(), ctx, ViewQuery.of(View.ACCURACY), T0)
                        .failing())
                .isEmpty();
    }
}
