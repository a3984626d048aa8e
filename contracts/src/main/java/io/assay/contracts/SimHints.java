package io.assay.contracts;

/**
 * Ground truth attached to prompts for {@code sim} models only, so the simulator can answer
 * right or plausibly wrong. Never attached to a request for a real provider.
 *
 * @param difficulty the item's latent difficulty b (logit scale)
 * @param answer the correct answer as the model should write it (a choice letter for choice items)
 * @param format the answer format
 * @param choiceCount number of choices shown, for choice items
 */
public record SimHints(double difficulty, String answer, AnswerFormat format, Integer choiceCount) {
}
