package io.assay.aggregator.leaderboard;

import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.Origin;
import io.assay.contracts.PairwiseOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The verdict that currently occupies one slot: one judge's judgment of one model's answer to
 * one variant of one item (against one baseline, for pairwise and preference judgments). The fold
 * keeps exactly one verdict per slot, so redeliveries and re-judgments never count twice, and it
 * keeps everything the views need, so every view is a function of the stored slots alone.
 *
 * @param judgmentId the deterministic id of the judgment in the slot
 * @param revision the item revision it judged
 * @param correct its verdict (reference judgments)
 * @param category the item's category, {@code null} when the item has none
 * @param unparseable the judge's verdict could not be parsed (excluded from every view, counted)
 * @param itemId the item
 * @param modelId the judged model
 * @param kind which verdict it carries
 * @param format the prompt format of the variant, {@code null} when absent
 * @param judgeId the judge
 * @param score the score value (score judgments)
 * @param outcome the pairwise outcome from the model's side
 * @param baseline the baseline model (pairwise, preference)
 * @param answerChars the answer's length in code points
 * @param baselineChars the baseline answer's length in code points
 * @param truncatedOrEmpty the answer (or, for a pair, either answer) was truncated or empty
 * @param preference the AlpacaEval preference in [1, 2], 0 for none
 * @param publishedAt the item's event time
 * @param judgedAt when it was judged: the ledger order of the stability and online Elo views
 * @param requestId the judged answer's request (per-item drill-down finds the answer by it)
 * @param rationale the judge's reasoning (per-item drill-down)
 * @param scoreMin the low end of the score's scale (score judgments), {@code null} in slots stored before it was kept
 * @param scoreMax the high end of the score's scale
 * @param categories every category of the item ({@code null} in slots stored before they were kept:
 *     {@code category} alone)
 * @param judgeVersion the judge's version ({@link #judgeVersion(Judgment)}); {@code null} in slots stored
 *     before versions were kept
 * @param instructionDifficulty the item's instruction difficulty γ (AlpacaEval's {@code instruction_difficulty},
 *     preference judgments: the judgment's {@code details.instructionDifficulty}), {@code null} when not given
 * @param pairOrder a pairwise judgment's order ({@code subject_first}, {@code baseline_first} or {@code both}),
 *     kept for the per-item drill-down; {@code null} for other kinds and in slots stored before it was kept
 * @param pairVerdicts a pairwise judgment's raw verdicts, one per order judged (both position-swapped
 *     verdicts when the order is {@code both}); {@code null} likewise
 * @param correctPosition a choice judgment's position (0 = A) the correct choice was shown at (the judgment's
 *     {@code details.correctShownIndex}, which the choice scorer writes), for {@code position-bias};
 *     {@code null} for other judgments and in slots stored before it was kept
 * @param human the judgment's {@code origin} is {@code human}: a human label, which the {@code judge-agreement}
 *     view compares the model judges with ({@code false} in slots stored before it was kept)
 * @param juryVerdicts a jury's verdict per member model, from the subject's side with its presentation orders
 *     averaged ({@link JudgmentDetails#juryVerdicts}), for the member rows of {@code judge-agreement};
 *     {@code null} for a single judge, and in slots stored before it was kept
 */
public record Slot(
        String judgmentId,
        int revision,
        boolean correct,
        String category,
        boolean unparseable,
        String itemId,
        String modelId,
        JudgmentKind kind,
        String format,
        String judgeId,
        Double score,
        PairwiseOutcome outcome,
        String baseline,
        Integer answerChars,
        Integer baselineChars,
        Boolean truncatedOrEmpty,
        Double preference,
        Instant publishedAt,
        Instant judgedAt,
        String requestId,
        String rationale,
        Double scoreMin,
        Double scoreMax,
        List<String> categories,
        String judgeVersion,
        Double instructionDifficulty,
        String pairOrder,
        List<String> pairVerdicts,
        Integer correctPosition,
        Boolean human,
        Map<String, Double> juryVerdicts) {

    /**
     * Slots stored before the other kinds were folded carry neither kind nor flags: they are
     * reference verdicts, and the flag is false (a boxed component, so such JSON still reads).
     */
    public Slot {
        if (kind == null) {
            kind = JudgmentKind.CORRECT;
        }
        if (truncatedOrEmpty == null) {
            truncatedOrEmpty = false;
        }
        if (human == null) {
            human = false;
        }
    }

    /** A slot that is not a jury's. */
    public Slot(
            String judgmentId,
            int revision,
            boolean correct,
            String category,
            boolean unparseable,
            String itemId,
            String modelId,
            JudgmentKind kind,
            String format,
            String judgeId,
            Double score,
            PairwiseOutcome outcome,
            String baseline,
            Integer answerChars,
            Integer baselineChars,
            Boolean truncatedOrEmpty,
            Double preference,
            Instant publishedAt,
            Instant judgedAt,
            String requestId,
            String rationale,
            Double scoreMin,
            Double scoreMax,
            List<String> categories,
            String judgeVersion,
            Double instructionDifficulty,
            String pairOrder,
            List<String> pairVerdicts,
            Integer correctPosition,
            Boolean human) {
        this(
                judgmentId,
                revision,
                correct,
                category,
                unparseable,
                itemId,
                modelId,
                kind,
                format,
                judgeId,
                score,
                outcome,
                baseline,
                answerChars,
                baselineChars,
                truncatedOrEmpty,
                preference,
                publishedAt,
                judgedAt,
                requestId,
                rationale,
                scoreMin,
                scoreMax,
                categories,
                judgeVersion,
                instructionDifficulty,
                pairOrder,
                pairVerdicts,
                correctPosition,
                human,
                null);
    }

    /** A slot that is not a human label. */
    public Slot(
            String judgmentId,
            int revision,
            boolean correct,
            String category,
            boolean unparseable,
            String itemId,
            String modelId,
            JudgmentKind kind,
            String format,
            String judgeId,
            Double score,
            PairwiseOutcome outcome,
            String baseline,
            Integer answerChars,
            Integer baselineChars,
            Boolean truncatedOrEmpty,
            Double preference,
            Instant publishedAt,
            Instant judgedAt,
            String requestId,
            String rationale,
            Double scoreMin,
            Double scoreMax,
            List<String> categories,
            String judgeVersion,
            Double instructionDifficulty,
            String pairOrder,
            List<String> pairVerdicts,
            Integer correctPosition) {
        this(
                judgmentId,
                revision,
                correct,
                category,
                unparseable,
                itemId,
                modelId,
                kind,
                format,
                judgeId,
                score,
                outcome,
                baseline,
                answerChars,
                baselineChars,
                truncatedOrEmpty,
                preference,
                publishedAt,
                judgedAt,
                requestId,
                rationale,
                scoreMin,
                scoreMax,
                categories,
                judgeVersion,
                instructionDifficulty,
                pairOrder,
                pairVerdicts,
                correctPosition,
                false);
    }

    /** A slot that does not say where the correct choice was shown. */
    public Slot(
            String judgmentId,
            int revision,
            boolean correct,
            String category,
            boolean unparseable,
            String itemId,
            String modelId,
            JudgmentKind kind,
            String format,
            String judgeId,
            Double score,
            PairwiseOutcome outcome,
            String baseline,
            Integer answerChars,
            Integer baselineChars,
            Boolean truncatedOrEmpty,
            Double preference,
            Instant publishedAt,
            Instant judgedAt,
            String requestId,
            String rationale,
            Double scoreMin,
            Double scoreMax,
            List<String> categories,
            String judgeVersion,
            Double instructionDifficulty,
            String pairOrder,
            List<String> pairVerdicts) {
        this(
                judgmentId,
                revision,
                correct,
                category,
                unparseable,
                itemId,
                modelId,
                kind,
                format,
                judgeId,
                score,
                outcome,
                baseline,
                answerChars,
                baselineChars,
                truncatedOrEmpty,
                preference,
                publishedAt,
                judgedAt,
                requestId,
                rationale,
                scoreMin,
                scoreMax,
                categories,
                judgeVersion,
                instructionDifficulty,
                pairOrder,
                pairVerdicts,
                null);
    }

    /** A reference verdict with only the fields the accuracy tallies need. */
    public Slot(String judgmentId, int revision, boolean correct, String category, boolean unparseable) {
        this(
                judgmentId,
                revision,
                correct,
                category,
                unparseable,
                null,
                null,
                JudgmentKind.CORRECT,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                category == null ? null : List.of(category),
                null,
                null,
                null,
                null,
                null);
    }

    /** The slot content of a (schema-valid) judgment. */
    public static Slot of(Judgment j, int revision) {
        Judgment.Pairwise p = j.pairwise();
        String baseline = p != null ? p.baselineModel() : baselineOfPreference(j);
        return new Slot(
                j.judgmentId(),
                revision,
                Boolean.TRUE.equals(j.correct()),
                j.category(),
                j.unparseable(),
                j.itemId(),
                j.subject().modelId(),
                j.kind(),
                j.subject().variant() == null ? null : j.subject().variant().format(),
                j.judge().id(),
                j.score() == null ? null : j.score().value(),
                p == null ? null : p.outcome(),
                baseline,
                j.subject().answerChars(),
                p == null ? JudgmentDetails.number(j, "baselineChars", Integer.class) : p.baselineChars(),
                // WildBench leaves a pair out of every bucket when either answer is truncated or empty.
                j.truncated() || j.empty() || p != null && p.baselineTruncatedOrEmpty(),
                j.preference(),
                j.publishedAt(),
                j.judgedAt(),
                j.subject().requestId(),
                j.rationale(),
                j.score() == null ? null : j.score().min(),
                j.score() == null ? null : j.score().max(),
                j.categoriesOrSingle(),
                judgeVersion(j),
                JudgmentDetails.number(j, "instructionDifficulty", Double.class),
                p == null ? null : p.order(),
                p == null || p.verdicts() == null ? null : List.copyOf(p.verdicts()),
                JudgmentDetails.correctPosition(j),
                j.origin() == Origin.HUMAN,
                JudgmentDetails.juryVerdicts(j));
    }

    /**
     * The version of the judge that made {@code j}: {@link JudgeSpec#versionKey()} (its version, prompt
     * version, declared scale and judge model or jury). Scores of a judge that declares no scale are kept to one scale by the
     * views ({@link Leaderboards#currentScale}).
     */
    public static String judgeVersion(Judgment j) {
        return j.judge().versionKey();
    }

    /** The score's scale as {@code min..max}, {@code null} without a score. */
    public String scale() {
        return scoreMin == null || scoreMax == null ? null : new JudgeSpec.Scale(scoreMin, scoreMax).toString();
    }

    /** The categories the slot counts in: {@code categories}, else {@code category} alone, else none. */
    public List<String> categoriesOrSingle() {
        if (categories != null) {
            return categories;
        }
        return category == null ? List.of() : List.of(category);
    }

    /**
     * This slot without what only the per-item drill-down shows (the rationale, the raw pairwise verdicts and
     * their order): what the tallies keep, since no tally reads them and a rationale runs to 2,000 characters.
     * The drill-down reads the whole slot from the store.
     */
    public Slot withoutDrillDown() {
        return rationale == null && pairVerdicts == null && pairOrder == null
                ? this
                : lean(Canon.NONE, requestId, answerChars, baselineChars);
    }

    /**
     * This slot as a view computed from every slot holds it ({@link ViewSlots}): {@link #withoutDrillDown}; the
     * answer lengths only on a pairwise or preference verdict (the length-controlled views' input, which no
     * other kind's view reads); the request id only on an item with a human label ({@code labelled}: only
     * {@code judge-agreement} reads it, to match a label with the verdicts of the same answer); and its values
     * that repeat from slot to slot (item, model, judge and baseline ids, judge version, format, categories,
     * scale, publication time, instruction difficulty) the ones {@code canon} was handed first. The values of
     * one judgment alone (its id, judgment time, score, preference) are kept as they are: sharing them would
     * cost a canon entry each and save nothing.
     */
    public Slot forViews(Canon canon, boolean labelled) {
        boolean lengths = kind == JudgmentKind.PAIRWISE || kind == JudgmentKind.PREFERENCE;
        return lean(canon, labelled ? requestId : null, lengths ? answerChars : null, lengths ? baselineChars : null);
    }

    private Slot lean(Canon canon, String requestId, Integer answerChars, Integer baselineChars) {
        return new Slot(
                judgmentId,
                revision,
                correct,
                canon.of(category),
                unparseable,
                canon.of(itemId),
                canon.of(modelId),
                kind,
                canon.of(format),
                canon.of(judgeId),
                score,
                outcome,
                canon.of(baseline),
                answerChars,
                baselineChars,
                truncatedOrEmpty,
                preference,
                canon.of(publishedAt),
                judgedAt,
                requestId,
                null,
                canon.of(scoreMin),
                canon.of(scoreMax),
                canon.of(categories),
                canon.of(judgeVersion),
                canon.of(instructionDifficulty),
                null,
                null,
                correctPosition,
                human,
                juryVerdicts);
    }

    /** Whether the score is on WildBench's 1–10 scale (a slot stored before scales were kept is taken to be). */
    public boolean onWildBenchScale() {
        return scoreMin == null || scoreMin == 1.0 && scoreMax != null && scoreMax == 10.0;
    }

    /**
     * A preference judgment's baseline: the {@code baselineModel} the judge writes in its details,
     * else its judge's first baseline (AlpacaEval has one; imported judgments may say it either way).
     */
    static String baselineOfPreference(Judgment j) {
        if (j.kind() != JudgmentKind.PREFERENCE) {
            return null;
        }
        if (j.details() != null && j.details().get("baselineModel") instanceof String named && !named.isBlank()) {
            return named;
        }
        if (j.judge().baselines() == null || j.judge().baselines().isEmpty()) {
            return null;
        }
        return j.judge().baselines().get(0);
    }
}
