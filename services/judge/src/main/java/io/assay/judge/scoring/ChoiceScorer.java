package io.assay.judge.scoring;

import io.assay.contracts.Choices;
import io.assay.contracts.TextNormalizer;
import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Multiple choice. The answer names a choice as the model saw it (a letter such as {@code B},
 * {@code (B)}, {@code option B}, or the option's text); the variant's permutation maps that shown
 * position back to the canonical choice ({@code permutation[shown] = canonical}), which is
 * compared with the reference (a canonical letter or the correct choice's text). The permutation, the
 * letters and the reference are read through {@link Choices}, the resolver the prompt-generator renders
 * and the simulator answers with. The details say where the correct choice was shown
 * ({@code correctShownIndex}), which the aggregator's {@code position-bias} view counts.
 */
public final class ChoiceScorer {
    /** The scorer's name in judgments. */
    public static final String NAME = "choice";

    private static final Pattern LETTER_AND_TEXT =
            Pattern.compile("(?:(?:option|choice)\\s*)?[(\\[]?([a-z])[)\\].:]\\s+(.+)");

    private ChoiceScorer() {}

    /**
     * Scores an extracted answer.
     *
     * @param extracted the final answer
     * @param choices the item's choices in canonical order
     * @param permutation shown position i holds canonical choice {@code permutation[i]}; {@code null}
     *     or empty for canonical order
     * @param answers the reference answers; the first names the correct choice
     * @throws UnscorableException when the reference or the permutation does not fit the choices
     */
    public static Verdict score(
            String extracted, List<String> choices, List<Integer> permutation, List<String> answers) {
        if (choices == null || choices.size() < 2) {
            throw new UnscorableException("choice match needs at least two choices");
        }
        int n = choices.size();
        if (permutation != null && !permutation.isEmpty() && !Choices.isPermutation(permutation, n)) {
            throw new UnscorableException("permutation " + permutation + " does not fit " + n + " choices");
        }
        if (answers == null || answers.isEmpty()) {
            throw new UnscorableException("choice match needs a reference answer");
        }
        int expected = Choices.referenceIndex(answers.get(0), choices)
                .orElseThrow(() -> new UnscorableException("reference '" + answers.get(0) + "' names no choice"));
        List<String> shown = Choices.shown(choices, permutation);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scorer", NAME);
        details.put("expected", letter(expected));
        details.put("expectedIndex", expected);
        details.put("correctShownIndex", Choices.shownPosition(expected, permutation, n));
        String expectedText = "expected " + letter(expected) + " '" + choices.get(expected) + "'";
        OptionalInt shownIndex = shownIndex(extracted, shown);
        if (shownIndex.isEmpty()) {
            return new Verdict(
                    false, extracted, NAME, "extracted '" + extracted + "' names no choice, " + expectedText, details);
        }
        int canonical = Choices.canonical(shownIndex.getAsInt(), permutation, n);
        details.put("shownIndex", shownIndex.getAsInt());
        details.put("chosenIndex", canonical);
        boolean correct = canonical == expected;
        String rationale = "extracted '" + extracted + "' = shown " + letter(shownIndex.getAsInt()) + " = canonical "
                + letter(canonical) + ", " + expectedText;
        return new Verdict(correct, extracted, NAME, rationale, details);
    }

    /** The letter of an index: 0 is A. */
    public static String letter(int index) {
        return Choices.letter(index);
    }

    /**
     * The shown position an answer names: an option's exact (normalised) text first, so {@code x} of
     * options x/y/z or {@code I} of I-IV names that option; else a letter ({@code B}, {@code (B)},
     * {@code option B}) when it is in range; else a letter followed by text ({@code B) red}); else none.
     */
    static OptionalInt shownIndex(String extracted, List<String> shown) {
        OptionalInt byText = textIndex(extracted, shown);
        if (byText.isPresent()) {
            return byText;
        }
        String s = Normalizer.normalize(extracted == null ? "" : extracted, Normalizer.Form.NFKC)
                .toLowerCase(Locale.ROOT)
                .strip();
        OptionalInt letter = Choices.letterIndex(s, shown.size());
        if (letter.isPresent()) {
            return letter;
        }
        Matcher letterAndText = LETTER_AND_TEXT.matcher(s);
        if (letterAndText.matches()) {
            int index = letterAndText.group(1).charAt(0) - 'a';
            return index < shown.size() ? OptionalInt.of(index) : OptionalInt.empty();
        }
        return OptionalInt.empty();
    }

    private static OptionalInt textIndex(String text, List<String> options) {
        String normalized = TextNormalizer.normalize(text);
        if (normalized.isEmpty()) {
            return OptionalInt.empty();
        }
        for (int i = 0; i < options.size(); i++) {
            if (TextNormalizer.normalize(options.get(i)).equals(normalized)) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }
}
