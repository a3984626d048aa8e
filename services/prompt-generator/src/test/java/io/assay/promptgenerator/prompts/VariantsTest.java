package io.assay.promptgenerator.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.PromptTemplate;
import java.util.List;
import org.junit.jupiter.api.Test;

class VariantsTest {

    @Test
    void anUnregisteredBenchmarkHasTheOnePlainVariant() {
        List<PlannedVariant> variants = Variants.of(BenchmarkSpec.defaults("b"));

        assertThat(variants).extracting(PlannedVariant::label).containsExactly("plain@1#0");
        assertThat(variants.get(0).template()).isEqualTo(BenchmarkSpec.DEFAULT_TEMPLATE);
    }

    @Test
    void everyTemplateTimesEverySample() {
        PromptTemplate a = new PromptTemplate("a", "1", null, "{{input}}");
        PromptTemplate b = new PromptTemplate("b", "3", null, "Q: {{input}}");
        BenchmarkSpec spec = new BenchmarkSpec("b", null, List.of(a, b), 2, null, null, null, null, null);

        List<PlannedVariant> variants = Variants.of(spec);

        assertThat(variants).extracting(PlannedVariant::label).containsExactly("a@1#0", "a@1#1", "b@3#0", "b@3#1");
        assertThat(variants).allMatch(v -> v.variant().permutation() == null);
    }

    @Test
    void shufflingVariantsAreNewVariants() {
        // A benchmark that starts shuffling gets variants of other labels, so its known items are back-filled.
        BenchmarkSpec spec = new BenchmarkSpec("b", null, null, 2, true, null, null, null, null);

        assertThat(Variants.of(spec))
                .extracting(PlannedVariant::label)
                .containsExactly("plain@1#0/shuffled", "plain@1#1/shuffled");
        assertThat(Variants.of(spec))
                .allMatch(v -> v.shuffleChoices() && v.variant().permutation() == null);
    }
}
