package io.assay.contracts;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A verdict on one answer (or one pair of answers). Keyed {@code benchmark/itemId} on
 * {@code assay.judgments}, the ledger every leaderboard is folded from.
 *
 * @param judgmentId deterministic: see {@link Ids#judgmentId}
 * @param benchmark the benchmark
 * @param itemId the item
 * @param revision the item revision judged
 * @param category the item's (first) category, kept for readers of one category
 * @param categories every category of the item (WildBench counts an item in each of its tags'
 *     categories); absent in events written before it, where {@code category} is the only one
 * @param publishedAt the item's event time
 * @param judge the judge that produced it
 * @param subject the answer judged
 * @param kind which verdict field is set
 * @param correct the verdict of a reference judgment
 * @param score the verdict of a score judgment
 * @param pairwise the verdict of a pairwise judgment
 * @param preference the verdict of a preference judgment, in [1, 2]: 2 prefers the subject's answer,
 *     1 the baseline's, as AlpacaEval's annotators (0 means no verdict, counted as a draw); the baseline
 *     is {@code details.baselineModel}, else the judge's first baseline
 * @param extracted the final answer extracted from the output (reference judgments)
 * @param truncated the answer hit the token limit
 * @param empty the answer was empty
 * @param unparseable the judge's verdict could not be parsed; excluded from views and counted
 * @param rationale the judge's reasoning or the scorer's explanation
 * @param details scorer-specific details
 * @param origin {@code pipeline} (Assay's judge; also when absent), {@code import} or {@code human}: a human
 *     label, which carries a judge id of its own ({@code human}, {@code human:<reviewer>}) so it occupies its own
 *     fold slots and the aggregator's {@code judge-agreement} view compares the model judges with it
 * @param judgedAt when it was judged
 */
public record Judgment(
        String judgmentId,
        String benchmark,
        String itemId,
        Integer revision,
        String category,
        List<String> categories,
        Instant publishedAt,
        JudgeSpec judge,
        Subject subject,
        JudgmentKind kind,
        Boolean correct,
        Score score,
        Pairwise pairwise,
        Double preference,
        String extracted,
        boolean truncated,
        boolean empty,
        boolean unparseable,
        String rationale,
        Map<String, Object> details,
        Origin origin,
        Instant judgedAt) {

    /** A judgment with one category (or none): {@code categories} is absent. */
    public Judgment(
            String judgmentId,
            String benchmark,
            String itemId,
            Integer revision,
            String category,
            Instant publishedAt,
            JudgeSpec judge,
            Subject subject,
            JudgmentKind kind,
            Boolean correct,
            Score score,
            Pairwise pairwise,
            Double preference,
            String extracted,
            boolean truncated,
            boolean empty,
            boolean unparseable,
            String rationale,
            Map<String, Object> details,
            Origin origin,
            Instant judgedAt) {
        this(
                judgmentId,
                benchmark,
                itemId,
                revision,
                category,
                null,
                publishedAt,
                judge,
                subject,
                kind,
                correct,
                score,
                pairwise,
                preference,
                extracted,
                truncated,
                empty,
                unparseable,
                rationale,
                details,
                origin,
                judgedAt);
    }

    /**
     * The categories the judgment counts in: {@code categories} without repeats (in order) when given,
     * else {@code category} alone, else none.
     */
    public List<String> categoriesOrSingle() {
        if (categories != null && !categories.isEmpty()) {
            return List.copyOf(new LinkedHashSet<>(categories));
        }
        return category == null ? List.of() : List.of(category);
    }

    /** The Kafka key. */
    public String key() {
        return Keys.item(benchmark, itemId);
    }

    /**
     * The answer judged.
     *
     * @param modelId the model that answered
     * @param requestId the request answered
     * @param variant the variant answered
     * @param answerChars the answer's length in Unicode code points
     */
    public record Subject(String modelId, String requestId, Variant variant, Integer answerChars) {}

    /**
     * A score on a scale.
     *
     * @param value the score
     * @param min the scale's minimum
     * @param max the scale's maximum
     */
    public record Score(double value, double min, double max) {}

    /**
     * A comparison with a baseline answer.
     *
     * @param outcome from the subject's side
     * @param baselineModel the baseline model
     * @param baselineRequestId the baseline's request
     * @param baselineChars the baseline answer's length in code points
     * @param order {@code subject_first}, {@code baseline_first} or {@code both} (position swap)
     * @param verdicts the raw verdicts, one per order judged
     * @param baselineTruncated the baseline's answer hit the token limit (WildBench leaves such a pair
     *     out of every bucket)
     * @param baselineEmpty the baseline's answer was empty (likewise)
     */
    public record Pairwise(
            PairwiseOutcome outcome,
            String baselineModel,
            String baselineRequestId,
            Integer baselineChars,
            String order,
            List<String> verdicts,
            Boolean baselineTruncated,
            Boolean baselineEmpty) {

        /** A comparison that says nothing about the baseline answer's flags. */
        public Pairwise(
                PairwiseOutcome outcome,
                String baselineModel,
                String baselineRequestId,
                Integer baselineChars,
                String order,
                List<String> verdicts) {
            this(outcome, baselineModel, baselineRequestId, baselineChars, order, verdicts, null, null);
        }

        /** Whether the baseline's answer was truncated or empty. */
        public boolean baselineTruncatedOrEmpty() {
            return Boolean.TRUE.equals(baselineTruncated) || Boolean.TRUE.equals(baselineEmpty);
        }
    }
}
