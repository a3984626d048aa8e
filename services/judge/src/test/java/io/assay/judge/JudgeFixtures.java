package io.assay.judge;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.FinishReason;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.ModelResponse.TokenLogprob;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Protocol;
import io.assay.contracts.Purpose;
import io.assay.contracts.Reference;
import io.assay.contracts.Variant;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The events the judge's tests feed it, built once: items, model answers, judge replies and the specs
 * that name the judges. Two families recur: the numeric item {@code bench/item-1} that reference judges
 * score, and the chat items of benchmark {@value #JUDGED} that LLM judges read. Every answer is simulated,
 * took 1 ms, cost nothing and was answered now; what differs between tests is a parameter.
 */
public final class JudgeFixtures {
    /** The plain prompt format, first sample, choices in canonical order. */
    public static final Variant PLAIN = new Variant("plain", "1", 0, null);

    /** The benchmark of the chat items, registered with the judges under test. */
    public static final String JUDGED = "judged";

    /** When the items were published, unless a test says otherwise. */
    private static final Instant PUBLISHED = Instant.parse("2026-01-01T00:00:00Z");

    private JudgeFixtures() {}

    /** Revision 1 of an item with a single prompt, no category and no choices. */
    public static BenchmarkItem item(String benchmark, String itemId, String prompt, Reference reference) {
        return item(benchmark, itemId, null, prompt, null, reference);
    }

    /** Revision 1 of an item with a category and, for multiple choice, its {@code choices} (else null). */
    public static BenchmarkItem item(
            String benchmark,
            String itemId,
            String category,
            String prompt,
            List<String> choices,
            Reference reference) {
        return item(benchmark, itemId, 1, PUBLISHED, category, prompt, choices, reference);
    }

    /** Revision {@code revision} of {@code bench/item-1}, whose answer is {@code value} exactly. */
    public static BenchmarkItem numericItem(int revision, double value) {
        return item("bench", "item-1", revision, PUBLISHED, null, "q" + revision, null, Reference.numeric(value, 0));
    }

    /** A chat item of {@value #JUDGED} ("Explain tides.") whose checklist asks that it cites a source. */
    public static BenchmarkItem chatItem(String itemId, int revision) {
        return chatItem(itemId, revision, PUBLISHED, "Explain tides.");
    }

    /** A chat item of {@value #JUDGED} published at {@code publishedAt} with its own prompt. */
    public static BenchmarkItem chatItem(String itemId, int revision, Instant publishedAt, String prompt) {
        return item(
                JUDGED,
                itemId,
                revision,
                publishedAt,
                "chat",
                prompt,
                null,
                new Reference(null, null, null, null, List.of("cites a source")));
    }

    /** Model {@code sim}'s plain answer to revision {@code revision} of {@code bench/item-1}. */
    public static ModelResponse numericAnswer(String requestId, int revision, String output) {
        return response(
                requestId,
                Purpose.EVALUATE,
                "bench",
                "item-1",
                revision,
                "sim",
                PLAIN,
                null,
                output,
                FinishReason.STOP,
                null,
                null,
                null);
    }

    /**
     * {@code model}'s answer to a chat item of {@value #JUDGED}, with the latent {@code quality} a sim
     * judge grades it by (null: none).
     */
    public static ModelResponse chatAnswer(
            String requestId,
            String itemId,
            int revision,
            String model,
            Variant variant,
            String output,
            FinishReason finish,
            Double quality) {
        return response(
                requestId,
                Purpose.EVALUATE,
                JUDGED,
                itemId,
                revision,
                model,
                variant,
                "chat",
                output,
                finish,
                null,
                null,
                quality);
    }

    /** The judge model's reply to a judge request the judge sent. */
    public static ModelResponse reply(PromptRequest request, String output) {
        return judgeReply(
                request.requestId(),
                request.benchmark(),
                request.itemId(),
                request.revision(),
                request.modelId(),
                request.variant(),
                request.judgeId(),
                output);
    }

    /** A judge model's reply naming its request, item, model and judge, whether or not it was asked. */
    public static ModelResponse judgeReply(
            String requestId,
            String benchmark,
            String itemId,
            int revision,
            String judgeModel,
            Variant variant,
            String judgeId,
            String output) {
        return response(
                requestId,
                Purpose.JUDGE,
                benchmark,
                itemId,
                revision,
                judgeModel,
                variant,
                null,
                output,
                FinishReason.STOP,
                judgeId,
                null,
                null);
    }

    /**
     * A preference judge's one-token reply: label A with probability {@code pA}, B otherwise, and both
     * labels' log-probabilities as the first token's alternatives.
     */
    public static ModelResponse preferenceReply(PromptRequest request, double pA) {
        String label = pA >= 0.5 ? "A" : "B";
        TokenLogprob first = new TokenLogprob(
                label, Math.log(Math.max(pA, 1 - pA)), Map.of("A", Math.log(pA), "B", Math.log(1 - pA)));
        return response(
                request.requestId(),
                Purpose.JUDGE,
                request.benchmark(),
                request.itemId(),
                request.revision(),
                request.modelId(),
                request.variant(),
                null,
                label,
                FinishReason.STOP,
                request.judgeId(),
                List.of(first),
                null);
    }

    /** The pairwise judge {@code arena}: sim-judge compares each answer with model {@code base}'s. */
    public static JudgeSpec arena(Integer lengthPenalty, boolean positionSwap) {
        return new JudgeSpec(
                "arena",
                Protocol.PAIRWISE,
                null,
                null,
                "sim-judge",
                null,
                List.of("base"),
                lengthPenalty,
                positionSwap);
    }

    /** The score judge {@code wb-score}, asking {@code judgeModel}. */
    public static JudgeSpec scoreJudge(String judgeModel) {
        return new JudgeSpec("wb-score", Protocol.SCORE, null, null, judgeModel, null, null, null, null);
    }

    /** A benchmark registered with just these judges and nothing else declared. */
    public static BenchmarkSpec benchmarkSpec(String benchmark, JudgeSpec... judges) {
        return new BenchmarkSpec(benchmark, null, null, null, null, List.of(judges), Map.of(), List.of(), null);
    }

    private static BenchmarkItem item(
            String benchmark,
            String itemId,
            int revision,
            Instant publishedAt,
            String category,
            String prompt,
            List<String> choices,
            Reference reference) {
        return new BenchmarkItem(
                benchmark,
                itemId,
                revision,
                publishedAt,
                null,
                category,
                null,
                prompt,
                null,
                choices,
                reference,
                null,
                null);
    }

    private static ModelResponse response(
            String requestId,
            Purpose purpose,
            String benchmark,
            String itemId,
            int revision,
            String modelId,
            Variant variant,
            String category,
            String output,
            FinishReason finish,
            String judgeId,
            List<TokenLogprob> logprobs,
            Double quality) {
        return new ModelResponse(
                requestId,
                purpose,
                benchmark,
                itemId,
                revision,
                modelId,
                true,
                variant,
                category,
                null,
                output,
                finish,
                null,
                1L,
                0.0,
                false,
                1,
                null,
                judgeId,
                Instant.now(),
                logprobs,
                quality);
    }
}
