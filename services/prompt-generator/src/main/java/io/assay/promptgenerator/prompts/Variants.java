package io.assay.promptgenerator.prompts;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.PromptTemplate;
import io.assay.contracts.Variant;
import java.util.ArrayList;
import java.util.List;

/** The variants every item of a benchmark is prompted in: each template times each sample. */
public final class Variants {
    private Variants() {}

    /**
     * The variants of a benchmark, in template order then sample order. Their {@code permutation} is
     * {@code null}: a choice order belongs to an item, and {@link PlannedVariant#forItem} draws it when the
     * benchmark's spec says {@code shuffleChoices}.
     */
    public static List<PlannedVariant> of(BenchmarkSpec spec) {
        List<PlannedVariant> variants = new ArrayList<>();
        int samples = spec.samplesOrDefault();
        boolean shuffle = Boolean.TRUE.equals(spec.shuffleChoices());
        for (PromptTemplate template : spec.templatesOrDefault()) {
            for (int sample = 0; sample < samples; sample++) {
                variants.add(new PlannedVariant(
                        new Variant(template.id(), template.version(), sample, null), template, shuffle));
            }
        }
        return variants;
    }
}
