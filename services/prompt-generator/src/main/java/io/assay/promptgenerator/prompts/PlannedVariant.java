package io.assay.promptgenerator.prompts;

import io.assay.contracts.PromptTemplate;
import io.assay.contracts.Variant;

/**
 * One variant of a benchmark's items together with the template that renders it.
 *
 * @param variant the variant named in the request (and hashed into its id)
 * @param template the prompt format it uses
 */
public record PlannedVariant(Variant variant, PromptTemplate template) {

    /** The variant's stable label, e.g. {@code plain@1#0}. */
    public String label() {
        return variant.label();
    }
}
