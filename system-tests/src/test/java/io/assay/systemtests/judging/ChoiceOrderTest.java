package io.assay.systemtests.judging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.Leaderboards;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.EventType;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Json;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Cell;
import io.assay.contracts.LeaderboardSnapshot.Row;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Provider;
import io.assay.contracts.Purpose;
import io.assay.contracts.Reference;
import io.assay.invoker.sim.SimAnswer;
import io.assay.invoker.sim.Simulator;
import io.assay.judge.scoring.ReferenceJudge;
import io.assay.judge.scoring.ReferenceScorer;
import io.assay.promptgenerator.prompts.PlannedVariant;
import io.assay.promptgenerator.prompts.PromptFactory;
import io.assay.promptgenerator.prompts.PromptRenderer;
import io.assay.promptgenerator.prompts.Variants;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code shuffleChoices} end to end through the stages' own plain Java, in-process: the prompt-generator
 * renders each item, a simulated model with an A-bias answers, the judge's reference scorer judges, and the
 * aggregator's views count. No broker: what is tested is that the four stages agree on the choice order
 * (one resolver, {@code contracts} {@code Choices}) and what the views then show.
 *
 * <p>The truth, by hand. Every model has skill 0 and every item difficulty 0, so it knows the answer with
 * p = σ(0) = 0.5. The biased model answers A, the choice shown first, with probability b = 0.4 whatever it
 * knows, so it is right with probability (1 − b)·p = 0.3 when the correct choice is shown elsewhere and
 * (1 − b)·p + b = 0.7 when it is shown at A; its accuracy under an order that puts the correct choice at
 * each of the 4 positions alike is 0.3 + 0.4/4 = 0.4. The benchmark puts the correct choice at A in three
 * items of four: unshuffled, the biased model's accuracy is 0.3 + 0.4·3/4 = 0.6. The control model has no
 * bias: 0.5 everywhere.
 */
class ChoiceOrderTest {
    private static final int ITEMS = 2000;
    private static final double BIAS = 0.4;
    private static final double TRUE_ACCURACY = 0.4;
    private static final double UNSHUFFLED_ACCURACY = 0.6;
    private static final double AT_A = 0.7;
    private static final double ELSEWHERE = 0.3;
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final List<String> CHOICES = List.of("alpha", "beta", "gamma", "delta");

    private final ModelSpec biased = model("biased", BIAS);
    private final ModelSpec control = model("control", null);

    @Test
    void withShuffledChoicesTheABiasShowsByPositionAndTheAccuracyIsUnbiased() {
        // Given the benchmark with shuffleChoices, answered by both models
        Map<String, LeaderboardSnapshot> views = run(true);

        // Then position-bias shows the biased model's A-bias: right about 0.7 at A, 0.3 elsewhere, each within
        // its 95% Wilson interval, A's interval above every other position's
        Row row = row(views.get("position-bias"), "biased");
        Cell a = row.categories().get("A");
        assertThat(a.lower()).isLessThanOrEqualTo(AT_A);
        assertThat(a.upper()).isGreaterThanOrEqualTo(AT_A);
        for (String p : List.of("B", "C", "D")) {
            Cell c = row.categories().get(p);
            assertThat(c.lower()).as(p).isLessThanOrEqualTo(ELSEWHERE);
            assertThat(c.upper()).as(p).isGreaterThanOrEqualTo(ELSEWHERE);
            assertThat(a.lower()).as("A above " + p).isGreaterThan(c.upper());
        }
        // And every position held the correct choice about as often: 2000 verdicts over 4 positions
        assertThat(row.categories().values().stream().mapToLong(Cell::n).sum()).isEqualTo(ITEMS);
        row.categories().values().forEach(c -> assertThat(c.n()).isBetween(400L, 600L));
        // And its accuracy is its accuracy under a random order, 0.4, within the interval
        Row accuracy = row(views.get("accuracy"), "biased");
        assertThat(accuracy.lower()).isLessThanOrEqualTo(TRUE_ACCURACY);
        assertThat(accuracy.upper()).isGreaterThanOrEqualTo(TRUE_ACCURACY);
        assertThat(row.value()).isEqualTo(accuracy.value());
        // And the control model shows no bias: 0.5 within every position's interval
        Row fair = row(views.get("position-bias"), "control");
        fair.categories().forEach((p, c) -> {
            assertThat(c.lower()).as(p).isLessThanOrEqualTo(0.5);
            assertThat(c.upper()).as(p).isGreaterThanOrEqualTo(0.5);
        });
    }

