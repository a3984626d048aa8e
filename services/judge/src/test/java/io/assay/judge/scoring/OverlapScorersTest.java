package io.assay.judge.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Reference;
import io.assay.contracts.Variant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** contains, token F1 and ROUGE-L, with values worked out by hand (see {@link Tokens} for the definitions). */
class OverlapScorersTest {
    private static final double EPS = 1e-9;

    @Test
    void squadNormalisationDeletesPunctuationAndArticles() {
        assertThat(Tokens.squad("The  Eiffel\tTower, in Paris!")).containsExactly("eiffel", "tower", "in", "paris");
        // Punctuation is deleted, not spaced: "1,000" is the token 1000, "e-mail" is email.
        assertThat(Tokens.squad("1,000 e-mail")).containsExactly("1000", "email");
        // NFKC: full-width letters and a combining accent become ordinary composed letters.
        assertThat(Tokens.squad("ＰＡＲＩＳ Cafe\u0301")).containsExactly("paris", "caf\u00e9");
        // Unicode punctuation and symbols count too: « », the euro sign.
        assertThat(Tokens.squad("«10 €»")).containsExactly("10");
    }

    @Test
    void tokenF1IsTheHarmonicMeanOfTokenPrecisionAndRecall() {
        // 4 answer tokens (eiffel tower in paris), 2 reference tokens, 2 shared: P = 1/2, R = 1, F1 = 2/3.
        Verdict v = TokenF1Scorer.score("The Eiffel Tower, in Paris", List.of("Eiffel Tower"));
        assertThat(v.score()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(v.details()).containsEntry("precision", 0.5).containsEntry("recall", 1.0);
        assertThat(v.correct()).isFalse();
    }

    @Test
    void tokenF1CountsRepeatedTokensOnce() {
        // Articles go; answer cat cat cat vs cat sat: overlap 1, P = 1/3, R = 1/2, F1 = (2/6)/(5/6) = 0.4.
        assertThat(TokenF1Scorer.score("the the cat cat cat", List.of("cat sat"))
                        .score())
                .isCloseTo(0.4, within(EPS));
    }

    @Test
    void tokenF1TakesTheBestReference() {
        // vs NYC: 0; vs new york city: overlap 2, P = 1, R = 2/3, F1 = 0.8.
        Verdict v = TokenF1Scorer.score("New York", List.of("NYC", "New York City"));
        assertThat(v.score()).isCloseTo(0.8, within(EPS));
        assertThat(v.details()).containsEntry("matched", "New York City");
    }

    @Test
    void tokenF1NumbersWhitespaceUnicodeAndEmptiness() {
        assertThat(TokenF1Scorer.score("1,000 apples", List.of("1000 apples")).score())
                .isEqualTo(1.0);
        assertThat(TokenF1Scorer.score("1e3", List.of("1000")).score()).isEqualTo(0.0);
        assertThat(TokenF1Scorer.score("  new\t\nyork ", List.of("New York")).correct())
                .isTrue();
        assertThat(TokenF1Scorer.score("ＰＡＲＩＳ", List.of("paris")).score()).isEqualTo(1.0);
        // café au lait vs café: P = 1/3, R = 1, F1 = 0.5 (the decomposed é equals the composed one).
        assertThat(TokenF1Scorer.score("Cafe\u0301 au lait", List.of("caf\u00e9"))
                        .score())
                .isCloseTo(0.5, within(EPS));
        assertThat(TokenF1Scorer.score("", List.of("paris")).score()).isEqualTo(0.0);
        // Both empty after normalisation (only articles): 1, as SQuAD v2.0 scores no-answer agreement.
        assertThat(TokenF1Scorer.score("a the", List.of("the")).score()).isEqualTo(1.0);
        assertThatThrownBy(() -> TokenF1Scorer.score("x", List.of())).isInstanceOf(UnscorableException.class);
    }

    @Test
    void rougeLIsTheLcsFMeasure() {
        // LCS police-the-gunman = 3 of 4 on each side: P = R = F = 0.75.
        Verdict v = RougeLScorer.score("police killed the gunman", List.of("police kill the gunman"));
        assertThat(v.score()).isCloseTo(0.75, within(EPS));
        assertThat(v.details()).containsEntry("lcs", 3);
        // Order matters: the gunman kill police vs police kill the gunman, LCS = 2, F = 0.5.
        assertThat(RougeLScorer.score("the gunman kill police", List.of("police kill the gunman"))
                        .score())
                .isCloseTo(0.5, within(EPS));
        // 2 answer tokens, 4 reference tokens, LCS 2: P = 1, R = 0.5, F = 2/3.
        assertThat(RougeLScorer.score("police gunman", List.of("police kill the gunman"))
                        .score())
                .isCloseTo(2.0 / 3, within(EPS));
    }

    @Test
    void rougeLTokensAreUnicodeLettersAndDigits() {
        assertThat(Tokens.rouge("Zürich ist  schön!\nstate-of-the-art 1,000"))
                .containsExactly("zürich", "ist", "schön", "state", "of", "the", "art", "1", "000");
        assertThat(RougeLScorer.score("ＺÜＲＩＣＨ ist schön", List.of("zürich ist schön"))
                        .score())
                .isEqualTo(1.0);
        // "1,000" is two tokens for ROUGE (1, 000) and one for "1000": nothing in common.
        assertThat(RougeLScorer.score("1,000", List.of("1000")).score()).isEqualTo(0.0);
        assertThat(RougeLScorer.score("", List.of("x")).score()).isEqualTo(0.0);
    }

    @Test
    void containsNeedsWholeTokens() {
        assertThat(ContainsScorer.score("It is Paris, France.", List.of("paris"))
                        .correct())
                .isTrue();
        assertThat(ContainsScorer.score("It is Paris, France.", List.of("PARIS  france"))
                        .correct())
                .isTrue();
        assertThat(ContainsScorer.score("concatenate", List.of("cat")).correct())
                .isFalse();
        assertThat(ContainsScorer.score("about 1000 people", List.of("1,000")).correct())
                .isTrue();
        assertThat(ContainsScorer.score("ＰＡＲＩＳ it is", List.of("paris")).correct())
                .isTrue();
        assertThat(ContainsScorer.score("France, Paris", List.of("paris france"))
                        .correct())
                .isFalse();
        assertThatThrownBy(() -> ContainsScorer.score("x", List.of("the"))).isInstanceOf(UnscorableException.class);
    }

    @Test
    void overlapMethodsReadTheMarkedAnswerOrTheWholeOutput() {
        ReferenceScorer scorer = new ReferenceScorer();
        BenchmarkItem item = ReferenceScorerTest.item(null, Reference.answer("Eiffel Tower"));
        Variant plain = new Variant("plain", "1", 0, null);
        // With a marker only the marked answer counts.
        assertThat(scorer.score(item, plain, "Paris has towers.\nAnswer: the Eiffel Tower", "f1")
                        .score())
                .isEqualTo(1.0);
        // Without one the whole output is the answer.
        Verdict whole = scorer.score(item, plain, "It is the Eiffel Tower\nin Paris", "rouge-l");
        // rouge tokens: it is the eiffel tower in paris (7); LCS 2; P = 2/7, R = 1, F = (4/7)/(9/7) = 4/9.
        assertThat(whole.score()).isCloseTo(4.0 / 9, within(EPS));
        assertThat(scorer.score(item, plain, "It is the Eiffel Tower\nin Paris", "contains")
                        .correct())
                .isTrue();
    }
}
