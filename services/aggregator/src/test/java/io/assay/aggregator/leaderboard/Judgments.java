package io.assay.aggregator.leaderboard;

import io.assay.contracts.Ids;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.Origin;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Protocol;
import io.assay.contracts.Variant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds reference judgments for tests. */
public final class Judgments {
    private static final Instant PUBLISHED = Instant.parse("2026-11-28T09:00:00Z");

    private Judgments() {}

    /** A parseable verdict on revision 1 in the plain format. */
    public static Judgment correct(String benchmark, String itemId, String category, String modelId, boolean correct) {
        return judgment(benchmark, itemId, 1, category, modelId, correct, false);
    }

    /** An unparseable verdict on revision 1. */
    public static Judgment unparseable(String benchmark, String itemId, String category, String modelId) {
        return judgment(benchmark, itemId, 1, category, modelId, null, true);
    }

    /** A WildBench-style 1–10 score. */
    public static Judgment score(
            String benchmark, String itemId, String category, String modelId, double score, boolean truncated) {
        String requestId = Ids.hash("req", benchmark, itemId, "1", modelId);
        JudgeSpec judge = new JudgeSpec("wb-score", Protocol.SCORE, "checklist", "1", "judge", "v2", null, null, null);
        return new Judgment(
                Ids.hash("judgment", requestId, "score"),
                benchmark,
                itemId,
                1,
                category,
                PUBLISHED,
                judge,
                new Judgment.Subject(modelId, requestId, null, 100),
                JudgmentKind.SCORE,
                null,
                new Judgment.Score(score, 1, 10),
                null,
                null,
                null,
                truncated,
                false,
                false,
                "ok",
                null,
                Origin.IMPORT,
                PUBLISHED.plusSeconds(1));
    }

    /** A score on [min, max] by judge {@code judgeId} of protocol {@code protocol}. */
    public static Judgment score(
            String benchmark,
            String itemId,
            String modelId,
            String judgeId,
            Protocol protocol,
            double score,
            double min,
            double max) {
        String requestId = Ids.hash("req", benchmark, itemId, "1", modelId);
        JudgeSpec judge = new JudgeSpec(judgeId, protocol, "m", "1", null, null, null, null, null);
        return new Judgment(
                Ids.hash("judgment", requestId, judgeId),
                benchmark,
                itemId,
                1,
                "c",
                PUBLISHED,
                judge,
                new Judgment.Subject(modelId, requestId, null, 100),
                JudgmentKind.SCORE,
                null,
                new Judgment.Score(score, min, max),
                null,
                null,
                null,
                false,
                false,
                false,
                "ok",
                null,
                Origin.IMPORT,
                PUBLISHED.plusSeconds(1));
    }

    /** A five-level comparison with {@code baseline}. */
    public static Judgment pairwise(
            String benchmark,
            String itemId,
            String category,
            String modelId,
            PairwiseOutcome outcome,
            String baseline,
            int answerChars,
            int baselineChars,
            boolean truncated,
            Instant judgedAt) {
        String requestId = Ids.hash("req", benchmark, itemId, "1", modelId);
        JudgeSpec judge = new JudgeSpec(
                "wb-reward",
                Protocol.PAIRWISE,
                "five-level",
                "1",
                "judge",
                "v2",
                java.util.List.of(baseline),
                null,
                true);
        return new Judgment(
                Ids.hash("judgment", requestId, baseline, "pairwise"),
                benchmark,
                itemId,
                1,
                category,
                PUBLISHED,
                judge,
                new Judgment.Subject(modelId, requestId, null, answerChars),
                JudgmentKind.PAIRWISE,
                null,
                null,
                new Judgment.Pairwise(outcome, baseline, null, baselineChars, "both", null),
                null,
                null,
                truncated,
                false,
                false,
                "ok",
                null,
                Origin.IMPORT,
                judgedAt);
    }

    /** An AlpacaEval preference against {@code baseline}. */
    public static Judgment preference(
            String benchmark, String itemId, String modelId, double preference, String baseline) {
        String requestId = Ids.hash("req", benchmark, itemId, "1", modelId);
        JudgeSpec judge = new JudgeSpec(
                "weighted",
                Protocol.PREFERENCE,
                "logprob",
                "1",
                "judge",
                null,
                java.util.List.of(baseline),
                null,
                null);
        return new Judgment(
                Ids.hash("judgment", requestId, "preference"),
                benchmark,
                itemId,
                1,
                null,
                PUBLISHED,
                judge,
                new Judgment.Subject(modelId, requestId, null, null),
                JudgmentKind.PREFERENCE,
                null,
                null,
                null,
                preference,
                null,
                false,
                false,
                false,
                null,
                null,
                Origin.IMPORT,
                PUBLISHED.plusSeconds(1));
    }

