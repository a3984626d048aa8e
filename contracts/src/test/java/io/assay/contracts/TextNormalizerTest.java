package io.assay.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {

    @Test
    void fullWidthLettersMatchAscii() {
        // NFKC maps U+FF21..FF23 to A..C; case folding then gives abc.
        assertThat(TextNormalizer.normalize("ＡＢＣ")).isEqualTo("abc");
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
        // '#', '%' and a leading '.' are OTHER_PUNCTUATION in Unicode but carry meaning: not stripped.
        assertThat(TextNormalizer.normalize("C#")).isEqualTo("c#");
        assertThat(TextNormalizer.matches("C#", "C")).isFalse();
        assertThat(TextNormalizer.matches("F#", "F")).isFalse();
        assertThat(TextNormalizer.matches("50%", "50")).isFalse();
        assertThat(TextNormalizer.normalize(".5")).isEqualTo(".5");
        assertThat(TextNormalizer.matches(".5", "5")).isFalse();
        assertThat(TextNormalizer.normalize(".NET")).isEqualTo(".net");
        // A trailing sentence period still goes after a kept symbol.
        assertThat(TextNormalizer.normalize("C#.")).isEqualTo("c#");
        assertThat(TextNormalizer.normalize("50%.")).isEqualTo("50%");
    }

    @Test
    void quotesBracketsAndSentencePunctuationStillGo() {
        assertThat(TextNormalizer.normalize("Paris.")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("\u201cParis\u201d")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("\u2018Paris\u2019")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("\u00abParis\u00bb")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("(Paris)")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("[Paris]")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("{Paris}")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("`Paris`")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("'Paris'!")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("Paris?")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("Paris, ")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("(Paris).")).isEqualTo("paris");
        // Full-width forms become ASCII under NFKC first: （Ｐａｒｉｓ）！ -> (paris)! -> paris.
        assertThat(TextNormalizer.normalize("\uff08\uff30\uff41\uff52\uff49\uff53\uff09\uff01"))
                .isEqualTo("paris");
    }

    @Test
    void onlyASinglePeriodGoesNotAnEllipsis() {
        assertThat(TextNormalizer.normalize("U.S.")).isEqualTo("u.s");
        assertThat(TextNormalizer.normalize("Paris...")).isEqualTo("paris...");
        assertThat(TextNormalizer.matches("Paris...", "Paris")).isFalse();
    }

    @Test
    void markdownEmphasisGoesOnlyWhenItWrapsTheWholeAnswer() {
        assertThat(TextNormalizer.normalize("**Paris**")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("*Paris*")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("__Paris__")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("\"**Paris**\".")).isEqualTo("paris");
        assertThat(TextNormalizer.normalize("**Paris.**")).isEqualTo("paris");
        // Not wrapping: a lone or unmatched mark is part of the answer.
        assertThat(TextNormalizer.normalize("2*")).isEqualTo("2*");
        assertThat(TextNormalizer.normalize("*args")).isEqualTo("*args");
        assertThat(TextNormalizer.normalize("snake_")).isEqualTo("snake_");
        assertThat(TextNormalizer.normalize("a*b")).isEqualTo("a*b");
        assertThat(TextNormalizer.normalize("**")).isEqualTo("**");
    }

    @Test
    void aLeadingMinusStays() {
        assertThat(TextNormalizer.normalize("-5")).isEqualTo("-5");
        assertThat(TextNormalizer.matches("-5", "5")).isFalse();
    }
}
