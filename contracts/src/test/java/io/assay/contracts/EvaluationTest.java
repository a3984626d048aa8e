package io.assay.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    @Test
    void allOrAbsentAsksEveryModel() {
        assertThat(Evaluation.asks(null, "b", "i", "m")).isTrue();
        assertThat(new Evaluation(Evaluation.ALL, null, 0.0, null).asks("b", "i", "m"))
                .isTrue();
        assertThat(new Evaluation(null, null, 0.0, null).asks("b", "i", "m")).isTrue();
    }

    @Test
    void anchorsAreAskedEverythingTheOthersTheirShareDeterministically() {
        Evaluation e = new Evaluation(Evaluation.ANCHORS, List.of("anchor"), null, null);
        int asked = 0;
        for (int i = 0; i < 3000; i++) {
            assertThat(e.asks("b", "i" + i, "anchor")).isTrue();
            boolean once = e.asks("b", "i" + i, "other");
            assertThat(e.asks("b", "i" + i, "other")).isEqualTo(once);
            asked += once ? 1 : 0;
        }
        // a third of 3,000, binomial sd 26
        assertThat(asked).isBetween(900, 1100);
        assertThat(new Evaluation(Evaluation.ANCHORS, List.of(), 0.0, null).asks("b", "i", "m"))
                .isFalse();
        assertThat(new Evaluation(Evaluation.ANCHORS, List.of(), 1.0, null).asks("b", "i", "m"))
                .isTrue();
    }

    @Test
    void spreadTakesEvenlySpacedModelsOfTheRankingBestAndWorstIncluded() {
        List<String> seven = List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6");
        // positions round(j * 6 / 2) = 0, 3, 6
        assertThat(Evaluation.spread(seven, 3)).containsExactly("m0", "m3", "m6");
        // positions round(j * 6 / 3) = 0, 2, 4, 6
        assertThat(Evaluation.spread(seven, 4)).containsExactly("m0", "m2", "m4", "m6");
        // positions round(j * 6 / 4) = 0, round(1.5) = 2, 3, round(4.5) = 5, 6
        assertThat(Evaluation.spread(seven, 5)).containsExactly("m0", "m2", "m3", "m5", "m6");
        assertThat(Evaluation.spread(seven, 1)).containsExactly("m3");
        assertThat(Evaluation.spread(seven, 9)).isEqualTo(seven);
        assertThat(Evaluation.spread(List.of(), 2)).isEmpty();
    }

    @Test
    void theGeneratorChoosesAnchorsOnlyWhenNoneAreNamedAndACountIsGiven() {
        assertThat(new Evaluation(Evaluation.ANCHORS, null, null, 3).choosesAnchors())
                .isTrue();
        assertThat(new Evaluation(Evaluation.ANCHORS, List.of(), null, 3).choosesAnchors())
                .isTrue();
        assertThat(new Evaluation(Evaluation.ANCHORS, List.of("a"), null, 3).choosesAnchors())
                .isFalse();
        assertThat(new Evaluation(Evaluation.ANCHORS, null, null, null).choosesAnchors())
                .isFalse();
        assertThat(new Evaluation(Evaluation.ALL, null, null, 3).choosesAnchors())
                .isFalse();
        Evaluation chosen = new Evaluation(Evaluation.ANCHORS, null, 0.0, 2).withAnchors(List.of("a"));
        assertThat(chosen.asks("b", "i", "a")).isTrue();
        assertThat(chosen.asks("b", "i", "m")).isFalse();
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
                new Evaluation(Evaluation.ANCHORS, List.of("a"), 0.25, 2));
        byte[] bytes = Json.writeBytes(spec);
        assertThat(EventType.BENCHMARK_SPEC.violations(Json.tree(bytes))).isEmpty();
        BenchmarkSpec back = EventType.BENCHMARK_SPEC.parse(bytes, BenchmarkSpec.class);
        assertThat(back.evaluation()).isEqualTo(spec.evaluation());
        assertThat(BenchmarkSpec.defaults("b").evaluation()).isNull();
    }
}
