package io.assay.judge.scoring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ROUGE-L as Google's {@code rouge-score} computes {@code rougeL} (sentence-level, no summary-level
 * {@code rougeLsum} sentence splitting, no stemming): the longest common subsequence of the
 * {@link Tokens#rouge} tokens; precision = LCS / answer tokens, recall = LCS / reference tokens,
 * F = 2PR / (P + R) (β = 1), 0 when either side is empty. The maximum F over the reference answers.
 * Graded ({@link Verdict#score}); {@code correct} means F = 1.
 */
public final class RougeLScorer {
    /** The scorer's name in judgments. */
    public static final String NAME = "rouge-l";

    private RougeLScorer() {}

    /** Scores an answer; throws {@link UnscorableException} when there are no reference answers. */
    public static Verdict score(String answer, List<String> references) {
        if (references == null || references.isEmpty()) {
            throw new UnscorableException("ROUGE-L needs reference answers");
        }
        List<String> candidate = Tokens.rouge(answer);
        Overlap best = Overlap.best(references, reference -> {
            List<String> target = Tokens.rouge(reference);
            return Overlap.of(reference, lcs(candidate, target), candidate.size(), target.size());
        });
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scorer", NAME);
        details.put("expected", references);
        details.put("matched", best.reference());
        details.put("lcs", best.common());
        details.put("precision", best.precision());
        details.put("recall", best.recall());
        details.put("f", best.f());
        String rationale = String.format(
                Locale.ROOT,
                "ROUGE-L F %.4f (LCS %d, P %.4f, R %.4f) against '%s'",
                best.f(),
                best.common(),
                best.precision(),
                best.recall(),
                best.reference());
        return new Verdict(best.f() == 1.0, answer, NAME, rationale, details, best.f());
    }

    /** Length of the longest common subsequence, in O(n·m) time and O(m) memory. */
    static int lcs(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (String x : a) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = x.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }
}
