package io.assay.invoker.secrets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text a provider sent back before it leaves the invoker (a response's output
 * or error message, a log line): the exact value of every credential the invoker knows, and
 * anything shaped like a key — {@code sk-…}, {@code Bearer …}, a long token after
 * {@code Authorization}/{@code api-key}/{@code token}/{@code password}, user info in a URL, and a few
 * well-known key formats. An endpoint that echoes the request's {@code Authorization} header into its
 * body is the case this exists for (docs/invocation.md, "Credentials and hosts").
 *
 * <p>Redact before truncating: a key cut in half is no longer its exact value.
 */
public final class Redactor {
    /** What a secret is replaced by. */
    public static final String MASK = "[REDACTED]";

    /** A redactor that knows no credential values, only the shapes of keys. */
    public static final Redactor SHAPES = new Redactor(List::of);

    /** Shorter values are not redacted by value (they would mask ordinary words); the shapes still apply. */
    private static final int MIN_VALUE_LENGTH = 6;

    private static final List<Shape> SHAPES_IN_ORDER = List.of(
            // URL user info: scheme://user:password@host
            new Shape(
                    Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/\\s@:]+:[^/\\s@]+@"),
                    m -> m.group(1) + MASK + "@",
                    "://"),
            // name: value, name=value, "name": "value" for key-ish names; before the schemes, so that a scheme
            // never takes a name for its credential ("bearer client_secret = ..." would leave the value), and
            // a value that is a scheme's name is left to the schemes ("Authorization: Bearer ..." masks the
            // credential, not "Bearer")
            new Shape(
                    Pattern.compile(
                            "(?i)(?<![a-z0-9])(authorization|proxy-authorization|x-api-key|api[-_]?key|apikey"
                                    + "|access[-_]?token|auth[-_]?token|refresh[-_]?token|token|secret|client[-_]?secret"
                                    + "|password|passwd)(\"?'?\\s*[:=]\\s*\"?'?)(?!\\[REDACTED\\])(?!(?:bearer|basic|token|digest)\\s)[^\\s\"',;&}]{6,}"),
                    m -> m.group(1) + m.group(2) + MASK,
                    "auth",
                    "key",
                    "token",
                    "secret",
                    "passw"),
            // Authorization schemes: Bearer, Basic, Token and the like, then the credential: at least ten
            // characters holding a digit, one of + / = _ ~, or a capital after a small letter, as base64 and
            // tokens do and words do not ("a basic implementation", "each token counts" pass unchanged)
            new Shape(
                    Pattern.compile("(?i)\\b(bearer|basic|token|digest)(\\s+)"
                            + "(?-i:(?=[A-Za-z0-9._~+/=\\-]*(?:[0-9+/=_~]|[a-z][A-Z]))[A-Za-z0-9._~+/=\\-]{10,})"),
                    m -> m.group(1) + m.group(2) + MASK,
                    "bearer",
                    "basic",
                    "token",
                    "digest"),
            // OpenAI, Anthropic and similar: sk-..., sk-proj-..., sk-ant-...
            new Shape(Pattern.compile("(?<![A-Za-z0-9])sk-[A-Za-z0-9_\\-]{8,}"), m -> MASK, "sk-"),
            // GitHub, Slack, Google, AWS access key ids, Hugging Face
            new Shape(
                    Pattern.compile("\\b(gh[pousr]_[A-Za-z0-9]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}"
                            + "|AIza[0-9A-Za-z_\\-]{30,}|AKIA[0-9A-Z]{16}|hf_[A-Za-z0-9]{20,})"),
                    m -> MASK,
                    "ghp_",
                    "gho_",
                    "ghu_",
                    "ghs_",
                    "ghr_",
                    "xox",
                    "aiza",
                    "akia",
                    "hf_"),
            // JSON Web Tokens
            new Shape(
                    Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"),
                    m -> MASK,
                    "eyj"));

    private final Supplier<Collection<String>> values;

    /** @param values the values of every credential the invoker knows (read at each redaction, so new ones count) */
    public Redactor(Supplier<Collection<String>> values) {
        this.values = values;
    }

    /** {@code text} without the known credential values, {@code extra} values and key-shaped strings; null stays null. */
    public String redact(String text, String... extra) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        List<String> secrets = new ArrayList<>(values.get());
        secrets.addAll(Arrays.asList(extra));
        // Longest first, so a key that contains another key is masked whole.
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_VALUE_LENGTH && out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        String lower = lowerCase(out);
        for (Shape shape : SHAPES_IN_ORDER) {
            String masked = shape.mask(out, lower);
            if (masked != out) {
                out = masked;
                lower = lowerCase(out);
            }
        }
        return out;
    }

    /**
     * {@code text} in lower case with the same indices, so that an index in one is an index in the
     * other: {@link String#toLowerCase} (which returns {@code text} itself when it has no capital)
     * unless a character grew in it ({@code İ}), then only the ASCII letters lowered, as {@code (?i)}
     * compares them.
     */
    private static String lowerCase(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.length() == text.length()) {
            return lower;
        }
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] += 'a' - 'A';
            }
        }
        return new String(chars);
    }

    /**
     * A key shape: its pattern, what a match is replaced by, and the lower-case strings one of which
     * every match contains in its first word (a run of characters other than the {@code \s} of regular
     * expressions). A match therefore starts in the word of an occurrence of a trigger, at or before
     * it, and the pattern is tried only at those few places (docs/invocation.md, "Redaction"): finding
     * the triggers is far cheaper than running a pattern over a whole answer, whose word-boundary
     * checks at every character cost most, and most answers contain none (an earlier shape's mask adds
     * none either: it contains no trigger).
     */
    private record Shape(Pattern pattern, Function<MatchResult, String> replacement, List<String> triggers) {
        Shape(Pattern pattern, Function<MatchResult, String> replacement, String... triggers) {
            this(pattern, replacement, List.of(triggers));
        }

        /**
         * {@code text} with every match of the pattern replaced, as {@link Matcher#replaceAll} over the
         * whole text would: the pattern is tried, in order and once each, at every place a match may
         * start (no other place holds one), anchored there but free to reach the end of the text, with
         * transparent bounds so that look-behinds and {@code \b} see what comes before; a match's end
         * is where the next one may start.
         *
         * @param lower {@code text} in {@link Redactor#lowerCase}
         */
        String mask(String text, String lower) {
            long[] starts = starts(text, lower);
            if (starts.length == 0) {
                return text;
            }
            Matcher m = pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
            StringBuilder out = null;
            int copied = 0;
            int next = 0;
            for (long range : starts) {
                for (int at = Math.max((int) (range >>> 32), next); at <= (int) range; at = next) {
                    m.region(at, text.length());
                    if (m.lookingAt()) {
                        if (out == null) {
                            out = new StringBuilder(text.length());
                        }
                        out.append(text, copied, at).append(replacement.apply(m));
                        copied = m.end();
                        next = copied;
                    } else {
                        next = at + 1;
                    }
                }
            }
            return out == null ? text : out.append(text, copied, text.length()).toString();
        }

        /**
         * Where a match may start: from the start of each word holding a trigger to the trigger's last
         * occurrence in it, as first << 32 | last, in order.
         */
        private long[] starts(String text, String lower) {
            long[] starts = new long[4];
            int n = 0;
            for (String trigger : triggers) {
                int wordEnd = -1;
                for (int at = lower.indexOf(trigger); at >= 0; at = lower.indexOf(trigger, at + 1)) {
                    if (at < wordEnd) {
                        starts[n - 1] = starts[n - 1] & ~0xffffffffL | at;
                        continue;
                    }
                    int first = at;
                    while (first > 0 && !isSpace(text.charAt(first - 1))) {
                        first--;
                    }
                    wordEnd = at;
                    while (wordEnd < text.length() && !isSpace(text.charAt(wordEnd))) {
                        wordEnd++;
                    }
                    if (n == starts.length) {
                        starts = Arrays.copyOf(starts, n * 2);
                    }
                    starts[n++] = (long) first << 32 | at;
                }
            }
            starts = Arrays.copyOf(starts, n);
            Arrays.sort(starts);
            return starts;
        }

        /** A character of the {@code \s} class of {@link Pattern} (without UNICODE_CHARACTER_CLASS). */
        private static boolean isSpace(char c) {
            return c == ' ' || (c >= '\t' && c <= '\r');
        }
    }
}
