package io.assay.aggregator.leaderboard;

import io.assay.contracts.Ids;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.Origin;
import io.assay.contracts.Variant;
import java.time.Instant;

/** Builds reference judgments for tests. */
public final class Judgments {
    private static final Instant PUBLISHED = Instant.parse("2026-11-28T09:00:00Z");

    private Judgments() {
    }

    /** A parseable verdict on revision 1 in the plain format. */
    public static Judgment correct(String benchmark, String itemId, String category, String modelId, boolean correct) {
        return judgment(benchmark, itemId, 1, category, modelId, correct, false);
    }

    /** An unparseable verdict on revision 1. */
    public static Judgment unparseable(String benchmark, String itemId, String category, String modelId) {
        return judgment(benchmark, itemId, 1, category, modelId, null, true);
    }

    /** A verdict with every coordinate given; the judgmentId is derived from them. */
    public static Judgment judgment(String benchmark, String itemId, int revision, String category, String modelId,
                                    Boolean correct, boolean unparseable) {
        String requestId = Ids.hash("req", benchmark, itemId, Integer.toString(revision), modelId);
        return new Judgment(Ids.hash("judgment", requestId, String.valueOf(correct), Boolean.toString(unparseable)),
                benchmark, itemId, revision, category, PUBLISHED, JudgeSpec.REFERENCE_AUTO,
                new Judgment.Subject(modelId, requestId, new Variant("plain", "1", 0, null), 12),
                JudgmentKind.CORRECT, correct, null, null, null, unparseable ? null : "42", false, false,
                unparseable, null, null, Origin.PIPELINE, PUBLISHED.plusSeconds(1));
    }
}
