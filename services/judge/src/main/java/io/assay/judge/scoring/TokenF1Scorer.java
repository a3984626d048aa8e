package io.assay.judge.scoring;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SQuAD's token F1, the maximum over the reference answers. Both sides are normalised and split by
 * {@link Tokens#squad}; the overlap is the multiset intersection of the tokens; precision = overlap /
 * answer tokens, recall = overlap / reference tokens, F1 = 2PR / (P + R), 0 when nothing overlaps.
 * As in SQuAD v2.0, an empty answer against an empty reference (after normalisation) scores 1 and an
 * empty side against a non-empty one 0. The verdict is graded ({@link Verdict#score}); {@code correct}
 * means F1 = 1 (the normalised token multisets are equal).
 *
 * <p>F1 compares text, not values: {@code 1,000} and {@code 1000} are the same token, {@code 1e3} is
 * not; use {@code numeric} for numbers.
 */
public final class TokenF1Scorer {
    /** The scorer's name in judgments. */
    public static final String NAME = "f1";

    private TokenF1Scorer() {}

    /** Scores an answer; throws {@link UnscorableException} when there are no reference answers. */
    public static Verdict score(String answer, List<String> references) {
        if (references == null || references.isEmpty()) {
            throw new UnscorableException("token F1 needs reference answers");
        }
        List<String> predicted = Tokens.squad(answer);
        Overlap best = Overlap.best(references, reference -> {
            List<String> gold = Tokens.squad(reference);
            if (predicted.isEmpty() && gold.isEmpty()) {
                return new Overlap(reference, 0, 1, 1, 1);
            }
            return Overlap.of(reference, overlap(predicted, gold), predicted.size(), gold.size());
        });
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scorer", NAME);
        details.put("expected", references);
        details.put("matched", best.reference());
        details.put("precision", best.precision());
        details.put("recall", best.recall());
        details.put("f1", best.f());
        String rationale = String.format(
                Locale.ROOT,
                "token F1 %.4f (P %.4f, R %.4f) against '%s'",
                best.f(),
                best.precision(),
                best.recall(),
                best.reference());
        return new Verdict(best.f() == 1.0, answer, NAME, rationale, details, best.f());
    }

    /** The size of the multiset intersection. */
    static int overlap(List<String> a, List<String> b) {
        Map<String, Integer> counts = new HashMap<>();
        for (String t : b) {
            counts.merge(t, 1, Integer::sum);
        }
        int common = 0;
        for (String t : a) {
            Integer left = counts.get(t);
            if (left != null && left > 0) {
                common++;
                counts.put(t, left - 1);
            }
        }
        return common;
    }
}
