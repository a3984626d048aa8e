package io.assay.judge.scoring;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.FinishReason;
import io.assay.contracts.Ids;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Origin;
import java.time.Clock;
import java.util.List;

/**
 * Turns a response to an item into a reference {@link Judgment}: the verdict of
 * {@link ReferenceScorer}, the judge spec that made it, and a deterministic judgmentId (the same
 * response judged twice by the same judge gets the same id, so the aggregator can deduplicate).
 */
public final class ReferenceJudge {
    private final ReferenceScorer scorer;
    private final Clock clock;

    /** With the scorer and the clock that stamps {@code judgedAt}. */
    public ReferenceJudge(ReferenceScorer scorer, Clock clock) {
        this.scorer = scorer;
        this.clock = clock;
    }

    /**
     * Judges one response; the item must be the revision the response answered.
     *
     * @throws UnscorableException when the item gives the judge's method nothing to decide with
     */
    public Judgment judge(BenchmarkItem item, ModelResponse response, JudgeSpec judge) {
        String output = response.output() == null ? "" : response.output();
        Verdict verdict = scorer.score(item, response.variant(), output, judge.method());
        return new Judgment(
                Ids.judgmentId(List.of(response.requestId()), judge),
                item.benchmark(),
                item.itemId(),
                item.revisionOrDefault(),
                item.categoryOrDefault(),
                item.categoriesUnder(null),
                item.publishedAt(),
                judge,
                new Judgment.Subject(
                        response.modelId(),
                        response.requestId(),
                        response.variant(),
                        output.codePointCount(0, output.length())),
                verdict.score() == null ? JudgmentKind.CORRECT : JudgmentKind.SCORE,
                verdict.score() == null ? verdict.correct() : null,
                verdict.score() == null ? null : new Judgment.Score(verdict.score(), 0, 1),
                null,
                null,
                verdict.extracted(),
                response.finishReason() == FinishReason.LENGTH,
                output.isBlank(),
                false,
                verdict.rationale(),
                verdict.details(),
                Origin.PIPELINE,
                clock.instant());
    }
}
