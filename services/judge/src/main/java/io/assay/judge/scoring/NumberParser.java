package io.assay.judge.scoring;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.Normalizer;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a number from an extracted answer the way people write them: {@code 1,000}, {@code 1 000},
 * {@code 1e3}, {@code +5}, {@code −5} (Unicode minus), {@code $12}, {@code 12%} (read as 12),
 * {@code 3/4}, {@code 42 apples}. When the whole text is not a number, the first number in it is
 * taken. Numbers are exact decimals, so a difference of exactly the tolerance is within it.
 */
public final class NumberParser {
    private static final String CURRENCY = "[$\u20AC\u00A3\u00A5]";
    private static final Pattern PLAIN = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final Pattern GROUPED =
            Pattern.compile("[+-]?\\d{1,3}(?:([, ])\\d{3})(?:\\1\\d{3})*(?:\\.\\d+)?(?:[eE][+-]?\\d+)?");
    private static final Pattern FRACTION = Pattern.compile("([+-]?\\d+)\\s*/\\s*(\\d+)");
    /** A number inside text: not glued to a preceding word or number, commas only as thousands separators. */
    private static final Pattern TOKEN =
            Pattern.compile("(?<![\\w.])([+-]?)" + CURRENCY + "?((?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?|\\.\\d+)"
                    + "(?:[eE]([+-]?\\d+)(?![\\w]))?(?:\\s*/\\s*(\\d+)(?![\\d.]))?");
    /** Beyond this decimal exponent exact arithmetic would allocate huge numbers; doubles decide. */
    private static final int MAX_EXACT_EXPONENT = 400;

    private NumberParser() {}

    /** The number in the text, empty when there is none. */
    public static Optional<BigDecimal> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return parseNumber(text);
        } catch (NumberFormatException | ArithmeticException e) {
            // An exponent beyond int range, say: not a number anyone meant.
            return Optional.empty();
        }
    }

    private static Optional<BigDecimal> parseNumber(String text) {
        String s = prepare(text);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        if (PLAIN.matcher(s).matches()) {
            return Optional.of(new BigDecimal(s));
        }
        if (GROUPED.matcher(s).matches()) {
            return Optional.of(new BigDecimal(s.replace(",", "").replace(" ", "")));
        }
        Matcher fraction = FRACTION.matcher(s);
        if (fraction.matches()) {
            return divide(fraction.group(1), fraction.group(2));
        }
        Matcher token = TOKEN.matcher(s);
        if (!token.find()) {
            return Optional.empty();
        }
        String number = token.group(1) + token.group(2).replace(",", "");
        if (token.group(4) != null) {
            return divide(number, token.group(4));
        }
        return Optional.of(new BigDecimal(token.group(3) == null ? number : number + "e" + token.group(3)));
    }

    /** Whether {@code |x - value| <= tolerance}, exactly for ordinary magnitudes. */
    public static boolean within(BigDecimal x, double value, double tolerance) {
        if (Math.abs(exponent(x)) > MAX_EXACT_EXPONENT || Double.isInfinite(value) || Double.isNaN(value)) {
            return Math.abs(x.doubleValue() - value) <= tolerance;
        }
        return x.subtract(BigDecimal.valueOf(value)).abs().compareTo(BigDecimal.valueOf(tolerance)) <= 0;
    }

    /** A short decimal form for rationales: {@code 1000}, {@code 0.75}, {@code 0.000001}. */
    public static String format(BigDecimal x) {
        if (Math.abs(exponent(x)) > MAX_EXACT_EXPONENT) {
            return x.toString();
        }
        BigDecimal stripped = x.stripTrailingZeros();
        return stripped.scale() <= 0 ? stripped.toPlainString() : stripped.toString();
    }

    /** {@link #format(BigDecimal)} of a double. */
    public static String format(double x) {
        return Double.isFinite(x) ? format(BigDecimal.valueOf(x)) : Double.toString(x);
    }

    private static String prepare(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC)
                .replace('\u2212', '-')
                .replace('\u2013', '-')
                .strip();
        s = AnswerExtractor.clean(s);
        s = s.replaceFirst("^([+-]?)" + CURRENCY + "\\s*", "$1");
        if (s.endsWith("%")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }

    private static Optional<BigDecimal> divide(String numerator, String denominator) {
        BigDecimal d = new BigDecimal(denominator);
        if (d.signum() == 0) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(numerator).divide(d, MathContext.DECIMAL64));
    }

    private static long exponent(BigDecimal x) {
        return (long) x.precision() - x.scale();
    }
}
