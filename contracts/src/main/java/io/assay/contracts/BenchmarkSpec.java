package io.assay.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A benchmark's configuration, on the compacted topic {@code assay.benchmarks} keyed by name.
 * Items of a benchmark that has no spec are evaluated with {@link #defaults(String)}.
 *
 * @param benchmark the name
 * @param description what it measures
 * @param templates prompt formats; each is a variant
 * @param samplesPerItem repeated samples per item and format (seed variance); default 1
 * @param shuffleChoices show the choices of multiple-choice items in a deterministic order per item and
 *     variant ({@link Choices#permutation}, carried as {@link Variant#permutation}); absent or false: canonical
 *     order
 * @param judges how answers are judged
 * @param categoryWeights weights of categories in macro averages; absent categories weigh 1. WildBench's
 *     task-macro figures divide by the sum of every weight declared here (WildBench's five by default)
 * @param tagCategories the category each item tag counts in (WildBench's tag → task group mapping); an
 *     item counts in its own categories and in those of its tags
 * @param baselines baseline models for pairwise views
 * @param updatedAt when this spec was published
 */
public record BenchmarkSpec(
        String benchmark,
        String description,
        List<PromptTemplate> templates,
        Integer samplesPerItem,
        Boolean shuffleChoices,
        List<JudgeSpec> judges,
        Map<String, Double> categoryWeights,
        Map<String, String> tagCategories,
        List<String> baselines,
        Instant updatedAt) {

    /** A spec without a tag mapping. */
    public BenchmarkSpec(
            String benchmark,
            String description,
            List<PromptTemplate> templates,
            Integer samplesPerItem,
            Boolean shuffleChoices,
            List<JudgeSpec> judges,
            Map<String, Double> categoryWeights,
            List<String> baselines,
            Instant updatedAt) {
        this(
                benchmark,
                description,
                templates,
                samplesPerItem,
                shuffleChoices,
                judges,
                categoryWeights,
                null,
                baselines,
                updatedAt);
    }

    /** The categories of {@code item} under this spec's tag mapping ({@link BenchmarkItem#categoriesUnder}). */
    public List<String> categoriesOf(BenchmarkItem item) {
        return item.categoriesUnder(tagCategories);
    }

    /** The format used when a benchmark declares none. */
    public static final PromptTemplate DEFAULT_TEMPLATE = new PromptTemplate(
            "plain",
            "1",
            null,
            "{{input}}\n{{choices}}\nThink briefly, then give your final answer on the last line as 'Answer: <answer>'.");

    /** The spec of an unregistered benchmark: one plain format, one sample, reference judging. */
    public static BenchmarkSpec defaults(String benchmark) {
        return new BenchmarkSpec(
                benchmark,
                null,
                List.of(DEFAULT_TEMPLATE),
                1,
                false,
                List.of(JudgeSpec.REFERENCE_AUTO),
                Map.of(),
                List.of(),
                null);
    }

    /** The templates, the default one when none are declared. */
    public List<PromptTemplate> templatesOrDefault() {
        return templates == null || templates.isEmpty() ? List.of(DEFAULT_TEMPLATE) : templates;
    }

    /** Samples per item, at least 1. */
    public int samplesOrDefault() {
        return samplesPerItem == null || samplesPerItem < 1 ? 1 : samplesPerItem;
    }

    /** The judges, reference judging when none are declared. */
    public List<JudgeSpec> judgesOrDefault() {
        return judges == null || judges.isEmpty() ? List.of(JudgeSpec.REFERENCE_AUTO) : judges;
    }
}