    /**
     * 90 AlpacaEval preferences against {@code base}: 9 models {@code m0..m8} on 10 items {@code q0..q9}, with both
     * answers' lengths and the items' difficulties (the long-history views' tests' board, under a slot limit of 100).
     */
    public static List<Judgment> preferenceBoard(String benchmark) {
        List<Judgment> out = new ArrayList<>();
        for (int item = 0; item < 10; item++) {
            for (int m = 0; m < 9; m++) {
                out.add(preference(
                        benchmark,
                        "q" + item,
                        "m" + m,
                        (item + m) % 3 == 0 ? 1.0 : 2.0,
                        "base",
                        100 + 37 * m + 11 * item,
                        300,
                        0.1 * item - 0.5));
            }
        }
        return out;
    }

    /**
     * An AlpacaEval preference with both answers' lengths and, when not {@code null}, the item's instruction
     * difficulty, in the details as the judge writes them.
     */
    public static Judgment preference(
            String benchmark,
            String itemId,
            String modelId,
            double preference,
            String baseline,
            int answerChars,
            int baselineChars,
            Double instructionDifficulty) {
        Judgment j = preference(benchmark, itemId, modelId, preference, baseline);
        java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("baselineModel", baseline);
        details.put("baselineChars", baselineChars);
        if (instructionDifficulty != null) {
            details.put("instructionDifficulty", instructionDifficulty);
        }
        Judgment.Subject s = j.subject();
        return new Judgment(
                j.judgmentId(),
                j.benchmark(),
                j.itemId(),
                j.revision(),
                j.category(),
                j.publishedAt(),
                j.judge(),
                new Judgment.Subject(s.modelId(), s.requestId(), s.variant(), answerChars),
                j.kind(),
                j.correct(),
                j.score(),
                j.pairwise(),
                j.preference(),
                j.extracted(),
                j.truncated(),
                j.empty(),
                j.unparseable(),
                j.rationale(),
                details,
                j.origin(),
                j.judgedAt());
    }

    /** A reference verdict in prompt format {@code format}, published at {@code publishedAt}. */
    public static Judgment correctAt(
            String benchmark,
            String itemId,
            String modelId,
            boolean correct,
            String format,
            Instant publishedAt,
            Instant judgedAt) {
        String requestId = Ids.hash("req", benchmark, itemId, format, modelId);
        return new Judgment(
                Ids.hash("judgment", requestId, String.valueOf(correct)),
                benchmark,
                itemId,
                1,
                "c",
                publishedAt,
                JudgeSpec.REFERENCE_AUTO,
                new Judgment.Subject(modelId, requestId, new Variant(format, "1", 0, null), 12),
                JudgmentKind.CORRECT,
                correct,
                null,
                null,
                null,
                "42",
                false,
                false,
                false,
                null,
                null,
                Origin.PIPELINE,
                judgedAt);
    }

    /** A verdict with every coordinate given; the judgmentId is derived from them. */
    public static Judgment judgment(
            String benchmark,
            String itemId,
            int revision,
            String category,
            String modelId,
            Boolean correct,
            boolean unparseable) {
        String requestId = Ids.hash("req", benchmark, itemId, Integer.toString(revision), modelId);
        return new Judgment(
                Ids.hash("judgment", requestId, String.valueOf(correct), Boolean.toString(unparseable)),
                benchmark,
                itemId,
                revision,
                category,
                PUBLISHED,
                JudgeSpec.REFERENCE_AUTO,
                new Judgment.Subject(modelId, requestId, new Variant("plain", "1", 0, null), 12),
                JudgmentKind.CORRECT,
                correct,
                null,
                null,
                null,
                unparseable ? null : "42",
                false,
                false,
                unparseable,
                null,
                null,
                Origin.PIPELINE,
                PUBLISHED.plusSeconds(1));
    }

    /** {@code j} in {@code categories} (the first also its {@code category}), with {@code pairwise} as its verdict. */
    public static Judgment with(Judgment j, List<String> categories, Judgment.Pairwise pairwise) {
        return new Judgment(
                j.judgmentId(),
                j.benchmark(),
                j.itemId(),
                j.revision(),
                categories.get(0),
                categories,
                j.publishedAt(),
                j.judge(),
                j.subject(),
                j.kind(),
                j.correct(),
                j.score(),
                pairwise,
                j.preference(),
                j.extracted(),
                j.truncated(),
                j.empty(),
                j.unparseable(),
                j.rationale(),
                j.details(),
                j.origin(),
                j.judgedAt());
    }

    /**
     * {@code j} as a human labelled it: origin human, its own judge id, its own verdict ({@code correct} for a
     * reference judgment, {@code outcome} for a pairwise one), a minute after {@code j}.
     */
    public static Judgment label(Judgment j, JudgeSpec human, Boolean correct, PairwiseOutcome outcome) {
        Judgment.Pairwise p = j.pairwise();
        return new Judgment(
                Ids.hash("label", j.judgmentId(), human.id()),
                j.benchmark(),
                j.itemId(),
                j.revision(),
                j.category(),
                j.publishedAt(),
                human,
                j.subject(),
                j.kind(),
                correct,
                j.score(),
                p == null
                        ? null
                        : new Judgment.Pairwise(outcome, p.baselineModel(), null, p.baselineChars(), null, null),
                j.preference(),
                null,
                false,
                false,
                false,
                "reviewed",
                null,
                Origin.HUMAN,
                j.judgedAt().plusSeconds(60));
    }
}
