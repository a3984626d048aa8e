package io.assay.judge.scoring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the answer contains any reference answer as a run of whole tokens, both sides normalised
 * as SQuAD does ({@link Tokens#squad}): {@code "It is Paris, France."} contains {@code paris} and
 * {@code "Paris, France"}, but {@code "concatenate"} does not contain {@code cat}. The answer is the
 * text after an {@code Answer:} marker, else the whole output ({@link AnswerExtractor#answerOrWhole}).
 */
public final class ContainsScorer {
    /** The scorer's name in judgments. */
    public static final String NAME = "contains";

    private ContainsScorer() {}

    /** Scores an answer; throws {@link UnscorableException} when there is no non-empty reference answer. */
    public static Verdict score(String answer, List<String> references) {
        List<String> usable = references == null
                ? List.of()
                : references.stream()
                        .filter(r -> r != null && !Tokens.squad(r).isEmpty())
                        .toList();
        if (usable.isEmpty()) {
            throw new UnscorableException("contains needs a non-empty reference answer");
        }
        List<String> tokens = Tokens.squad(answer);
        String matched = null;
        for (String reference : usable) {
            if (containsRun(tokens, Tokens.squad(reference))) {
                matched = reference;
                break;
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scorer", NAME);
        details.put("expected", usable);
        details.put("normalized", String.join(" ", tokens));
        if (matched != null) {
            details.put("matched", matched);
        }
        String rationale = (matched != null ? "contains '" + matched + "'" : "contains none of " + usable);
        return new Verdict(matched != null, answer, NAME, rationale, details);
    }

    static boolean containsRun(List<String> tokens, List<String> run) {
        outer:
        for (int i = 0; i + run.size() <= tokens.size(); i++) {
            for (int j = 0; j < run.size(); j++) {
                if (!tokens.get(i + j).equals(run.get(j))) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