    @Test
    void withoutShufflingTheBiasedModelsAccuracyIsInflatedByTheBenchmarksAnswerOrder() {
        // Given the same benchmark in canonical order: three correct answers in four at A
        Map<String, LeaderboardSnapshot> views = run(false);

        // Then the biased model's accuracy is 0.6, within its interval, and its true 0.4 is far below it
        Row accuracy = row(views.get("accuracy"), "biased");
        assertThat(accuracy.lower()).isLessThanOrEqualTo(UNSHUFFLED_ACCURACY);
        assertThat(accuracy.upper()).isGreaterThanOrEqualTo(UNSHUFFLED_ACCURACY);
        assertThat(accuracy.lower()).isGreaterThan(TRUE_ACCURACY);
        // And position-bias still shows why: A holds 3/4 of the verdicts, and it is right far more often there
        Row row = row(views.get("position-bias"), "biased");
        assertThat(row.categories()).containsOnlyKeys("A", "D");
        assertThat(row.categories().get("A").n()).isEqualTo(ITEMS * 3 / 4);
        assertThat(row.categories().get("A").lower())
                .isGreaterThan(row.categories().get("D").upper());
        // And the control model is not inflated
        Row fair = row(views.get("accuracy"), "control");
        assertThat(fair.lower()).isLessThanOrEqualTo(0.5);
        assertThat(fair.upper()).isGreaterThanOrEqualTo(0.5);
    }

    /** Render, answer, judge and fold every item for both models; the accuracy and position-bias views. */
    private Map<String, LeaderboardSnapshot> run(boolean shuffle) {
        BenchmarkSpec spec = new BenchmarkSpec(
                "mc",
                null,
                List.of(BenchmarkSpec.DEFAULT_TEMPLATE),
                1,
                shuffle,
                List.of(JudgeSpec.REFERENCE_AUTO),
                Map.of(),
                List.of(),
                null);
        PlannedVariant variant = Variants.of(spec).get(0);
        PromptFactory factory = new PromptFactory(new PromptRenderer());
        ReferenceJudge judge = new ReferenceJudge(new ReferenceScorer(), Clock.fixed(NOW, ZoneOffset.UTC));
        TreeMap<String, Slot> slots = new TreeMap<>();
        for (int i = 0; i < ITEMS; i++) {
            BenchmarkItem item = item(i);
            for (ModelSpec model : List.of(biased, control)) {
                PromptRequest request = factory.evaluate(item, model, variant, NOW);
                SimAnswer answer = Simulator.answer(model, request);
                Judgment judgment = judge.judge(item, response(request, answer), JudgeSpec.REFERENCE_AUTO);
                // The simulator's own verdict and the judge's agree: both read the order through Choices
                assertThat(judgment.correct()).as(request.requestId()).isEqualTo(answer.correct());
                if (i < 3) {
                    assertThat(EventType.JUDGMENT.violations(Json.mapper().valueToTree(judgment)))
                            .isEmpty();
                }
                slots.put(Fold.slotKey(judgment), Slot.of(judgment, 1));
            }
        }
        Leaderboards.Context ctx = new Leaderboards.Context(Map.of("biased", biased, "control", control), spec);
        List<Slot> ordered = List.copyOf(slots.values());
        return Map.of(
                "accuracy", Leaderboards.build("mc", ordered, ctx, ViewQuery.of(View.ACCURACY), NOW),
                "position-bias", Leaderboards.build("mc", ordered, ctx, ViewQuery.of(View.POSITION_BIAS), NOW));
    }

    /** Item i: four choices, the correct one canonical A unless i is 3 mod 4 (then D); difficulty 0. */
    private static BenchmarkItem item(int i) {
        String correct = i % 4 == 3 ? "delta" : "alpha";
        return new BenchmarkItem(
                "mc",
                "q" + i,
                1,
                NOW,
                null,
                "mc",
                null,
                "Question " + i + ": which one?",
                null,
                CHOICES,
                Reference.answer(correct),
                0.0,
                null);
    }

    private static ModelResponse response(PromptRequest request, SimAnswer answer) {
        return new ModelResponse(
                request.requestId(),
                Purpose.EVALUATE,
                request.benchmark(),
                request.itemId(),
                request.revision(),
                request.modelId(),
                true,
                request.variant(),
                request.category(),
                request.publishedAt(),
                answer.output(),
                FinishReason.STOP,
                answer.usage(),
                answer.latencyMs(),
                0.0,
                false,
                1,
                null,
                null,
                NOW,
                null,
                answer.quality());
    }

    private static Row row(LeaderboardSnapshot board, String model) {
        return board.rows().stream()
                .filter(r -> r.modelId().equals(model))
                .findFirst()
                .orElseThrow();
    }

    private static ModelSpec model(String id, Double firstChoiceBias) {
        return new ModelSpec(
                id,
                null,
                Provider.SIM,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new ModelSpec.SimSpec(0.0, 60, 0, null, 17L, null, null, null, null, null, firstChoiceBias),
                null);
    }
}
