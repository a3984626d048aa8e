package io.assay.judge.drift;

import io.assay.contracts.ModelResponse;

/**
 * One canary of a judge: an answer (and, for a comparison, its baseline's answer) the judge keeps so it can
 * judge it again when the judge changes, with the verdict class of the version that judged it last.
 *
 * @param benchmark the benchmark
 * @param judge the judge id
 * @param canaryId {@link #id}: the judged request ids
 * @param itemKey the item's key ({@code benchmark/itemId}); the item is read from the judge's {@code items}
 *     store when the canary is judged again
 * @param revision the item revision the answers answer (a canary whose item moved on is dropped)
 * @param subject the answer judged
 * @param baseline the baseline's answer (pairwise, preference), else {@code null}
 * @param verdict the verdict class ({@link VerdictClass}) under the canary set's version; {@code null} while
 *     its first ballot is open, or when that judgment was unparseable
 * @param next the verdict class under the version the set is being re-judged to, {@code null} until it is in
 * @param awaiting the ballot (judgment) id whose verdict this canary waits for, else {@code null}
 */
public record Canary(
        String benchmark,
        String judge,
        String canaryId,
        String itemKey,
        int revision,
        ModelResponse subject,
        ModelResponse baseline,
        String verdict,
        String next,
        String awaiting) {

    /** The canary id of these answers: the subject's request id, then the baseline's. */
    public static String id(ModelResponse subject, ModelResponse baseline) {
        return baseline == null ? subject.requestId() : subject.requestId() + "+" + baseline.requestId();
    }

    /** This canary with its verdict under the set's version. */
    public Canary withVerdict(String verdictClass) {
        return new Canary(benchmark, judge, canaryId, itemKey, revision, subject, baseline, verdictClass, null, null);
    }

    /** This canary waiting for the verdict of {@code ballotId} under the version it is re-judged to. */
    public Canary awaiting(String ballotId) {
        return new Canary(benchmark, judge, canaryId, itemKey, revision, subject, baseline, verdict, null, ballotId);
    }

    /** This canary with its verdict under the version it is re-judged to. */
    public Canary rejudged(String verdictClass) {
        return new Canary(
                benchmark, judge, canaryId, itemKey, revision, subject, baseline, verdict, verdictClass, null);
    }

    /** This canary once its set moved to the new version: the new verdict is its verdict. */
    public Canary settled() {
        return new Canary(benchmark, judge, canaryId, itemKey, revision, subject, baseline, next, null, null);
    }
}
