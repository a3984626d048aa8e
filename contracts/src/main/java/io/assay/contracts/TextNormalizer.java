package io.assay.contracts;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalisation for exact match: NFKC (full-width letters, composed accents), case folding,
 * collapsed whitespace, and no surrounding packaging, so {@code "Paris."}, {@code “Paris”},
 * {@code (Paris)} and {@code **Paris**} all match {@code paris}.
 *
 * <p>Only packaging goes: quotes ({@code " ' “ ” ‘ ’ « » `}) and brackets ({@code ( ) [ ] { }}) at
 * either end, sentence punctuation ({@code , ; : ! ?} and a single period, not an ellipsis) at the
 * end, and markdown emphasis ({@code *}, {@code _}) only when the same run wraps the whole answer.
 * Symbols that can be part of an answer stay: {@code C#} is not {@code C}, {@code 50%} is not
 * {@code 50}, {@code .5} is not {@code 5}, and {@code -5} is not {@code 5}.
 */
public final class TextNormalizer {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    /** Quotes and brackets, stripped at either end. */
    private static final String WRAPPERS = "\"'\u201C\u201D\u2018\u2019\u00AB\u00BB`()[]{}";
    /** Sentence punctuation other than the period, stripped at the end. */
    private static final String TRAILING = ",;:!?";

    private TextNormalizer() {}

    /** The normalised form; empty for {@code null}. */
    public static String normalize(String text) {
        if (text == null) {
            return "";
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        s = WHITESPACE.matcher(s).replaceAll(" ").strip();
        String before;
        do {
            before = s;
            s = stripEnds(s);
            s = stripEmphasis(s);
        } while (!s.equals(before));
        return s;
    }

    /** Whether two texts are equal after normalisation. */
    public static boolean matches(String a, String b) {
        return normalize(a).equals(normalize(b));
    }

    private static String stripEnds(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || WRAPPERS.indexOf(s.charAt(start)) >= 0)) {
            start++;
        }
        while (end > start && trailingPackaging(s, start, end)) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Whether the character before {@code end} is packaging; a period only when it is not part of {@code ..}. */
    private static boolean trailingPackaging(String s, int start, int end) {
        char c = s.charAt(end - 1);
        if (c == ' ' || WRAPPERS.indexOf(c) >= 0 || TRAILING.indexOf(c) >= 0) {
            return true;
        }
        return c == '.' && (end - 1 == start || s.charAt(end - 2) != '.');
    }

    /** Removes markdown emphasis ({@code *x*}, {@code **x**}, {@code _x_}, {@code __x__}) wrapping the whole text. */
    private static String stripEmphasis(String s) {
        if (s.length() < 3) {
            return s;
        }
        char mark = s.charAt(0);
        if ((mark != '*' && mark != '_') || s.charAt(s.length() - 1) != mark) {
            return s;
        }
        int leading = 0;
        while (leading < s.length() && s.charAt(leading) == mark) {
            leading++;
        }
        int trailing = 0;
        while (trailing < s.length() && s.charAt(s.length() - 1 - trailing) == mark) {
            trailing++;
        }
        int run = Math.min(leading, trailing);
        if (2 * run >= s.length()) {
            return s;
        }
        return s.substring(run, s.length() - run).strip();
    }
}
