package io.assay.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A judgment a human should review, on {@code assay.reviews} keyed {@code benchmark/itemId}. The judge emits
 * one for a judgment that is position-inconsistent, whose jury disagrees, or drawn by the audit at {@code assay.judge.review-rate};
 * a reviewer answers with a judgment of {@code origin: human} under a judge id of its own ({@code ./assay
 * review label}), which the aggregator's {@code judge-agreement} view compares with the judge. See
 * docs/judging.md, "Human review".
 *
 * @param reviewId deterministic: {@code Ids.hash("review", judgmentId)}, so a re-emitted request is the same
 * @param judgment the judgment to review, as the judge published it (item, subject, baseline, verdict)
 * @param reasons why: {@code position-inconsistent} (the judge favoured different sides when the answers were
 *     swapped), {@code jury-disagrees} (the members of a jury gave different verdicts), {@code sampled} (the random audit; only these estimate a judge's accuracy)
 * @param requestedAt when the judge asked
 */
public record ReviewRequest(String reviewId, Judgment judgment, List<String> reasons, Instant requestedAt) {
    /** Reason: the judge favoured different sides in the two presentation orders. */
    public static final String POSITION_INCONSISTENT = "position-inconsistent";
    /** Reason: the members of a jury disagree (docs/judging.md, "Human review"). */
    public static final String JURY_DISAGREES = "jury-disagrees";
    /** Reason: drawn for the random audit. */
    public static final String SAMPLED = "sampled";

    /** The review of {@code judgment} for {@code reasons}. */
    public static ReviewRequest of(Judgment judgment, List<String> reasons, Instant requestedAt) {
        return new ReviewRequest(
                Ids.hash("review", judgment.judgmentId()), judgment, List.copyOf(reasons), requestedAt);
    }

    /** The Kafka key: the judgment's. */
    public String key() {
        return judgment.key();
    }
}
