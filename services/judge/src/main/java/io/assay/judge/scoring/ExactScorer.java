package io.assay.judge.scoring;

import io.assay.contracts.TextNormalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Normalised exact match against any of the reference answers ({@link TextNormalizer}). */
public final class ExactScorer {
    /** The scorer's name in judgments. */
    public static final String NAME = "exact";

    private ExactScorer() {}

    /** Scores an extracted answer; throws {@link UnscorableException} when there are no answers. */
    public static Verdict score(String extracted, List<String> answers) {
        if (answers == null || answers.isEmpty()) {
            throw new UnscorableException("exact match needs reference answers");
        }
        String normalized = TextNormalizer.normalize(extracted);
        String matched = null;
        for (String answer : answers) {
            if (!normalized.isEmpty() && TextNormalizer.normalize(answer).equals(normalized)) {
                matched = answer;
                break;
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scorer", NAME);
        details.put("expected", answers);
        details.put("normalized", normalized);
        boolean correct = matched != null;
        if (correct) {
            details.put("matched", matched);
        }
        String expected = answers.size() == 1 ? "'" + answers.get(0) + "'" : "one of " + answers.size() + " answers";
        String rationale = "extracted '" + extracted + "', " + (correct ? "matches " : "does not match ") + expected;
        return new Verdict(correct, extracted, NAME, rationale, details);
    }
}
