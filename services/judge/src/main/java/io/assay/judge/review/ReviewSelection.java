package io.assay.judge.review;

import io.assay.contracts.ReviewRequest;
import io.assay.judge.llm.Ballot;
import io.assay.judge.llm.Combination;
import io.assay.judge.llm.LlmJudging;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which judgments a human should review, and why: those whose judge contradicted itself when the two answers
 * were swapped ({@link #POSITION_INCONSISTENT}: a judge model with both orders parsed favoured different sides,
 * {@link LlmJudging#swapConsistency}), those whose jury members disagree ({@link #JURY_DISAGREES},
 * {@link Combination#disagree}: pairwise members in different classes, preference members on different sides of
 * 0.5, score members more than {@link #SCORE_SPREAD} apart), and a random audit of every judgment at a configured rate
 * ({@link #SAMPLED}). The audit is what estimates a judge's accuracy: the position-inconsistent ones are chosen
 * for being doubtful, so agreement on them says nothing of the judge's verdicts at large (docs/judging.md,
 * "Human review"). Plain Java, deterministic: the audit draw is a hash of the judgment id, so a redelivered
 * reply or a replay selects the same judgments.
 */
public final class ReviewSelection {
    /** A judge model favoured different sides in the two presentation orders. */
    public static final String POSITION_INCONSISTENT = ReviewRequest.POSITION_INCONSISTENT;
    /** The members of a jury disagree. */
    public static final String JURY_DISAGREES = ReviewRequest.JURY_DISAGREES;
    /**
     * The widest spread of a score jury's members (highest − lowest, on the 1–10 scale of the score prompts)
     * that still agrees: two points, so 6 and 8 agree and 5 and 8 do not.
     */
    public static final double SCORE_SPREAD = 2.0;
    /** Drawn for the random audit. */
    public static final String SAMPLED = ReviewRequest.SAMPLED;

    private ReviewSelection() {}

    /**
     * The reasons to review the judgment of a complete ballot, empty when none.
     *
     * @param ballot the complete ballot
     * @param judgmentId the judgment's id (the audit draw)
     * @param rate the share of judgments audited, in [0, 1]
     */
    public static List<String> reasons(Ballot ballot, String judgmentId, double rate) {
        List<String> out = new ArrayList<>();
        if (LlmJudging.swapConsistency(ballot).containsValue(false)) {
            out.add(POSITION_INCONSISTENT);
        }
        if (Combination.disagree(
                ballot.judge().protocol(),
                List.copyOf(LlmJudging.memberValues(ballot).values()),
                SCORE_SPREAD)) {
            out.add(JURY_DISAGREES);
        }
        if (sampled(judgmentId, rate)) {
            out.add(SAMPLED);
        }
        return out;
    }

    /** Whether the audit draws the judgment: a uniform in [0, 1) from SHA-256 of its id, below the rate. */
    public static boolean sampled(String judgmentId, double rate) {
        if (rate <= 0) {
            return false;
        }
        return uniform(judgmentId) < rate;
    }

    /** The first 53 bits of SHA-256 of {@code id}, as a double in [0, 1). */
    static double uniform(String id) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = bits << 8 | (h[i] & 0xFF);
            }
            return (bits >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
