package io.assay.judge.scoring;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The two tokenisations of the overlap scorers, written down so the numbers can be reproduced.
 *
 * <p><b>SQuAD</b> ({@link #squad}, used by {@code contains} and {@code f1}): the official SQuAD v1.1/v2.0
 * {@code normalize_answer} — lower case, punctuation <em>deleted</em> (not replaced by a space, so
 * {@code 1,000} becomes {@code 1000} and {@code e-mail} {@code email}), the English articles
 * {@code a}, {@code an}, {@code the} removed as whole words, whitespace split — with two Unicode
 * extensions: the text is NFKC-normalised first (full-width letters, composed accents) and
 * "punctuation" is every Unicode punctuation or symbol character ({@code \p{P}}, {@code \p{S}}; a
 * superset of Python's {@code string.punctuation}).
 *
 * <p><b>ROUGE</b> ({@link #rouge}, used by {@code rouge-l}): the default tokenizer of Google's
 * {@code rouge-score} package without stemming — lower case, every run of characters other than
 * letters and digits replaced by one space, whitespace split — extended from {@code [a-z0-9]} to
 * Unicode letters and digits, after NFKC.
 *
 * <p>Scripts without spaces between words (Chinese, Japanese) are one token per run; these scorers are
 * meant for space-delimited languages.
 */
public final class Tokens {
    private static final Pattern PUNCTUATION = Pattern.compile("[\\p{P}\\p{S}]");
    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^\\p{L}\\p{N}]+");

    private Tokens() {}

    /** SQuAD's normalised answer as one string (tokens joined by single spaces). */
    public static String squadNormalize(String text) {
        if (text == null) {
            return "";
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        s = PUNCTUATION.matcher(s).replaceAll("");
        s = ARTICLES.matcher(s).replaceAll(" ");
        return WHITESPACE.matcher(s).replaceAll(" ").strip();
    }

    /** SQuAD's tokens. */
    public static List<String> squad(String text) {
        return split(squadNormalize(text));
    }

    /** rouge-score's tokens (no stemming). */
    public static List<String> rouge(String text) {
        if (text == null) {
            return List.of();
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return split(NON_ALPHANUMERIC.matcher(s).replaceAll(" ").strip());
    }

    private static List<String> split(String s) {
        return s.isEmpty() ? List.of() : Arrays.asList(WHITESPACE.split(s));
    }
}
