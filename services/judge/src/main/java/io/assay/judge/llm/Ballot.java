package io.assay.judge.llm;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.FinishReason;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Variant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The open state of one LLM judgment: which answers are judged, by which judge, and the verdict slots
 * (one per jury member and presentation order) still awaited. Kept in the judge's persistent
 * {@code ballots} store so verdicts arriving in any order, across restarts, complete it; its id is the
 * judgment's id.
 *
 * @param ballotId the judgment id: {@code Ids.judgmentId(judged request ids, judge)}
 * @param judge the resolved judge spec (method = template id, promptVersion = template version)
 * @param benchmark the benchmark
 * @param itemId the item
 * @param revision the item revision
 * @param category the item's category
 * @param publishedAt the item's event time
 * @param subject the answer judged
 * @param baseline the baseline answer (pairwise, preference), else {@code null}
 * @param slots the verdicts, awaited or received
 * @param done the judgment was emitted; later verdicts are duplicates
 * @param categories every category of the item ({@code null} in ballots stored before they were kept:
 *     {@code category} alone)
 * @param instructionDifficulty the item's {@code metadata.instruction_difficulty} (AlpacaEval's γ), carried
 *     into a preference judgment's details for the {@code lc-winrate} view; {@code null} when the item has
 *     none (and in ballots stored before it was kept)
 * @param openedAt when the judge opened it (its clock): the retention counts from it ({@code null} in ballots
 *     stored before it was kept: the first sweep that finds one stamps it)
 */
public record Ballot(
        String ballotId,
        JudgeSpec judge,
        String benchmark,
        String itemId,
        int revision,
        String category,
        Instant publishedAt,
        Answer subject,
        Answer baseline,
        List<Slot> slots,
        boolean done,
        List<String> categories,
        Double instructionDifficulty,
        Instant openedAt) {

    /** Order label: the subject's answer shown first (as A). */
    public static final String SUBJECT_FIRST = "subject_first";
    /** Order label: the baseline's answer shown first (as A). */
    public static final String BASELINE_FIRST = "baseline_first";

    /** The item metadata key of AlpacaEval's instruction difficulty γ (its column name upstream). */
    public static final String INSTRUCTION_DIFFICULTY_METADATA = "instruction_difficulty";
    /** The preference judgment's details key the aggregator's {@code lc-winrate} reads γ from. */
    public static final String INSTRUCTION_DIFFICULTY_DETAIL = "instructionDifficulty";

    /** The item's instruction difficulty when its metadata gives a number, else {@code null}. */
    static Double instructionDifficulty(BenchmarkItem item) {
        if (item.metadata() != null && item.metadata().get(INSTRUCTION_DIFFICULTY_METADATA) instanceof Number n) {
            return n.doubleValue();
        }
        return null;
    }

    /** Adds the item's instruction difficulty, when it has one, to a preference judgment's details. */
    void putInstructionDifficulty(Map<String, Object> details) {
        if (instructionDifficulty != null) {
            details.put(INSTRUCTION_DIFFICULTY_DETAIL, instructionDifficulty);
        }
    }

    /** Whether every slot has a verdict or is given up. */
    public boolean complete() {
        return slots.stream().allMatch(s -> !Slot.WAITING.equals(s.status()));
    }

    /** This ballot with slot {@code index} replaced. */
    public Ballot withSlot(int index, Slot slot) {
        List<Slot> copy = new ArrayList<>(slots);
        copy.set(index, slot);
        return new Ballot(
                ballotId,
                judge,
                benchmark,
                itemId,
                revision,
                category,
                publishedAt,
                subject,
                baseline,
                copy,
                done,
                categories,
                instructionDifficulty,
                openedAt);
    }

    /** This ballot marked done. */
    public Ballot finished() {
        return new Ballot(
                ballotId,
                judge,
                benchmark,
                itemId,
                revision,
                category,
                publishedAt,
                subject,
                baseline,
                slots,
                true,
                categories,
                instructionDifficulty,
                openedAt);
    }

    /** This ballot as opened at {@code at} (a ballot stored before the time was kept). */
    public Ballot withOpenedAt(Instant at) {
        return new Ballot(
                ballotId,
                judge,
                benchmark,
                itemId,
                revision,
                category,
                publishedAt,
                subject,
                baseline,
                slots,
                done,
                categories,
                instructionDifficulty,
                at);
    }

    /**
     * One answer shown to the judge.
     *
     * @param modelId the model that answered
     * @param requestId its request
     * @param variant the variant answered
     * @param chars its length in code points
     * @param truncated it stopped at the token limit
     * @param empty it is blank
     * @param simQuality its latent quality ({@code sim} models), for a {@code sim} judge
     */
    public record Answer(
            String modelId,
            String requestId,
            Variant variant,
            int chars,
            boolean truncated,
            boolean empty,
            Double simQuality) {

        /** An answer as a ballot records it. */
        public static Answer of(ModelResponse response) {
            String output = response.output() == null ? "" : response.output();
            return new Answer(
                    response.modelId(),
                    response.requestId(),
                    response.variant(),
                    output.codePointCount(0, output.length()),
                    response.finishReason() == FinishReason.LENGTH,
                    output.isBlank(),
                    response.simQuality());
        }
    }

    /**
     * One verdict of one judge model on one presentation order.
     *
     * @param member the judge model
     * @param order {@link #SUBJECT_FIRST}, {@link #BASELINE_FIRST}, or {@code null} (score)
     * @param requestId the first judge request of this slot
     * @param attempts judge requests sent (2 after a repair)
     * @param status {@link #WAITING}, {@link #PARSED} or {@link #UNPARSEABLE}
     * @param raw the judge's replies, in order
     * @param value the parsed verdict (see {@code ParsedVerdict.value}), as shown: A's side
     * @param label the verdict as written
     * @param rationale the judge's reasoning
     * @param problem why it is unparseable
     */
    public record Slot(
            String member,
            String order,
            String requestId,
            int attempts,
            String status,
            List<String> raw,
            Double value,
            String label,
            String rationale,
            String problem) {
        /** Awaiting the judge's reply. */
        public static final String WAITING = "waiting";
        /** A verdict was read. */
        public static final String PARSED = "parsed";
        /** No verdict after the repair attempt, or the judge call failed. */
        public static final String UNPARSEABLE = "unparseable";
    }
}
