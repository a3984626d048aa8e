package io.assay.cli.console;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.DoublePredicate;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters that refuse out-of-range numbers while the command line is parsed, so a bad value is a
 * usage error (the message, exit code 2) rather than a stack trace or a command that does nothing.
 * Defaults pass through them too, so a bad {@code ${env:...}} default is caught the same way.
 */
public final class Numbers {
    private Numbers() {}

    /** A number greater than 0 (a rate, an interval in seconds). */
    public static final class PositiveDouble implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return checked(value, d -> d > 0 && !Double.isInfinite(d), "greater than 0");
        }
    }

    /** A finite number of at least 0 (a spread). */
    public static final class NonNegativeDouble implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return checked(value, d -> d >= 0 && !Double.isInfinite(d), "a finite number of at least 0");
        }
    }

    /** A share greater than 0 and at most 1 (of items observed). */
    public static final class Share implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return checked(value, d -> d > 0 && d <= 1, "greater than 0 and at most 1");
        }
    }

    /** A whole number of at least 1 (a count of items, seconds, repetitions). */
    public static final class PositiveLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return atLeast(value, 1);
        }
    }

    /** A whole number of at least 0 (an index, a count where 0 turns something off). */
    public static final class NonNegativeLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return atLeast(value, 0);
        }
    }

    /** An int of at least 1. */
    public static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return Math.toIntExact(atLeastInt(value, 1));
        }
    }

    /** An int of at least 2 (items of a simulated benchmark: an interval needs two). */
    public static final class AtLeastTwoInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return Math.toIntExact(atLeastInt(value, 2));
        }
    }

    /** An int of at least 0. */
    public static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return Math.toIntExact(atLeastInt(value, 0));
        }
    }

    /** WB-Reward's K: -1 (no length penalty) or at least 0. */
    public static final class LengthPenalty implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return Math.toIntExact(atLeastInt(value, -1));
        }
    }

    /** A positive span: {@code 90s}, {@code 10m}, {@code 1h} or ISO-8601 ({@code PT10M}). */
    public static final class Span implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String t = value.strip().toLowerCase(Locale.ROOT);
            Duration d;
            try {
                if (t.matches("\\d+[smh]")) {
                    long n = Long.parseLong(t.substring(0, t.length() - 1));
                    d = switch (t.charAt(t.length() - 1)) {
                        case 's' -> Duration.ofSeconds(n);
                        case 'm' -> Duration.ofMinutes(n);
                        default -> Duration.ofHours(n);
                    };
                } else {
                    d = Duration.parse(value.strip().toUpperCase(Locale.ROOT));
                }
            } catch (DateTimeParseException | NumberFormatException e) {
                throw new TypeConversionException("must be like 90s, 10m, 1h or PT10M, got '" + value + "'");
            }
            if (d.isZero() || d.isNegative()) {
                throw new TypeConversionException("must be longer than 0, got '" + value + "'");
            }
            return d;
        }
    }

    private static long atLeastInt(String value, long min) {
        long n = atLeast(value, min);
        if (n > Integer.MAX_VALUE) {
            throw new TypeConversionException("must be at most " + Integer.MAX_VALUE + ", got '" + value + "'");
        }
        return n;
    }

    private static long atLeast(String value, long min) {
        long n;
        try {
            n = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
        if (n < min) {
            throw new TypeConversionException("must be at least " + min + ", got " + n);
        }
        return n;
    }

    /** {@code value} as a number that {@code ok} accepts (NaN never is), else "must be {@code must}, got ...". */
    private static double checked(String value, DoublePredicate ok, String must) {
        double d = parseDouble(value);
        if (!ok.test(d)) {
            throw new TypeConversionException("must be " + must + ", got '" + value + "'");
        }
        return d;
    }

    private static double parseDouble(String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number");
        }
    }
}
