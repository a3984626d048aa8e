package io.assay.contracts;

import java.util.List;

/**
 * Ground truth attached to prompts for {@code sim} models only, so the simulator can answer
 * right or plausibly wrong. Never attached to a request for a real provider.
 *
 * @param difficulty the item's latent difficulty b (logit scale)
 * @param answer the correct answer as the model should write it (a choice letter for choice items)
 * @param format the answer format
 * @param choiceCount number of choices shown, for choice items
 * @param qualities JUDGE requests to a {@code sim} judge: the latent quality in [0, 1] of each answer
 *     judged, in the order shown
 * @param answerChars JUDGE requests to a {@code sim} judge: each answer's length in code points, in the
 *     order shown
 */
public record SimHints(
        double difficulty,
        String answer,
        AnswerFormat format,
        Integer choiceCount,
        List<Double> qualities,
        List<Integer> answerChars) {

    /** Hints for an EVALUATE request. */
    public SimHints(double difficulty, String answer, AnswerFormat format, Integer choiceCount) {
        this(difficulty, answer, format, choiceCount, null, null);
    }
}
