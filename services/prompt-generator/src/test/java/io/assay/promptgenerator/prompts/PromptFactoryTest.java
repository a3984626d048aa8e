package io.assay.promptgenerator.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.AnswerFormat;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.EventType;
import io.assay.contracts.Ids;
import io.assay.contracts.Json;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Provider;
import io.assay.contracts.Purpose;
import io.assay.contracts.Reference;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.Variant;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptFactoryTest {
    private static final Instant NOW = Instant.parse("2026-02-01T00:00:00Z");
    private final PromptFactory factory = new PromptFactory(new PromptRenderer());
    private final PlannedVariant plain =
            Variants.of(BenchmarkSpec.defaults("bench")).get(0);
    private final BenchmarkItem item = new BenchmarkItem(
            "bench",
            "i1",
            2,
            Instant.parse("2026-01-01T00:00:00Z"),
            null,
            "math",
            null,
            "Which is prime?",
            null,
            List.of("4", "7"),
            Reference.answer("7"),
            0.5,
            null);

    @Test
    void anEvaluateRequestForASimulatedModelCarriesHints() {
        SamplingParams params = new SamplingParams(0.0, null, 64, null, null, null, null);
        ModelSpec model = model("sim-a", Provider.SIM, params);

        PromptRequest request = factory.evaluate(item, model, plain, NOW);

        assertThat(request.requestId())
                .isEqualTo(Ids.requestId("bench", "i1", 2, "sim-a", new Variant("plain", "1", 0, null), params));
        assertThat(request.purpose()).isEqualTo(Purpose.EVALUATE);
        assertThat(request.revision()).isEqualTo(2);
        assertThat(request.category()).isEqualTo("math");
        assertThat(request.answerFormat()).isEqualTo(AnswerFormat.CHOICE);
        assertThat(request.choices()).containsExactly("4", "7");
        assertThat(request.params()).isEqualTo(params);
        assertThat(request.createdAt()).isEqualTo(NOW);
        assertThat(request.simulation().answer()).isEqualTo("B");
        assertThat(request.simulation().choiceCount()).isEqualTo(2);
        // The request is a valid event.
        assertThat(EventType.PROMPT_REQUEST.violations(Json.mapper().valueToTree(request)))
                .isEmpty();
    }

    @Test
    void shuffleChoicesRendersTheItemsOwnOrderAndUnshuffledTheCanonical() {
        // Given four choices, the correct one canonical C ("blue"), and the permutation contracts' Choices draws
        // for bench/q4 in plain#0, by hand from SHA-256 (draws mod 4, 3, 2 all 0): [0,1,2,3] → swap 3,0 →
        // [3,1,2,0] → swap 2,0 → [2,1,3,0] → swap 1,0 → [1,2,3,0]: shown A green, B blue, C yellow, D red.
        BenchmarkItem sky = new BenchmarkItem(
                "bench",
                "q4",
                1,
                NOW,
                null,
                null,
                null,
                "Which colour is the sky?",
                null,
                List.of("red", "green", "blue", "yellow"),
                Reference.answer("blue"),
                null,
                null);
        BenchmarkSpec shuffled = new BenchmarkSpec(
                "bench", null, List.of(BenchmarkSpec.DEFAULT_TEMPLATE), 1, true, List.of(), Map.of(), List.of(), null);
        ModelSpec model = model("sim-a", Provider.SIM, null);

        // When it is asked with and without shuffleChoices
        PromptRequest on = factory.evaluate(sky, model, Variants.of(shuffled).get(0), NOW);
        PromptRequest off = factory.evaluate(sky, model, plain, NOW);

        // Then the shuffled request carries the permutation, shows the choices in its order, and tells the
        // simulator the letter the correct choice is shown at
        assertThat(on.variant().permutation()).containsExactly(1, 2, 3, 0);
        assertThat(on.messages().get(0).content().asText())
                .startsWith("Which colour is the sky?\nA. green\nB. blue\nC. yellow\nD. red\n");
        assertThat(on.choices()).containsExactly("green", "blue", "yellow", "red");
        assertThat(on.simulation().answer()).isEqualTo("B");
        assertThat(on.requestId())
                .isEqualTo(Ids.requestId(
                        "bench",
                        "q4",
                        1,
                        "sim-a",
                        new Variant("plain", "1", 0, List.of(1, 2, 3, 0)),
                        SamplingParams.DEFAULTS));
        assertThat(EventType.PROMPT_REQUEST.violations(Json.mapper().valueToTree(on)))
                .isEmpty();
        // And the unshuffled one is canonical, as before
        assertThat(off.variant().permutation()).isNull();
        assertThat(off.messages().get(0).content().asText())
                .startsWith("Which colour is the sky?\nA. red\nB. green\nC. blue\nD. yellow\n");
        assertThat(off.simulation().answer()).isEqualTo("C");
        // And an item without choices is asked as planned, shuffling or not
        PromptRequest open = factory.evaluate(
                new BenchmarkItem(
                        "bench",
                        "o",
                        1,
                        NOW,
                        null,
                        null,
                        null,
                        "2+2?",
                        null,
                        null,
                        Reference.numeric(4, 0),
                        null,
                        null),
                model,
                Variants.of(shuffled).get(0),
                NOW);
        assertThat(open.variant().permutation()).isNull();
    }

    @Test
    void aRealModelGetsNoHintsAndDefaultParams() {
        PromptRequest request = factory.evaluate(item, model("gpt", Provider.OPENAI, null), plain, NOW);

        assertThat(request.simulation()).isNull();
        assertThat(request.params()).isEqualTo(SamplingParams.DEFAULTS);
    }

    @Test
    void theModelFingerprintFollowsTheFieldsThatDecideItsRequestsOnly() {
        ModelSpec a = model("m", Provider.SIM, null);
        ModelSpec renamed = new ModelSpec(
                "m",
                "Another name",
                Provider.SIM,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                new ModelSpec.SimSpec(2.0, null, null, null, 7L),
                NOW);
        ModelSpec hotter = model("m", Provider.SIM, new SamplingParams(1.0, null, null, null, null, null, null));
        ModelSpec narrower = new ModelSpec(
                "m", null, Provider.SIM, null, null, null, null, null, null, null, null, List.of("b1"), a.sim(), null);

        assertThat(PromptFactory.modelFingerprint(renamed)).isEqualTo(PromptFactory.modelFingerprint(a));
        assertThat(PromptFactory.modelFingerprint(hotter)).isNotEqualTo(PromptFactory.modelFingerprint(a));
        assertThat(PromptFactory.modelFingerprint(narrower)).isNotEqualTo(PromptFactory.modelFingerprint(a));
    }

    @Test
    void theItemFingerprintIgnoresEventTimeAndMetadata() {
        BenchmarkItem item = new BenchmarkItem(
                "b",
                "i",
                1,
                NOW,
                "src",
                "cat",
                List.of("t"),
                "2+2?",
                null,
                null,
                Reference.numeric(4, 0),
                null,
                Map.of("k", "v"));
        BenchmarkItem republished = new BenchmarkItem(
                "b",
                "i",
                1,
                NOW.plusSeconds(60),
                "other",
                "cat",
                List.of(),
                "2+2?",
                null,
                null,
                Reference.numeric(4, 0),
                null,
                null);
        BenchmarkItem changed = new BenchmarkItem(
                "b", "i", 1, NOW, "src", "cat", List.of("t"), "2+3?", null, null, Reference.numeric(5, 0), null, null);

        assertThat(PromptFactory.itemFingerprint(republished)).isEqualTo(PromptFactory.itemFingerprint(item));
        assertThat(PromptFactory.itemFingerprint(changed)).isNotEqualTo(PromptFactory.itemFingerprint(item));
    }

    private static ModelSpec model(String id, Provider provider, SamplingParams params) {
        return new ModelSpec(
                id,
                null,
                provider,
                null,
                null,
                null,
                params,
                null,
                null,
                null,
                null,
                null,
                provider == Provider.SIM ? new ModelSpec.SimSpec(1.0, null, null, null, 7L) : null,
                null);
    }
}
