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

    private RougeLScorer() {
    }

    /** Scores an answer; throws {@link UnscorableException} when there are no reference answers. */
    public static Verdict score(String answer, List<String> references) {
        if (references == null || references.isEmpty()) {
            throw new UnscorableException("ROUGE-L needs reference answers");
        }
        List<String> candidate = Tokens.rouge(answer);
        double best = -1;
        double bestPrecision = 0;
        double bestRecall = 0;
        int bestLcs = 0;
        String bestReference = null;
        for (String reference : references) {
            List<String> target = Tokens.rouge(reference);
            int lcs = lcs(candidate, target);
            double precision = candidate.isEmpty() ? 0 : lcs / (double) candidate.size();
            double recall = target.isEmpty() ? 0 : lcs / (double) target.size();
            double f = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            if (f > best) {
                best = f;
                bestPrecision = precision;
                bestRecall = recall;
                bestLcs = lcs;
                bestReference = reference;
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scorer", NAME);
        details.put("expected", references);
        details.put("matched", bestReference);
        details.put("lcs", bestLcs);
        details.put("precision", bestPrecision);
        details.put("recall", bestRecall);
        details.put("f", best);
        String rationale = String.format(Locale.ROOT, "ROUGE-L F %.4f (LCS %d, P %.4f, R %.4f) against '%s'",
                best, bestLcs, bestPrecision, bestRecall, bestReference);
        return new Verdict(best == 1.0, answer, NAME, rationale, details, best);
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
