package io.assay.kit.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class CountersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void eachCombinationOfValuesIsTheRegistrysCounterOfThoseTags() {
        Counters judgments = new Counters(registry, "assay.test.judgments", "benchmark", "outcome");
        judgments.of("b1", "counted").increment();
        judgments.of("b1", "counted").increment();
        judgments.of("b1", "duplicate").increment();
        judgments.of("b2", "counted").increment(3);

        assertThat(registry.get("assay.test.judgments")
                        .tags("benchmark", "b1", "outcome", "counted")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("assay.test.judgments")
                        .tags("benchmark", "b1", "outcome", "duplicate")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("assay.test.judgments")
                        .tags("benchmark", "b2", "outcome", "counted")
                        .counter()
                        .count())
                .isEqualTo(3);
        assertThat(registry.get("assay.test.judgments").counters()).hasSize(3);
        assertThat(judgments.of("b1", "counted"))
                .isSameAs(registry.counter("assay.test.judgments", "outcome", "counted", "benchmark", "b1"));
    }

    @Test
    void aCounterWithoutTagsIsOne() {
        Counters skipped = new Counters(registry, "assay.test.skipped");
        skipped.of().increment();
        skipped.of().increment();
        assertThat(registry.get("assay.test.skipped").counter().count()).isEqualTo(2);
    }

    @Test
    void theWrongNumberOfValuesOrANullValueIsRefused() {
        Counters judgments = new Counters(registry, "assay.test.judgments", "benchmark", "outcome");
        assertThatThrownBy(() -> judgments.of("b1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes 2 tag values [benchmark, outcome], got 1");
        assertThatThrownBy(() -> judgments.of("b1", null)).isInstanceOf(NullPointerException.class);
        assertThat(registry.find("assay.test.judgments").counters()).isEmpty();
    }
}
