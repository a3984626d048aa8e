package io.assay.promptgenerator.prompts;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Choices;
import io.assay.contracts.PromptTemplate;
import io.assay.contracts.Variant;

/**
 * One variant of a benchmark's items together with the template that renders it.
 *
 * @param variant the variant named in the request (and hashed into its id), without a choice order
 * @param template the prompt format it uses
 * @param shuffleChoices whether choice items are shown in their own order ({@link #forItem})
 */
public record PlannedVariant(Variant variant, PromptTemplate template, boolean shuffleChoices) {

    /** A variant in canonical choice order. */
    public PlannedVariant(Variant variant, PromptTemplate template) {
        this(variant, template, false);
    }

    /**
     * The variant's stable label, e.g. {@code plain@1#0}, with {@code /shuffled} when choices are shuffled: a
     * benchmark that starts (or stops) shuffling has new variants, which its known items are back-filled with.
     */
    public String label() {
        return shuffleChoices ? variant.label() + "/shuffled" : variant.label();
    }

    /**
     * The variant {@code item} is asked in: with {@code shuffleChoices} and two or more choices, carrying the
     * item's permutation ({@link Choices#permutation} of the benchmark, item id, format and sample); else as
     * planned.
     */
    public Variant forItem(BenchmarkItem item) {
        if (!shuffleChoices || item.choices() == null || item.choices().size() < 2) {
            return variant;
        }
        return new Variant(
                variant.format(),
                variant.formatVersion(),
                variant.sample(),
                Choices.permutation(
                        item.benchmark(), item.itemId(), variant, item.choices().size()));
    }
}
