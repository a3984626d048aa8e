package io.assay.contracts;

import java.util.List;

/**
 * Which variant of an item a prompt is: the prompt format, the repeated sample, and for
 * multiple-choice items the order the choices were shown in.
 *
 * @param format the {@link PromptTemplate} id
 * @param formatVersion the template version
 * @param sample the sample index, from 0
 * @param permutation shown position i holds canonical choice {@code permutation[i]} ({@link Choices}); absent
 *     means canonical order. Set on the variants of choice items of a benchmark with {@code shuffleChoices}
 */
public record Variant(String format, String formatVersion, int sample, List<Integer> permutation) {

    /** A short stable label, e.g. {@code plain@1#0}. */
    public String label() {
        String base = format + "@" + formatVersion + "#" + sample;
        return permutation == null || permutation.isEmpty() ? base : base + "/p" + permutation;
    }
}
