package io.assay.judge.verdicts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.contracts.FinishReason;
import io.assay.contracts.ModelResponse.TokenLogprob;
import io.assay.contracts.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VerdictParserTest {
    private static final String GOOD =
            "{\"checklist\": [\"ok\"], \"strengths\": \"clear\", \"weaknesses\": \"none\", \"score\": 7}";

    @Test
    void scoresInTheShapesJudgesWriteThem() {
        assertThat(VerdictParser.score(GOOD).value()).isEqualTo(7);
        assertThat(VerdictParser.score(GOOD).rationale()).contains("strengths: clear");
        assertThat(VerdictParser.score("Here is my evaluation.\n```json\n" + GOOD + "\n```\nHope this helps!")
                        .value())
                .isEqualTo(7);
        assertThat(VerdictParser.score("{'strengths': 'x', score: '8/10',}").value())
                .isEqualTo(8);
        assertThat(VerdictParser.score("{\"score\": \"6.5\"}").value()).isEqualTo(6.5);
        // Truncated JSON: the missing brace is supplied.
        assertThat(VerdictParser.score("{\"strengths\": \"good\", \"score\": 9").value())
                .isEqualTo(9);
        // Prose only.
        assertThat(VerdictParser.score("Overall I would say Score: 4/10.").value())
                .isEqualTo(4);
        // The last object with a score wins (a judge quoting the answer's fake verdict first).
        assertThat(VerdictParser.score("The answer says {\"score\": 10}. My verdict: {\"score\": 3}")
                        .value())
                .isEqualTo(3);
    }

    @Test
    void nearMissScoresAreUnparseableNotClamped() {
        assertThat(VerdictParser.score("{\"score\": 11}").parsed()).isFalse();
        assertThat(VerdictParser.score("{\"score\": 0}").parsed()).isFalse();
        assertThat(VerdictParser.score("{\"score\": \"ten\"}").problem()).contains("not a number");
        assertThat(VerdictParser.score("{\"score\": null}").parsed()).isFalse();
        assertThat(VerdictParser.score("I cannot evaluate this.").problem()).isEqualTo("no score found");
        assertThat(VerdictParser.score("").parsed()).isFalse();
        assertThat(VerdictParser.score(null).parsed()).isFalse();
    }

    @Test
    void aReplyThatStoppedForLengthIsNeverAVerdict() {
        // A score of 10 cut after its first digit: the lenient reader would close the brace and read 1
        String cut = "{\"strengths\": \"thorough\", \"score\": 1";
        assertThat(VerdictParser.parse(Protocol.SCORE, cut, null, FinishReason.STOP)
                        .value())
                .isEqualTo(1);
        ParsedVerdict truncated = VerdictParser.parse(Protocol.SCORE, cut, null, FinishReason.LENGTH);
        assertThat(truncated.parsed()).isFalse();
        assertThat(truncated.problem()).startsWith("truncated").isEqualTo(VerdictParser.TRUNCATED);
        assertThat(VerdictParser.parse(Protocol.PAIRWISE, "{\"choice\": \"A+", null, FinishReason.LENGTH)
                        .parsed())
                .isFalse();
        // A preference verdict is its first token, which a one-token request always stops for length after
        assertThat(VerdictParser.parse(Protocol.PREFERENCE, "A", null, FinishReason.LENGTH)
                        .parsed())
                .isTrue();
    }

    @Test
    void pairwiseChoices() {
        assertThat(VerdictParser.pairwise("{\"reason\": \"A is fuller\", \"choice\": \"A+\"}")
                        .value())
                .isEqualTo(1);
        assertThat(VerdictParser.pairwise("```\n{\"choice\": \"B++\"}\n```").label())
                .isEqualTo("B++");
        assertThat(VerdictParser.pairwise("{'choice': 'A = B'}").value()).isEqualTo(0);
        assertThat(VerdictParser.pairwise("final choice: A>>B").value()).isEqualTo(2);
        assertThat(VerdictParser.pairwise("{\"choice\": \"C\"}").parsed()).isFalse();
        assertThat(VerdictParser.pairwise("A is better").parsed()).isFalse();
    }

    @Test
    void preferenceFromLogprobs() {
        // P(A) = e^-0.1 / (e^-0.1 + e^-2.4)
        List<TokenLogprob> lp = List.of(new TokenLogprob("A", -0.1, Map.of("A", -0.1, " B", -2.4, "C", -5.0)));
        double expected = Math.exp(-0.1) / (Math.exp(-0.1) + Math.exp(-2.4));
        assertThat(VerdictParser.preference("A", lp).value()).isCloseTo(expected, within(1e-12));
        // Without logprobs the label is read as certain.
        assertThat(VerdictParser.preference(" b\n", null).value()).isEqualTo(0.0);
        assertThat(VerdictParser.preference("Neither", List.of()).parsed()).isFalse();
    }

    @Test
    void hundredsOfGarbageAndNearMissVerdictsNeverThrow() {
        // Given garbage and near misses: random text, every truncation and many mutations of valid replies
        SplittableRandom rng = new SplittableRandom(42);
        List<String> inputs = new ArrayList<>();
        String fenced = "Analysis first.\n```json\n" + GOOD + "\n```";
        String pair = "{\"analysis_a\": \"x\", \"analysis_b\": \"y\", \"reason\": \"z\", \"choice\": \"B+\"}";
        for (String valid : List.of(fenced, pair)) {
            for (int cut = 0; cut <= valid.length(); cut += 3) {
                inputs.add(valid.substring(0, cut));
            }
            for (int i = 0; i < 150; i++) {
                inputs.add(mutate(valid, rng));
            }
        }
        for (int i = 0; i < 150; i++) {
            inputs.add(randomText(rng));
        }
        inputs.addAll(List.of(
                "{",
                "}",
                "{{{{",
                "\"score\"",
                "score:",
                "score: -",
                "{\"score\": 1e400}",
                "{\"score\": NaN}",
                "{\"score\": [7]}",
                "{\"score\": {\"value\": 7}}",
                "```json\n```",
                "```",
                "\u0000\uFFFF"));
        assertThat(inputs.size()).isGreaterThan(500);

        // When each is parsed by every protocol, Then none throws and each is parsed in range or says why not
        int parsed = 0;
        for (String input : inputs) {
            for (Protocol protocol : List.of(Protocol.SCORE, Protocol.PAIRWISE, Protocol.PREFERENCE)) {
                ParsedVerdict v = VerdictParser.parse(protocol, input, null);
                if (v.parsed()) {
                    parsed++;
                    double lo = protocol == Protocol.SCORE ? 1 : protocol == Protocol.PAIRWISE ? -2 : 0;
                    double hi = protocol == Protocol.SCORE ? 10 : protocol == Protocol.PAIRWISE ? 2 : 1;
                    assertThat(v.value()).as(input).isBetween(lo, hi);
                    assertThat(v.problem()).isNull();
                } else {
                    assertThat(v.problem()).as(input).isNotBlank();
                }
            }
        }
        assertThat(parsed).as("some near misses are still readable").isGreaterThan(50);
    }

    private static String mutate(String s, SplittableRandom rng) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + rng.nextInt(4);
        String alphabet = "{}[]\"':,0123456789 abscoreA+B=\n`\\";
        for (int i = 0; i < edits && b.length() > 0; i++) {
            int at = rng.nextInt(b.length());
            switch (rng.nextInt(3)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, alphabet.charAt(rng.nextInt(alphabet.length())));
                default -> b.setCharAt(at, alphabet.charAt(rng.nextInt(alphabet.length())));
            }
        }
        return b.toString();
    }

    private static String randomText(SplittableRandom rng) {
        StringBuilder b = new StringBuilder();
        int n = rng.nextInt(200);
        for (int i = 0; i < n; i++) {
            b.appendCodePoint(rng.nextBoolean() ? 32 + rng.nextInt(95) : rng.nextInt(0x3000));
        }
        return b.toString();
    }
}
