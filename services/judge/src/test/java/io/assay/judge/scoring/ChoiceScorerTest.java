package io.assay.judge.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.contracts.Choices;
import io.assay.contracts.Variant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChoiceScorerTest {
    private static final List<String> CHOICES =
            List.of("The blue curve", "The red curve", "The green curve", "They tie");
    private static final List<String> RED_BY_TEXT = List.of("The red curve");
    private static final List<String> RED_BY_LETTER = List.of("B");

    @Test
    void letterInManyShapes() {
        for (String answer : List.of("B", "(B)", "B.", "B)", "option B", "b", "[b]", "Option (B)")) {
            assertThat(ChoiceScorer.score(answer, CHOICES, null, RED_BY_LETTER).correct())
                    .as(answer)
                    .isTrue();
        }
        assertThat(ChoiceScorer.score("C", CHOICES, null, RED_BY_LETTER).correct())
                .isFalse();
    }

    @Test
    void optionText() {
        assertThat(ChoiceScorer.score("the red curve", CHOICES, null, RED_BY_TEXT)
                        .correct())
                .isTrue();
        assertThat(ChoiceScorer.score("B) The red curve", CHOICES, null, RED_BY_TEXT)
                        .correct())
                .isTrue();
        assertThat(ChoiceScorer.score("The green curve", CHOICES, null, RED_BY_TEXT)
                        .correct())
                .isFalse();
    }

    @Test
    void referenceAsLetterOrTextNamesTheSameChoice() {
        assertThat(ChoiceScorer.score("B", CHOICES, null, RED_BY_TEXT).correct())
                .isTrue();
        assertThat(ChoiceScorer.score("The red curve", CHOICES, null, RED_BY_LETTER)
                        .correct())
                .isTrue();
    }

    @Test
    void permutationMapsTheShownLetterToTheCanonicalChoice() {
        // Given three choices shown in the order [2, 0, 1]: shown A is canonical C, shown B is canonical A,
        // shown C is canonical B.
        List<String> choices = List.of("alpha", "beta", "gamma");
        List<Integer> permutation = List.of(2, 0, 1);
        // When the reference is canonical C ("gamma"), Then only shown A is correct.
        assertThat(ChoiceScorer.score("A", choices, permutation, List.of("C")).correct())
                .isTrue();
        assertThat(ChoiceScorer.score("C", choices, permutation, List.of("C")).correct())
                .isFalse();
        // And answering with the text is independent of the order shown.
        assertThat(ChoiceScorer.score("gamma", choices, permutation, List.of("gamma"))
                        .correct())
                .isTrue();
        // And shown C is canonical B ("beta").
        Verdict verdict = ChoiceScorer.score("C", choices, permutation, List.of("beta"));
        assertThat(verdict.correct()).isTrue();
        assertThat(verdict.details())
                .containsEntry("shownIndex", 2)
                .containsEntry("chosenIndex", 1)
                .containsEntry("expected", "B")
                .containsEntry("correctShownIndex", 2);
    }

    @Test
    void theScorerUndoesTheSharedPermutation() {
        // Given the shuffle contracts' Choices draws for mmlu/q1 in plain#0: [2, 0, 1, 3] (ChoicesTest checks it
        // by hand), so the correct canonical B ("The red curve") is shown third, as C.
        Variant variant = new Variant("plain", "1", 0, null);
        List<Integer> permutation = Choices.permutation("mmlu", "q1", variant, 4);
        assertThat(permutation).containsExactly(2, 0, 1, 3);
        // When the model answers the letter it saw next to the red curve, Then it is correct.
        Verdict right = ChoiceScorer.score("C", CHOICES, permutation, RED_BY_LETTER);
        assertThat(right.correct()).isTrue();
        assertThat(right.details()).containsEntry("correctShownIndex", 2).containsEntry("chosenIndex", 1);
        // And the canonical letter B, now shown next to the blue curve, is wrong.
        assertThat(ChoiceScorer.score("B", CHOICES, permutation, RED_BY_LETTER).correct())
                .isFalse();
        // And without a permutation the correct choice is shown where it is: B, position 1.
        assertThat(ChoiceScorer.score("B", CHOICES, null, RED_BY_LETTER).details())
                .containsEntry("correctShownIndex", 1);
    }

    @Test
    void optionsThatLookLikeLettersAreFoundByTheirText() {
        // "x" is an out-of-range letter (X = 23) but the text of shown option 0.
        List<String> xyz = List.of("x", "y", "z");
        assertThat(ChoiceScorer.shownIndex("x", xyz)).hasValue(0);
        assertThat(ChoiceScorer.shownIndex("Z", xyz)).hasValue(2);
        assertThat(ChoiceScorer.score("x", xyz, null, List.of("x")).correct()).isTrue();
        assertThat(ChoiceScorer.score("z", xyz, null, List.of("x")).correct()).isFalse();
        // Roman numerals: "I" is the text of option 0 (as a letter it would be 8, out of range); "II" is
        // option 1 by text; "B" is no option's text, so it is the letter B = 1, the same option.
        List<String> roman = List.of("I", "II", "III", "IV");
        assertThat(ChoiceScorer.shownIndex("I", roman)).hasValue(0);
        assertThat(ChoiceScorer.shownIndex("II", roman)).hasValue(1);
        assertThat(ChoiceScorer.shownIndex("B", roman)).hasValue(1);
        assertThat(ChoiceScorer.shownIndex("(C)", roman)).hasValue(2);
        assertThat(ChoiceScorer.score("I", roman, null, List.of("I")).correct()).isTrue();
        assertThat(ChoiceScorer.score("II", roman, null, List.of("II")).correct())
                .isTrue();
        assertThat(ChoiceScorer.score("B", roman, null, List.of("II")).correct())
                .isTrue();
        assertThat(ChoiceScorer.score("(C)", roman, null, List.of("III")).correct())
                .isTrue();
    }

    @Test
    void textIsTriedBeforeTheLetter() {
        // Options whose text equals their letter agree either way: "C" and "(C)" name option 2.
        List<String> abc = List.of("A", "B", "C");
        assertThat(ChoiceScorer.shownIndex("A", abc)).hasValue(0);
        assertThat(ChoiceScorer.shownIndex("c", abc)).hasValue(2);
        assertThat(ChoiceScorer.shownIndex("(C)", abc)).hasValue(2);
        assertThat(ChoiceScorer.score("B", abc, null, List.of("B")).correct()).isTrue();
        // "(C)" with three plain options is the letter C = 2; "E" (= 4) is out of range and no text: no choice.
        List<String> three = List.of("alpha", "beta", "gamma");
        assertThat(ChoiceScorer.shownIndex("(C)", three)).hasValue(2);
        assertThat(ChoiceScorer.score("(C)", three, null, List.of("gamma")).correct())
                .isTrue();
        assertThat(ChoiceScorer.shownIndex("E", three)).isEmpty();
        Verdict none = ChoiceScorer.score("E", three, null, List.of("A"));
        assertThat(none.correct()).isFalse();
        assertThat(none.details()).doesNotContainKey("shownIndex");
        // A text match wins over the letter: with options [C, A, B], "A" is the option "A" (shown 1).
        assertThat(ChoiceScorer.shownIndex("A", List.of("C", "A", "B"))).hasValue(1);
        // A letter followed by text still names the letter's option.
        assertThat(ChoiceScorer.shownIndex("B) beta", three)).hasValue(1);
    }

    @Test
    void anAnswerNamingNoChoiceIsIncorrect() {
        Verdict verdict = ChoiceScorer.score("E", CHOICES, null, RED_BY_LETTER);
        assertThat(verdict.correct()).isFalse();
        assertThat(verdict.rationale()).isEqualTo("extracted 'E' names no choice, expected B 'The red curve'");
        assertThat(ChoiceScorer.score("purple", CHOICES, null, RED_BY_LETTER).correct())
                .isFalse();
    }

    @Test
    void aBadPermutationOrReferenceIsUnscorable() {
        assertThatThrownBy(() -> ChoiceScorer.score("A", CHOICES, List.of(0, 1, 1, 2), RED_BY_LETTER))
                .isInstanceOf(UnscorableException.class);
        assertThatThrownBy(() -> ChoiceScorer.score("A", CHOICES, null, List.of("The purple curve")))
                .isInstanceOf(UnscorableException.class);
    }
}
