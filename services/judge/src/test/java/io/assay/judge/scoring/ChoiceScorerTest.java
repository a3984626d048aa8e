package io.assay.judge.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChoiceScorerTest {
    private static final List<String> CHOICES = List.of("The blue curve", "The red curve", "The green curve", "They tie");
    private static final List<String> RED_BY_TEXT = List.of("The red curve");
    private static final List<String> RED_BY_LETTER = List.of("B");

    @Test
    void letterInManyShapes() {
        for (String answer : List.of("B", "(B)", "B.", "B)", "option B", "b", "[b]", "Option (B)")) {
            assertThat(ChoiceScorer.score(answer, CHOICES, null, RED_BY_LETTER).correct()).as(answer).isTrue();
        }
        assertThat(ChoiceScorer.score("C", CHOICES, null, RED_BY_LETTER).correct()).isFalse();
    }

    @Test
    void optionText() {
        assertThat(ChoiceScorer.score("the red curve", CHOICES, null, RED_BY_TEXT).correct()).isTrue();
        assertThat(ChoiceScorer.score("B) The red curve", CHOICES, null, RED_BY_TEXT).correct()).isTrue();
        assertThat(ChoiceScorer.score("The green curve", CHOICES, null, RED_BY_TEXT).correct()).isFalse();
    }

    @Test
    void referenceAsLetterOrTextNamesTheSameChoice() {
        assertThat(ChoiceScorer.score("B", CHOICES, null, RED_BY_TEXT).correct()).isTrue();
        assertThat(ChoiceScorer.score("The red curve", CHOICES, null, RED_BY_LETTER).correct()).isTrue();
    }

    @Test
    void permutationMapsTheShownLetterToTheCanonicalChoice() {
        // Given three choices shown in the order [2, 0, 1]: shown A is canonical C, shown B is canonical A,
        // shown C is canonical B.
        List<String> choices = List.of("alpha", "beta", "gamma");
        List<Integer> permutation = List.of(2, 0, 1);
        // When the reference is canonical C ("gamma"), Then only shown A is correct.
        assertThat(ChoiceScorer.score("A", choices, permutation, List.of("C")).correct()).isTrue();
        assertThat(ChoiceScorer.score("C", choices, permutation, List.of("C")).correct()).isFalse();
        // And answering with the text is independent of the order shown.
        assertThat(ChoiceScorer.score("gamma", choices, permutation, List.of("gamma")).correct()).isTrue();
        // And shown C is canonical B ("beta").
        Verdict verdict = ChoiceScorer.score("C", choices, permutation, List.of("beta"));
        assertThat(verdict.correct()).isTrue();
        assertThat(verdict.details()).containsEntry("shownIndex", 2).containsEntry("chosenIndex", 1)
                .containsEntry("expected", "B");
    }

    @Test
    void optionsThatLookLikeLettersAreFoundByTheirText() {
        List<String> xyz = List.of("x", "y", "z");
        assertThat(ChoiceScorer.score("x", xyz, null, List.of("x")).correct()).isTrue();
        assertThat(ChoiceScorer.score("z", xyz, null, List.of("x")).correct()).isFalse();
        List<String> roman = List.of("I", "II", "III", "IV");
        assertThat(ChoiceScorer.score("I", roman, null, List.of("I")).correct()).isTrue();
        assertThat(ChoiceScorer.score("II", roman, null, List.of("II")).correct()).isTrue();
        assertThat(ChoiceScorer.score("B", roman, null, List.of("II")).correct()).isTrue();
        assertThat(ChoiceScorer.score("(C)", roman, null, List.of("III")).correct()).isTrue();
    }

    @Test
    void anAnswerNamingNoChoiceIsIncorrect() {
        Verdict verdict = ChoiceScorer.score("E", CHOICES, null, RED_BY_LETTER);
        assertThat(verdict.correct()).isFalse();
        assertThat(verdict.rationale()).isEqualTo("extracted 'E' names no choice, expected B 'The red curve'");
        assertThat(ChoiceScorer.score("purple", CHOICES, null, RED_BY_LETTER).correct()).isFalse();
    }

    @Test
    void aBadPermutationOrReferenceIsUnscorable() {
        assertThatThrownBy(() -> ChoiceScorer.score("A", CHOICES, List.of(0, 1, 1, 2), RED_BY_LETTER))
                .isInstanceOf(UnscorableException.class);
        assertThatThrownBy(() -> ChoiceScorer.score("A", CHOICES, null, List.of("The purple curve")))
                .isInstanceOf(UnscorableException.class);
    }
}
