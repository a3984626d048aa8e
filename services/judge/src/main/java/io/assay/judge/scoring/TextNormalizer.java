package io.assay.judge.scoring;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalisation for exact match: NFKC (full-width letters, composed accents), case folding,
 * collapsed whitespace, and no surrounding packaging (so {@code "Paris."}, {@code (Paris)} and
 * {@code **Paris**} match {@code paris}). Symbols that can be part of an answer stay: a leading sign
 * ({@code -5} is not {@code 5}), {@code C#}, {@code 50%}, {@code .5}.
 */
public final class TextNormalizer {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String SENTENCE_END = ".,;:!?\u3002\uff0c\uff1b\uff1a\uff01\uff1f";

    private TextNormalizer() {
    }

    /** The normalised form; empty for {@code null}. */
    public static String normalize(String text) {
        if (text == null) {
            return "";
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        s = WHITESPACE.matcher(s).replaceAll(" ").strip();
        int start = 0;
        int end = s.length();
        while (start < end && strippable(s.charAt(start), true)) {
            start++;
        }
        while (end > start && strippable(s.charAt(end - 1), false)) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Whether two texts are equal after normalisation. */
    public static boolean matches(String a, String b) {
        return normalize(a).equals(normalize(b));
    }

    /**
     * Whether a character at an end is packaging rather than answer: whitespace, quotes, brackets,
     * markdown emphasis and code marks at either end; sentence punctuation and dashes at the end only.
     * Other symbols are kept: {@code C#} is not {@code C}, {@code 50%} is not {@code 50}, and a leading
     * period is part of {@code .5} or {@code .NET}.
     */
    private static boolean strippable(char c, boolean leading) {
        if (Character.isWhitespace(c) || c == '`' || c == '*' || c == '_') {
            return true;
        }
        int type = Character.getType(c);
        if (type == Character.START_PUNCTUATION
                || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION
                || type == Character.FINAL_QUOTE_PUNCTUATION
                || c == '"' || c == '\'') {
            return true;
        }
        return !leading && (type == Character.DASH_PUNCTUATION || SENTENCE_END.indexOf(c) >= 0);
    }
}
