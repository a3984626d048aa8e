package io.assay.invoker.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.assay.contracts.AnswerFormat;
import io.assay.contracts.Ids;
import io.assay.contracts.Message;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Provider;
import io.assay.contracts.Purpose;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.SimHints;
import io.assay.contracts.Variant;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatorTest {
    private static final int DRAWS = 20_000;

    static ModelSpec model(String id, double skill, Integer meanChars, Double errorRate) {
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
                new ModelSpec.Price(2.0, 10.0),
                null,
                null,
                new ModelSpec.SimSpec(skill, meanChars, 0, errorRate, 42L),
                null);
    }

    static PromptRequest request(String modelId, String itemId, int sample, SimHints hints) {
        Variant variant = new Variant("plain", "1", sample, null);
        return new PromptRequest(
                Ids.requestId("bench", itemId, 1, modelId, variant, SamplingParams.DEFAULTS),
                Purpose.EVALUATE,
                "bench",
                itemId,
                1,
                modelId,
                variant,
                List.of(Message.user("What is the answer to question " + itemId + "?")),
                null,
                null,
                null,
                hints.format(),
                null,
                hints,
                null,
                null,
                null);
    }

    @Test
    void sameInputsGiveIdenticalAnswers() {
        // Given one model and one request
        ModelSpec model = model("m1", 0.0, 300, null);
        PromptRequest request = request("m1", "q1", 0, new SimHints(0.0, "42", AnswerFormat.NUMBER, null));

        // When it is answered twice
        SimAnswer first = Simulator.answer(model, request);
        SimAnswer second = Simulator.answer(model, request);

        // Then the answers are identical
        assertThat(second).isEqualTo(first);
        assertThat(Simulator.decidesCorrect(model, request)).isEqualTo(first.correct());
    }

    @Test
    void samplesAreIndependentDraws() {
        // Given an item the model gets right half of the time, answered in 200 samples
        ModelSpec model = model("m1", 0.0, 300, null);
        int correct = 0;
        Set<String> outputs = new HashSet<>();
        for (int sample = 0; sample < 200; sample++) {
            SimAnswer answer = Simulator.answer(
                    model, request("m1", "q1", sample, new SimHints(0.0, "7", AnswerFormat.NUMBER, null)));
            correct += answer.correct() ? 1 : 0;
            outputs.add(answer.output());
        }

        // Then samples differ: both outcomes occur and outputs are not all the same
        assertThat(correct).isBetween(60, 140);
        assertThat(outputs.size()).isGreaterThan(100);
    }

    @Test
    void raschProbabilityIsTheLogisticOfSkillMinusDifficulty() {
        // Hand-worked: sigma(0) = 0.5, sigma(ln 3) = 0.75
        assertThat(Simulator.probabilityCorrect(
                        model("m", 1.0, null, null), new SimHints(1.0, "x", AnswerFormat.TEXT, null)))
                .isEqualTo(0.5);
        assertThat(Simulator.probabilityCorrect(
                        model("m", Math.log(3), null, null), new SimHints(0.0, "x", AnswerFormat.TEXT, null)))
                .isCloseTo(0.75, offset(1e-12));
    }

    @Test
    void accuracyMatchesRaschProbabilityWithinFourSigma() {
        // Given theta = 0.5 and b = -0.3: p = sigma(0.8) = 0.68997
        ModelSpec model = model("acc", 0.5, 50, null);
        double p = 1.0 / (1.0 + Math.exp(-0.8));
        int correct = 0;

        // When 20,000 different items are answered
        for (int i = 0; i < DRAWS; i++) {
            PromptRequest request = request("acc", "item-" + i, 0, new SimHints(-0.3, "B", AnswerFormat.CHOICE, 4));
            SimAnswer answer = Simulator.answer(model, request);
            assertThat(answer.correct()).isEqualTo(Simulator.decidesCorrect(model, request));
            correct += answer.correct() ? 1 : 0;
        }

        // Then the accuracy is within 4 binomial standard deviations of p
        double sd = Math.sqrt(p * (1 - p) / DRAWS);
        assertThat((double) correct / DRAWS).isBetween(p - 4 * sd, p + 4 * sd);
    }

    @Test
    void wrongNumbersAreOffByANonZeroIntegerUpToTen() {
        // Given a weak model on numeric items
        ModelSpec model = model("weak", -5.0, 100, null);
        int wrong = 0;
        for (int i = 0; i < 500; i++) {
            SimAnswer answer = Simulator.answer(
                    model, request("weak", "n" + i, 0, new SimHints(0.0, "12.5", AnswerFormat.NUMBER, null)));
            if (!answer.correct()) {
                wrong++;
                // Then a wrong answer is a number, different from 12.5 by an integer in 1..10
                BigDecimal diff = new BigDecimal(answer.answer())
                        .subtract(new BigDecimal("12.5"))
                        .abs();
                assertThat(diff.stripTrailingZeros().scale()).isLessThanOrEqualTo(0);
                assertThat(diff.intValueExact()).isBetween(1, 10);
                assertThat(answer.output()).endsWith("\nAnswer: " + answer.answer());
                assertThat(answer.output().substring(0, answer.output().lastIndexOf('\n')))
                        .doesNotContain("12.5");
            }
        }
        assertThat(wrong).isGreaterThan(450);
    }

    @Test
    void wrongChoicesAreOtherShownLetters() {
        ModelSpec model = model("weak", -5.0, 100, null);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            SimAnswer answer = Simulator.answer(
                    model, request("weak", "c" + i, 0, new SimHints(0.0, "C", AnswerFormat.CHOICE, 4)));
            if (!answer.correct()) {
                seen.add(answer.answer());
            }
        }
        // Then every wrong answer is A, B or D, and each of them occurs
        assertThat(seen).containsExactlyInAnyOrder("A", "B", "D");
    }

    @Test
    void wrongYesNoAndTrueFalseAreTheOpposite() {
        ModelSpec model = model("weak", -8.0, 100, null);
        assertThat(Simulator.answer(model, request("weak", "y", 0, new SimHints(0.0, "Yes", AnswerFormat.TEXT, null)))
                        .answer())
                .isEqualTo("No");
        assertThat(Simulator.answer(model, request("weak", "n", 0, new SimHints(0.0, "no", AnswerFormat.TEXT, null)))
                        .answer())
                .isEqualTo("yes");
        assertThat(Simulator.answer(model, request("weak", "t", 0, new SimHints(0.0, "TRUE", AnswerFormat.TEXT, null)))
                        .answer())
                .isEqualTo("FALSE");
        assertThat(Simulator.answer(model, request("weak", "f", 0, new SimHints(0.0, "false", AnswerFormat.TEXT, null)))
                        .answer())
                .isEqualTo("true");
    }

    @Test
    void wrongFreeTextNeverNormalisesToTheCorrectAnswer() {
        ModelSpec model = model("weak", -8.0, 200, null);
        List<String> answers = List.of("Paris", "the Eiffel Tower", "a", "Step", "x-ray", "42", "New York City", "!!");
        for (String correct : answers) {
            for (int i = 0; i < 50; i++) {
                SimAnswer answer = Simulator.answer(
                        model,
                        request(
                                "weak",
                                "t" + correct.hashCode() + "-" + i,
                                0,
                                new SimHints(0.0, correct, AnswerFormat.TEXT, null)));
                assertThat(answer.correct()).isFalse();
                assertThat(Simulator.normalise(answer.answer())).isNotEqualTo(Simulator.normalise(correct));
                // The filler never mentions the correct answer as a word.
                String filler =
                        answer.output().substring(0, Math.max(0, answer.output().lastIndexOf('\n')));
                assertThat((" " + filler.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 ]", " ") + " "))
                        .doesNotContain(" " + correct.toLowerCase(Locale.ROOT) + " ");
            }
        }
    }

    @Test
    void transientErrorsDoNotChangeTheAnswer() {
        // Given the same model with and without transient errors
        ModelSpec reliable = model("m2", 0.3, 300, 0.0);
        ModelSpec flaky = model("m2", 0.3, 300, 0.5);
        int failures = 0;
        for (int i = 0; i < 200; i++) {
            PromptRequest request = request("m2", "e" + i, 0, new SimHints(0.0, "B", AnswerFormat.CHOICE, 4));
            // Then the answer is the same whatever the error rate
            assertThat(Simulator.answer(flaky, request)).isEqualTo(Simulator.answer(reliable, request));
            assertThat(Simulator.failsAttempt(reliable, request, 1)).isFalse();
            // And the failure of an attempt is itself deterministic
            assertThat(Simulator.failsAttempt(flaky, request, 2)).isEqualTo(Simulator.failsAttempt(flaky, request, 2));
            failures += Simulator.failsAttempt(flaky, request, 1) ? 1 : 0;
        }
        assertThat(failures).isBetween(60, 140);
    }

    @Test
    void meanAnswerLengthIsNearMeanAnswerChars() {
        ModelSpec model = model("verbose", 0.0, 300, null);
        long total = 0;
        int n = 4000;
        for (int i = 0; i < n; i++) {
            total += Simulator.answer(
                            model, request("verbose", "l" + i, 0, new SimHints(0.0, "A", AnswerFormat.CHOICE, 4)))
                    .output()
                    .length();
        }
        assertThat((double) total / n).isBetween(285.0, 315.0);
    }

    @Test
    void usageAndLatencyAreReported() {
        // Given a prompt of 40 characters
        ModelSpec model = new ModelSpec(
                "lat",
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
                new ModelSpec.SimSpec(0.0, 100, 30, null, 1L),
                null);
        PromptRequest base = request("lat", "u1", 0, new SimHints(0.0, "A", AnswerFormat.CHOICE, 4));
        PromptRequest request = new PromptRequest(
                base.requestId(),
                base.purpose(),
                base.benchmark(),
                base.itemId(),
                base.revision(),
                base.modelId(),
                base.variant(),
                List.of(Message.user("x".repeat(40))),
                null,
                null,
                null,
                base.answerFormat(),
                null,
                base.simulation(),
                null,
                null,
                null);

        SimAnswer answer = Simulator.answer(model, request);

        // Then input tokens are ceil(40 / 4) and output tokens ceil(chars / 4)
        assertThat(answer.usage().inputTokens()).isEqualTo(10);
        assertThat(answer.usage().outputTokens()).isEqualTo((answer.output().length() + 3) / 4);
        assertThat(answer.latencyMs()).isNotNegative();
    }

    @Test
    void aRequestWithoutHintsIsRejected() {
        PromptRequest request = request("m", "h", 0, new SimHints(0.0, "A", AnswerFormat.CHOICE, 4));
        PromptRequest noHints = new PromptRequest(
                request.requestId(),
                request.purpose(),
                request.benchmark(),
                request.itemId(),
                1,
                "m",
                request.variant(),
                request.messages(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        assertThatThrownBy(() -> Simulator.answer(model("m", 0, null, null), noHints))
                .isInstanceOf(MissingSimulationHintsException.class);
    }
}
