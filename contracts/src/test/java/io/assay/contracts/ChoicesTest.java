package io.assay.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChoicesTest {
    private static final Variant PLAIN_0 = new Variant("plain", "1", 0, null);

    @Test
    void thePermutationIsTheDocumentedShuffle() {
        // Given item mmlu/q1, format plain, sample 0 and four choices. The draws, computed apart from this
        // code (Python's hashlib over "choice-order␟mmlu␟q1␟plain␟0␟i␟"), first 8 bytes of SHA-256:
        //   i = 3: 9f28e40e5785c25f = 11468667201348026975, mod 4 = 3 → swap p[3], p[3]: [0, 1, 2, 3]
        //   i = 2: 543153ab0b56b340 =  6066722167139513152, mod 3 = 1 → swap p[2], p[1]: [0, 2, 1, 3]
        //   i = 1: 7f500011875f0a34 =  9173832516239297076, mod 2 = 0 → swap p[1], p[0]: [2, 0, 1, 3]
        assertThat(Choices.permutation("mmlu", "q1", PLAIN_0, 4)).containsExactly(2, 0, 1, 3);
        // Sample 1: i = 3 → 16214261210891104596 mod 4 = 0: [3, 1, 2, 0]; i = 2 → 6499516956427799903 mod 3 = 2:
        // unchanged; i = 1 → 15532155063189670986 mod 2 = 0: [1, 3, 2, 0].
        assertThat(Choices.permutation("mmlu", "q1", new Variant("plain", "1", 1, null), 4))
                .containsExactly(1, 3, 2, 0);
    }

    @Test
    void thePermutationDependsOnTheIdsOnly() {
        // The template version and a permutation already on the variant are not inputs.
        assertThat(Choices.permutation("mmlu", "q1", new Variant("plain", "7", 0, List.of(3, 2, 1, 0)), 4))
                .containsExactly(2, 0, 1, 3);
        // Every item gets a valid permutation, and they are not all the same.
        Set<List<Integer>> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            List<Integer> p = Choices.permutation("mmlu", "q" + i, PLAIN_0, 4);
            assertThat(Choices.isPermutation(p, 4)).isTrue();
            seen.add(p);
        }
        assertThat(seen.size()).isGreaterThan(10);
        assertThat(Choices.permutation("b", "one", PLAIN_0, 1)).containsExactly(0);
        assertThat(Choices.permutation("b", "none", PLAIN_0, 0)).isEmpty();
    }

    @Test
    void shownPositionIsTheInverseOfCanonical() {
        for (int item = 0; item < 20; item++) {
            List<Integer> p = Choices.permutation("b", "i" + item, PLAIN_0, 5);
            for (int c = 0; c < 5; c++) {
                assertThat(Choices.canonical(Choices.shownPosition(c, p, 5), p, 5))
                        .isEqualTo(c);
                assertThat(Choices.shownPosition(Choices.canonical(c, p, 5), p, 5))
                        .isEqualTo(c);
            }
        }
        // By hand for [2, 0, 1, 3]: shown A holds canonical C, so canonical C is shown at 0, canonical A at 1.
        List<Integer> p = List.of(2, 0, 1, 3);
        assertThat(Choices.canonical(0, p, 4)).isEqualTo(2);
        assertThat(Choices.shownPosition(2, p, 4)).isEqualTo(0);
        assertThat(Choices.shownPosition(0, p, 4)).isEqualTo(1);
        // No permutation: canonical order.
        assertThat(Choices.shownPosition(3, null, 4)).isEqualTo(3);
        assertThat(Choices.canonical(1, List.of(), 4)).isEqualTo(1);
    }

    @Test
    void choicesRenderInTheOrderShown() {
        List<String> choices = List.of("alpha", "beta", "gamma", "delta");
        assertThat(Choices.shown(choices, List.of(2, 0, 1, 3))).containsExactly("gamma", "alpha", "beta", "delta");
        assertThat(Choices.lettered(Choices.shown(choices, List.of(2, 0, 1, 3))))
                .isEqualTo("A. gamma\nB. alpha\nC. beta\nD. delta");
        assertThat(Choices.lettered(Choices.shown(choices, null))).isEqualTo("A. alpha\nB. beta\nC. gamma\nD. delta");
        assertThat(Choices.lettered(List.of())).isEmpty();
    }

    @Test
    void aPermutationThatDoesNotFitIsRefused() {
        assertThat(Choices.isPermutation(List.of(0, 1, 1), 3)).isFalse();
        assertThat(Choices.isPermutation(List.of(0, 1), 3)).isFalse();
        assertThat(Choices.isPermutation(List.of(0, 3, 1), 3)).isFalse();
        assertThatThrownBy(() -> Choices.shown(List.of("x", "y"), List.of(0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theReferenceNamesACanonicalChoiceByTextThenByLetter() {
        List<String> choices = List.of("The blue curve", "The red curve", "The green curve");
        assertThat(Choices.referenceIndex("the  RED curve.", choices)).hasValue(1);
        assertThat(Choices.referenceIndex("c", choices)).hasValue(2);
        assertThat(Choices.referenceIndex("(B)", choices)).hasValue(1);
        assertThat(Choices.referenceIndex("option A", choices)).hasValue(0);
        assertThat(Choices.referenceIndex("D", choices)).isEmpty();
        assertThat(Choices.referenceIndex("purple", choices)).isEmpty();
        // Text first: a choice that is itself a letter is found by its text.
        assertThat(Choices.referenceIndex("A", List.of("B", "A"))).hasValue(1);
    }
}
