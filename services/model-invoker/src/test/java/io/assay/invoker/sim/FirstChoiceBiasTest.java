package io.assay.invoker.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.assay.contracts.AnswerFormat;
import io.assay.contracts.Choices;
import io.assay.contracts.Ids;
import io.assay.contracts.Message;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Provider;
import io.assay.contracts.Purpose;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.SimHints;
import io.assay.contracts.Variant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirstChoiceBiasTest {
    private static final int ITEMS = 4000;
    private static final int CHOICES = 4;

    @Test
    void anABiasedModelAnswersAWithItsBiasAndIsRightWhenAIsRight() {
        // Given a model of skill 0 on items of difficulty 0 (p = sigma(0) = 0.5) with firstChoiceBias b = 0.5
        ModelSpec biased = model("biased", 0.5);

        // When every item's correct choice is canonical A, shown unshuffled
        int aAnswers = 0;
        int correct = 0;
        for (int i = 0; i < ITEMS; i++) {
            PromptRequest request = request("biased", "q" + i, null);
            SimAnswer answer = Simulator.answer(biased, request);
            aAnswers += answer.answer().equals("A") ? 1 : 0;
            correct += answer.correct() ? 1 : 0;
            assertThat(answer.correct()).isEqualTo(Simulator.decidesCorrect(biased, request));
        }

        // Then it answers A with probability b + (1 − b)·p = 0.5 + 0.5·0.5 = 0.75 (it knows A is right half the
        // time), and is right just as often: (1 − b)·p + b·1 = 0.75, where its accuracy under a random order is
        // (1 − b)·p + b/4 = 0.375. Binomial sd at n = 4000: sqrt(0.75·0.25/4000) = 0.0068; 0.03 is 4.4 sd.
        assertThat(aAnswers / (double) ITEMS).isCloseTo(0.75, offset(0.03));
        assertThat(correct / (double) ITEMS).isCloseTo(0.75, offset(0.03));
    }

    @Test
    void withShuffledChoicesItsAccuracyIsItsAccuracyUnderARandomOrder() {
        // Given the same model, the correct choice canonical A, and each item shown in its Choices permutation
        ModelSpec biased = model("biased", 0.5);
        int correct = 0;
        int shownFirst = 0;
        for (int i = 0; i < ITEMS; i++) {
            List<Integer> permutation = Choices.permutation("bench", "q" + i, plain(null), CHOICES);
            PromptRequest request = request("biased", "q" + i, permutation);
            shownFirst += request.simulation().answer().equals("A") ? 1 : 0;
            correct += Simulator.answer(biased, request).correct() ? 1 : 0;
        }
        // Then the correct choice is shown first about 1/4 of the time, and the accuracy is
        // (1 − b)·p + b/4 = 0.25 + 0.125 = 0.375 (sd sqrt(0.375·0.625/4000) = 0.0077).
        assertThat(shownFirst / (double) ITEMS).isCloseTo(0.25, offset(0.03));
        assertThat(correct / (double) ITEMS).isCloseTo(0.375, offset(0.03));
    }

    @Test
    void withoutTheBiasNothingChanges() {
        // A model without the bias answers exactly as one that predates it: the bias draws from its own stream.
        ModelSpec plainModel = model("m", null);
        ModelSpec zero = model("m", 0.0);
        for (int i = 0; i < 200; i++) {
            PromptRequest request = request("m", "q" + i, null);
            assertThat(Simulator.answer(zero, request)).isEqualTo(Simulator.answer(plainModel, request));
            assertThat(Simulator.answersFirstChoice(zero, request)).isFalse();
        }
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
                new ModelSpec.SimSpec(0.0, 40, 0, null, 9L, null, null, null, null, null, firstChoiceBias),
                null);
    }

    private static Variant plain(List<Integer> permutation) {
        return new Variant("plain", "1", 0, permutation);
    }

    /** A request for item {@code itemId} whose correct choice is canonical A, shown under {@code permutation}. */
    private static PromptRequest request(String modelId, String itemId, List<Integer> permutation) {
        Variant variant = plain(permutation);
        String shown = Choices.letter(Choices.shownPosition(0, permutation, CHOICES));
        SimHints hints = new SimHints(0.0, shown, AnswerFormat.CHOICE, CHOICES);
        return new PromptRequest(
                Ids.requestId("bench", itemId, 1, modelId, variant, SamplingParams.DEFAULTS),
                Purpose.EVALUATE,
                "bench",
                itemId,
                1,
                modelId,
                variant,
                List.of(Message.user("Question " + itemId)),
                null,
                null,
                null,
                AnswerFormat.CHOICE,
                Choices.shown(List.of("right", "w1", "w2", "w3"), permutation),
                hints,
                null,
                null,
                null);
    }
}
