package io.assay.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    @Test
    void allOrAbsentAsksEveryModel() {
        assertThat(Evaluation.asks(null, "b", "i", "m")).isTrue();
        assertThat(new Evaluation(Evaluation.ALL, null, 0.0).asks("b", "i", "m"))
                .isTrue();
        assertThat(new Evaluation(null, null, 0.0).asks("b", "i", "m")).isTrue();
    }

    @Test
    void anchorsAreAskedEverythingTheOthersTheirShareDeterministically() {
        Evaluation e = new Evaluation(Evaluation.ANCHORS, List.of("anchor"), null);
        int asked = 0;
        for (int i = 0; i < 3000; i++) {
            assertThat(e.asks("b", "i" + i, "anchor")).isTrue();
            boolean once = e.asks("b", "i" + i, "other");
            assertThat(e.asks("b", "i" + i, "other")).isEqualTo(once);
            asked += once ? 1 : 0;
        }
        // a third of 3,000, binomial sd 26
        assertThat(asked).isBetween(900, 1100);
        assertThat(new Evaluation(Evaluation.ANCHORS, List.of(), 0.0).asks("b", "i", "m"))
                .isFalse();
        assertThat(new Evaluation(Evaluation.ANCHORS, List.of(), 1.0).asks("b", "i", "m"))
                .isTrue();
    }

    @Test
    void aSpecWithAPolicyReadsBackAndOneWithoutHasNone() {
        BenchmarkSpec spec = new BenchmarkSpec(
                "b",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new Evaluation(Evaluation.ANCHORS, List.of("a"), 0.25));
        byte[] bytes = Json.writeBytes(spec);
        assertThat(EventType.BENCHMARK_SPEC.violations(Json.tree(bytes))).isEmpty();
        BenchmarkSpec back = EventType.BENCHMARK_SPEC.parse(bytes, BenchmarkSpec.class);
        assertThat(back.evaluation()).isEqualTo(spec.evaluation());
        assertThat(BenchmarkSpec.defaults("b").evaluation()).isNull();
    }
}
