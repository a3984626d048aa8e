package io.assay.judge.scoring;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalisation for exact match: NFKC (full-width letters, composed accents), case folding,
 * collapsed whitespace, and no surrounding punctuation or quotes (so a trailing period or
 * {@code "quoted"} answer still matches). A leading sign or dash is kept: {@code -5} is not {@code 5}.
 */
public final class TextNormalizer {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

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

    private static boolean strippable(char c, boolean leading) {
        if (Character.isWhitespace(c) || c == '`') {
            return true;
        }
        int type = Character.getType(c);
        if (type == Character.DASH_PUNCTUATION) {
            return !leading;
        }
        return type == Character.CONNECTOR_PUNCTUATION
                || type == Character.START_PUNCTUATION
                || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION
                || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }
}
