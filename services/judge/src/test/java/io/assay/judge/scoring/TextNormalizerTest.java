package io.assay.judge.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextNormalizerTest {

    @Test
    void fullWidthLettersMatchAscii() {
        // NFKC maps U+FF21..FF23 to A..C; case folding then gives abc.
        assertThat(TextNormalizer.normalize("ＡＢＣ")).isEqualTo("abc");
        assertThat(ExactScorer.score("ＡＢＣ", List.of("abc")).correct()).isTrue();
    }

    @Test
    void accentedLettersFoldCaseAndComposed() {
        assertThat(TextNormalizer.matches("Café", "café")).isTrue();
        // e + combining acute (NFD) composes to é under NFKC.
        assertThat(TextNormalizer.matches("Cafe\u0301", "café")).isTrue();
        assertThat(TextNormalizer.matches("Cafe", "café")).isFalse();
    }

    @Test
    void whitespaceIsTrimmedAndCollapsed() {
        assertThat(TextNormalizer.normalize("  New \t York\n City ")).isEqualTo("new york city");
    }

    @Test
    void surroundingPunctuationAndTrailingPeriodGo() {
        assertThat(TextNormalizer.normalize("\"Paris.\"")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("(a)")).isEqualTo("a");
        assertThat(TextNormalizer.normalize("U.S.A.")).isEqualTo("u.s.a");
    }

    @Test
    void symbolsThatArePartOfAnAnswerStay() {
        assertThat(TextNormalizer.matches("C#", "C")).isFalse();
        assertThat(TextNormalizer.matches("F#", "F")).isFalse();
        assertThat(TextNormalizer.matches("50%", "50")).isFalse();
        assertThat(TextNormalizer.matches(".5", "5")).isFalse();
        assertThat(TextNormalizer.normalize("C#.")).isEqualTo("c#");
        assertThat(TextNormalizer.normalize("\u201cParis\u201d")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("**Paris**")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("'Paris'!")).isEqualTo("paris");
    }

    @Test
    void aLeadingMinusStays() {
        assertThat(TextNormalizer.normalize("-5")).isEqualTo("-5");
        assertThat(TextNormalizer.matches("-5", "5")).isFalse();
    }
}
