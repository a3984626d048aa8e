package io.assay.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A request for one model to answer one variant of one item (purpose EVALUATE), or for a judge
 * model to judge answers (purpose JUDGE). Keyed {@code benchmark/itemId} on {@code assay.prompts}.
 *
 * @param requestId deterministic: see {@link Ids#requestId}
 * @param purpose evaluate or judge
 * @param benchmark the benchmark
 * @param itemId the item
 * @param revision the item revision prompted
 * @param modelId the model to call
 * @param variant which variant of the item
 * @param messages the messages to send
 * @param params sampling parameters
 * @param category the item's category
 * @param publishedAt the item's event time
 * @param answerFormat the expected answer format
 * @param choices the choices in the order shown (choice items): the item's, permuted by
 *     {@code variant.permutation} ({@link Choices#shown})
 * @param simulation ground truth for {@code sim} models only
 * @param judgeId for JUDGE requests, the judge asking
 * @param subjectRequestIds for JUDGE requests, the requests whose answers are judged
 * @param createdAt when the request was made
 */
public record PromptRequest(
        String requestId,
        Purpose purpose,
        String benchmark,
        String itemId,
        int revision,
        String modelId,
        Variant variant,
        List<Message> messages,
        SamplingParams params,
        String category,
        Instant publishedAt,
        AnswerFormat answerFormat,
        List<String> choices,
        SimHints simulation,
        String judgeId,
        List<String> subjectRequestIds,
        Instant createdAt) {

    /** The Kafka key. */
    public String key() {
        return Keys.item(benchmark, itemId);
    }
}
