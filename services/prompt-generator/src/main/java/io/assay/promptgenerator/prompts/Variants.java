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
     * The variants of a benchmark, in template order then sample order. Choice permutations are
     * not generated yet, so {@code permutation} is always {@code null}.
     */
    public static List<PlannedVariant> of(BenchmarkSpec spec) {
        List<PlannedVariant> variants = new ArrayList<>();
        int samples = spec.samplesOrDefault();
        for (PromptTemplate template : spec.templatesOrDefault()) {
            for (int sample = 0; sample < samples; sample++) {
                variants.add(
                        new PlannedVariant(new Variant(template.id(), template.version(), sample, null), template));
            }
        }
        return variants;
    }
}
