package io.assay.judge.scoring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Whether the extracted answer matches the reference regex as a whole, case-insensitively. */
public final class RegexScorer {
    /** The scorer's name in judgments. */
    public static final String NAME = "regex";

    private RegexScorer() {}

    /** Scores an extracted answer; throws {@link UnscorableException} when the regex is absent or invalid. */
    public static Verdict score(String extracted, String regex) {
        if (regex == null || regex.isEmpty()) {
            throw new UnscorableException("regex match needs a reference regex");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new UnscorableException("invalid reference regex: " + e.getDescription());
        }
        boolean correct = pattern.matcher(extracted).matches();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scorer", NAME);
        details.put("expected", regex);
        String rationale =
                "extracted '" + extracted + "', " + (correct ? "matches /" : "does not match /") + regex + "/";
        return new Verdict(correct, extracted, NAME, rationale, details);
    }
}
