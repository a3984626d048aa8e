package io.assay.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.aggregator.stats.FormatSpread.Answer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FormatSpread against values worked by hand (Wilson digits checked with 40-digit decimal arithmetic). */
class FormatSpreadTest {
    private static final double EXACT = 1e-12;

    @Test
    void accuracyPerFormatAndTheSpreadBetweenThem() {
        // Given: format "json" 3 of 4 right, "plain" 1 of 2, "bullets" 0 of 1, answers interleaved
        List<Answer> answers = List.of(
                new Answer("json", true),
                new Answer("plain", true),
                new Answer("json", true),
                new Answer("bullets", false),
                new Answer("json", false),
                new Answer("plain", false),
                new Answer("json", true));

        // When
        FormatSpread.Result r = FormatSpread.of(answers);

        // Then: 0.75, 0.5 and 0 → mean 1.25/3, min 0, max 0.75, spread 0.75
        assertThat(r.perFormat()).containsOnlyKeys("bullets", "json", "plain");
        assertThat(r.mean()).isCloseTo(0.4166666666666667, within(EXACT));
        assertThat(r.min()).isEqualTo(0.0);
        assertThat(r.max()).isEqualTo(0.75);
        assertThat(r.spread()).isEqualTo(0.75);
        // json 3/4 → [0.3006418425824019, 0.9544127391902995]
        Estimate json = r.perFormat().get("json");
        assertThat(json.value()).isEqualTo(0.75);
        assertThat(json.lower()).isCloseTo(0.3006418425824019, within(EXACT));
        assertThat(json.upper()).isCloseTo(0.9544127391902995, within(EXACT));
        assertThat(json.n()).isEqualTo(4);
        // plain 1/2: denom = 1 + z²/2 = 2.920729410347063, center = 0.5,
        // half = z·sqrt(0.125 + z²/16) / denom = 0.4054687942657693 → [0.0945312057342307, 0.9054687942657693]
        Estimate plain = r.perFormat().get("plain");
        assertThat(plain.value()).isEqualTo(0.5);
        assertThat(plain.lower()).isCloseTo(0.0945312057342307, within(EXACT));
        assertThat(plain.upper()).isCloseTo(0.9054687942657693, within(EXACT));
        // bullets 0/1 → [0, 0.7934506856227626]
        assertThat(r.perFormat().get("bullets").upper()).isCloseTo(0.7934506856227626, within(EXACT));
    }

    @Test
    void oneFormatHasNoSpread() {
        FormatSpread.Result r = FormatSpread.of(List.of(new Answer("plain", true), new Answer("plain", false)));

        assertThat(r.mean()).isEqualTo(0.5);
        assertThat(r.min()).isEqualTo(0.5);
        assertThat(r.max()).isEqualTo(0.5);
        assertThat(r.spread()).isEqualTo(0.0);
    }

    @Test
    void noAnswersNoFormats() {
        FormatSpread.Result r = FormatSpread.of(List.of());

        assertThat(r.perFormat()).isEmpty();
        assertThat(r.mean()).isNaN();
        assertThat(r.spread()).isEqualTo(0.0);
    }
}
