package io.assay.invoker.secrets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
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
            new Shape(Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/\\s@:]+:[^/\\s@]+@"), "$1" + MASK + "@", "://"),
            // Authorization schemes: Bearer, Basic, Token and the like, then the credential: at least ten
            // characters holding a digit, one of + / = _ ~, or a capital after a small letter, as base64 and
            // tokens do and words do not ("a basic implementation", "each token counts" pass unchanged)
            new Shape(
                    Pattern.compile("(?i)\\b(bearer|basic|token|digest)(\\s+)"
                            + "(?-i:(?=[A-Za-z0-9._~+/=\\-]*(?:[0-9+/=_~]|[a-z][A-Z]))[A-Za-z0-9._~+/=\\-]{10,})"),
                    "$1$2" + MASK,
                    "bearer",
                    "basic",
                    "token",
                    "digest"),
            // name: value, name=value, "name": "value" for key-ish names
            new Shape(
                    Pattern.compile("(?i)(?<![a-z0-9])(authorization|proxy-authorization|x-api-key|api[-_]?key|apikey"
                            + "|access[-_]?token|auth[-_]?token|refresh[-_]?token|token|secret|client[-_]?secret"
                            + "|password|passwd)(\"?'?\\s*[:=]\\s*\"?'?)(?!\\[REDACTED\\])[^\\s\"',;&}]{6,}"),
                    "$1$2" + MASK,
                    "auth",
                    "key",
                    "token",
                    "secret",
                    "passw"),
            // OpenAI, Anthropic and similar: sk-..., sk-proj-..., sk-ant-...
            new Shape(Pattern.compile("(?<![A-Za-z0-9])sk-[A-Za-z0-9_\\-]{8,}"), MASK, "sk-"),
            // GitHub, Slack, Google, AWS access key ids, Hugging Face
            new Shape(
                    Pattern.compile("\\b(gh[pousr]_[A-Za-z0-9]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}"
                            + "|AIza[0-9A-Za-z_\\-]{30,}|AKIA[0-9A-Z]{16}|hf_[A-Za-z0-9]{20,})"),
                    MASK,
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
            new Shape(Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"), MASK, "eyj"));

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
        String lower = out.toLowerCase(Locale.ROOT);
        for (Shape shape : SHAPES_IN_ORDER) {
            if (!shape.mayMatch(lower)) {
                continue;
            }
            Matcher m = shape.pattern().matcher(out);
            if (m.find()) {
                out = m.replaceAll(shape.replacement());
            }
        }
        return out;
    }

    /**
     * A key shape and the lower-case strings one of which every match contains: scanning a text for
     * them is far cheaper than running the pattern, and most answers contain none (an earlier shape's
     * mask adds none either: it contains no trigger).
     */
    private record Shape(Pattern pattern, String replacement, List<String> triggers) {
        Shape(Pattern pattern, String replacement, String... triggers) {
            this(pattern, replacement, List.of(triggers));
        }

        boolean mayMatch(String lowerCaseText) {
            for (String t : triggers) {
                if (lowerCaseText.contains(t)) {
                    return true;
                }
            }
            return false;
        }
    }
}
