package io.assay.judge.scoring;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A number within an absolute tolerance of the reference value ({@link NumberParser}). */
public final class NumericScorer {
    /** The scorer's name in judgments. */
    public static final String NAME = "numeric";
    /** The tolerance when the reference gives none (the contract's default). */
    public static final double DEFAULT_TOLERANCE = 1e-6;

    private NumericScorer() {}

    /**
     * Scores an extracted answer against {@code value ± tolerance} ({@code null} tolerance means
     * {@link #DEFAULT_TOLERANCE}); an answer without a number is incorrect.
     */
    public static Verdict score(String extracted, Double value, Double tolerance) {
        if (value == null) {
            throw new UnscorableException("numeric match needs a reference value");
        }
        double tol = tolerance == null ? DEFAULT_TOLERANCE : tolerance;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scorer", NAME);
        details.put("expected", value);
        details.put("tolerance", tol);
        String expected = "expected " + NumberParser.format(value) + " \u00B1 " + NumberParser.format(tol);
        Optional<BigDecimal> parsed = NumberParser.parse(extracted);
        if (parsed.isEmpty()) {
            return new Verdict(
                    false, extracted, NAME, "extracted '" + extracted + "' is not a number, " + expected, details);
        }
        BigDecimal x = parsed.get();
        details.put("parsed", x.doubleValue());
        boolean correct = NumberParser.within(x, value, tol);
        String rationale = "extracted '" + extracted + "' = " + NumberParser.format(x) + ", " + expected;
        return new Verdict(correct, extracted, NAME, rationale, details);
    }
}
