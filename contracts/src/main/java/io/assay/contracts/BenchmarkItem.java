package io.assay.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One benchmark item, as published by a data-collection system to {@code assay.items}. Keyed by
 * {@code benchmark/itemId}; the latest revision wins.
 *
 * @param benchmark the benchmark it belongs to
 * @param itemId unique within the benchmark
 * @param revision increases when the item's content changes (default 1)
 * @param publishedAt when the item came into existence (event time; contamination windows)
 * @param source where it came from (a paper, a generator, a crawl)
 * @param category the category for per-category and macro-averaged views
 * @param tags free labels
 * @param prompt the input as a single user prompt (either this or {@code messages})
 * @param messages the input as chat messages, possibly multimodal
 * @param choices options of a multiple-choice item, in canonical order
 * @param reference the correct answer(s)
 * @param difficulty optional latent difficulty (Rasch b) on a logit scale; generated items know it
 * @param metadata anything else
 */
public record BenchmarkItem(
        String benchmark,
        String itemId,
        Integer revision,
        Instant publishedAt,
        String source,
        String category,
        List<String> tags,
        String prompt,
        List<Message> messages,
        List<String> choices,
        Reference reference,
        Double difficulty,
        Map<String, Object> metadata) {

    /** The category used when an item has none. */
    public static final String DEFAULT_CATEGORY = "uncategorized";

    /** The Kafka key of this item and of every event about it. */
    public String key() {
        return Keys.item(benchmark, itemId);
    }

    /** The revision, 1 when absent. */
    public int revisionOrDefault() {
        return revision == null ? 1 : revision;
    }

    /** The category, {@value #DEFAULT_CATEGORY} when absent. */
    public String categoryOrDefault() {
        return category == null || category.isBlank() ? DEFAULT_CATEGORY : category;
    }

    /** The input as chat messages (a {@code prompt} becomes one user message). */
    public List<Message> inputMessages() {
        return messages != null && !messages.isEmpty() ? messages : List.of(Message.user(prompt));
    }
}
