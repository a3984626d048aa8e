package io.assay.contracts;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * @param categories several categories, when the item belongs to more than one (WildBench counts an
 *     item in the category of each of its tags); with {@code category}, both count
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
        List<String> categories,
        List<String> tags,
        String prompt,
        List<Message> messages,
        List<String> choices,
        Reference reference,
        Double difficulty,
        Map<String, Object> metadata) {

    /** The category used when an item has none. */
    public static final String DEFAULT_CATEGORY = "uncategorized";

    /** An item with one category (or none). */
    public BenchmarkItem(
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
        this(
                benchmark,
                itemId,
                revision,
                publishedAt,
                source,
                category,
                null,
                tags,
                prompt,
                messages,
                choices,
                reference,
                difficulty,
                metadata);
    }

    /** The Kafka key of this item and of every event about it. */
    public String key() {
        return Keys.item(benchmark, itemId);
    }

    /** The revision, 1 when absent. */
    public int revisionOrDefault() {
        return revision == null ? 1 : revision;
    }

    /** The first category ({@code category}, else the first of {@code categories}), {@value #DEFAULT_CATEGORY} when none. */
    public String categoryOrDefault() {
        return categoriesUnder(null).get(0);
    }

    /**
     * Every category the item counts in, without repeats, in order: {@code category}, then
     * {@code categories}, then the category {@code tagCategories} maps each of its tags to (tags the map
     * does not name add none: WildBench's {@code task_group_new} over primary and secondary tags,
     * {@code leaderboard/data_dir/_create_tables.py} lines 25–31); {@value #DEFAULT_CATEGORY} when that
     * leaves none.
     */
    public List<String> categoriesUnder(Map<String, String> tagCategories) {
        Set<String> out = new LinkedHashSet<>();
        if (category != null && !category.isBlank()) {
            out.add(category);
        }
        if (categories != null) {
            categories.stream().filter(c -> c != null && !c.isBlank()).forEach(out::add);
        }
        if (tags != null && tagCategories != null) {
            tags.stream()
                    .map(tagCategories::get)
                    .filter(c -> c != null && !c.isBlank())
                    .forEach(out::add);
        }
        return out.isEmpty() ? List.of(DEFAULT_CATEGORY) : List.copyOf(out);
    }

    /** This item counted in exactly {@code categories} (non-empty): the first becomes {@code category}. */
    public BenchmarkItem withCategories(List<String> categories) {
        return new BenchmarkItem(
                benchmark,
                itemId,
                revision,
                publishedAt,
                source,
                categories.get(0),
                List.copyOf(categories),
                tags,
                prompt,
                messages,
                choices,
                reference,
                difficulty,
                metadata);
    }

    /** The input as chat messages (a {@code prompt} becomes one user message). */
    public List<Message> inputMessages() {
        return messages != null && !messages.isEmpty() ? messages : List.of(Message.user(prompt));
    }
}
