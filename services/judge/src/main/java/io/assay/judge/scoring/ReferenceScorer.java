package io.assay.judge.scoring;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Reference;
import io.assay.contracts.Variant;
import java.util.List;
import java.util.Locale;

/**
 * The reference scorers behind one call: extracts the final answer from the output and scores it
 * with the judge's method. {@code auto} picks {@code choice} for items with choices,
 * {@code numeric} for a reference value, else {@code exact} (or {@code regex} when the reference
 * has only a pattern); {@code exact}, {@code choice}, {@code numeric}, {@code regex}, {@code contains},
 * {@code f1} and {@code rouge-l} force one ({@code auto} never picks the last three: they need intent).
 */
public final class ReferenceScorer {
    /** The method that chooses the scorer from the item. */
    public static final String AUTO = "auto";

    /**
     * Scores an output.
     *
     * @param item the item, with its reference
     * @param variant the variant answered (its permutation matters for multiple choice)
     * @param output the model's raw output
     * @param method the judge's method; {@code null} means {@link #AUTO}
     * @throws UnscorableException when the item gives the method nothing to decide with
     */
    public Verdict score(BenchmarkItem item, Variant variant, String output, String method) {
        String extracted = AnswerExtractor.extract(output);
        Reference reference = item.reference() == null ? new Reference(null, null, null, null, null) : item.reference();
        String chosen = method == null || method.isBlank() ? AUTO : method.toLowerCase(Locale.ROOT);
        if (AUTO.equals(chosen)) {
            chosen = auto(item, reference);
        }
        List<Integer> permutation = variant == null ? null : variant.permutation();
        return switch (chosen) {
            case ChoiceScorer.NAME -> ChoiceScorer.score(extracted, item.choices(), permutation, reference.answers());
            case NumericScorer.NAME -> NumericScorer.score(extracted, reference.value(), reference.tolerance());
            case ExactScorer.NAME -> ExactScorer.score(extracted, reference.answers());
            case RegexScorer.NAME -> RegexScorer.score(extracted, reference.regex());
            case ContainsScorer.NAME ->
                ContainsScorer.score(AnswerExtractor.answerOrWhole(output), reference.answers());
            case TokenF1Scorer.NAME -> TokenF1Scorer.score(AnswerExtractor.answerOrWhole(output), reference.answers());
            case RougeLScorer.NAME -> RougeLScorer.score(AnswerExtractor.answerOrWhole(output), reference.answers());
            default -> throw new UnscorableException("unknown reference method '" + method + "'");
        };
    }

    private static String auto(BenchmarkItem item, Reference reference) {
        if (item.choices() != null && !item.choices().isEmpty()) {
            return ChoiceScorer.NAME;
        }
        if (reference.value() != null) {
            return NumericScorer.NAME;
        }
        if ((reference.answers() == null || reference.answers().isEmpty()) && reference.regex() != null) {
            return RegexScorer.NAME;
        }
        return ExactScorer.NAME;
    }
}
