package io.assay.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks of values beyond the schema, each with a hand-made value and its reason. */
class ValueChecksTest {
    private static final String ITEM = """
            {"benchmark":"b","itemId":"%s","publishedAt":"2026-11-28T09:00:00Z","prompt":"2+2?","reference":%s}""";
    private static final String SCORE = """
            {"judgmentId":"j","benchmark":"b","itemId":"i","judge":{"id":"wb","protocol":"%s"},
             "subject":{"modelId":"m"},"kind":"%s","score":{"value":%s,"min":1,"max":10}}""";

    @Test
    void aScoreOutsideItsJudgesScaleIsRefused() {
        assertThatThrownBy(() -> parseJudgment(SCORE.formatted("score", "score", "1e308")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("/score/value: 1.0E308 is outside the judge's scale [1, 10]");
        assertThatThrownBy(() -> parseJudgment(SCORE.formatted("score", "score", "0.5")))
                .hasMessageContaining("outside the judge's scale");
        assertThat(parseJudgment(SCORE.formatted("score", "score", "10"))
                        .score()
                        .value())
                .isEqualTo(10);
    }

    @Test
    void aScoreOnAnotherScaleThanItsJudgeDeclaresIsRefused() {
        String declared = SCORE.formatted("score", "score", "0.5")
                .replace("\"protocol\":\"score\"", "\"protocol\":\"score\",\"scale\":{\"min\":1,\"max\":10}")
                .replace("\"value\":0.5,\"min\":1,\"max\":10", "\"value\":0.5,\"min\":0,\"max\":1");
        assertThatThrownBy(() -> parseJudgment(declared))
                .hasMessage("/score: the scale [0, 1] is not the judge's declared scale [1, 10]");
        String onScale = SCORE.formatted("score", "score", "7")
                .replace("\"protocol\":\"score\"", "\"protocol\":\"score\",\"scale\":{\"min\":1,\"max\":10}");
        assertThat(parseJudgment(onScale).judge().scale()).isEqualTo(JudgeSpec.Scale.ONE_TO_TEN);
    }

    @Test
    void anEmptyScaleIsRefused() {
        String judgment = SCORE.formatted("score", "score", "1").replace("\"max\":10", "\"max\":1");
        assertThatThrownBy(() -> parseJudgment(judgment)).hasMessage("/score: the scale [1, 1] is empty");
    }

    @Test
    void aKindItsProtocolDoesNotGiveIsRefused() {
        assertThatThrownBy(() -> parseJudgment(SCORE.formatted("pairwise", "score", "7")))
                .hasMessage("/kind: a pairwise judge gives pairwise judgments, not score");
        // A reference scorer gives a 0-1 score too (ROUGE-L, token F1).
        assertThat(parseJudgment(SCORE.formatted("reference", "score", "7")).kind())
                .isEqualTo(JudgmentKind.SCORE);
    }

    @Test
    void anInfiniteNumberIsRefusedNotStoredAsInfinity() {
        assertThatThrownBy(() -> parseItem("x", "{\"value\": 1e400}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("/reference/value: is not a finite number (beyond a double's range)");
        assertThatThrownBy(() -> parseItem("x", "{\"value\": -1e400}")).hasMessageContaining("finite");
        assertThat(parseItem("x", "{\"value\": 1e300}").reference().value()).isEqualTo(1e300);
    }

    @Test
    void anUnknownReferenceFieldIsRefused() {
        assertThatThrownBy(() -> parseItem("x", "{\"answer\": [\"4\"]}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("/reference")
                .hasMessageContaining("answer");
    }

    @Test
    void aReferenceRegexThatDoesNotCompileIsRefused() {
        assertThatThrownBy(() -> parseItem("x", "{\"regex\": \"(4\"}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("/reference/regex: does not compile: Unclosed group");
        assertThat(parseItem("x", "{\"regex\": \"4|four\"}").reference().regex())
                .isEqualTo("4|four");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u202Eb", "a\u200Bb", "a\u200Db", "a\uFEFFb", "a\u2066b", "a\u0007b", "a\u2028b"})
    void anIdWithAnInvisibleCharacterIsRefused(String itemId) {
        assertThat(Ids.problem(itemId)).isPresent();
        String escaped = Json.write(itemId);
        assertThatThrownBy(() -> parseItem(escaped.substring(1, escaped.length() - 1), "{\"answers\": [\"4\"]}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("/itemId: the id holds ");
    }

    @Test
    void idsOfEveryKindAreChecked() {
        String judgment = SCORE.formatted("score", "score", "7").replace("\"id\":\"wb\"", "\"id\":\"w\\u200bb\"");
        assertThatThrownBy(() -> parseJudgment(judgment)).hasMessageStartingWith("/judge/id: the id holds");
        assertThat(Ids.problem("café-ü-日本-1.5")).isEmpty();
    }

    @Test
    void anIdThatIsPartOfTheAggregatorsKeysMayNotHoldItsSeparator() {
        // An item set|1 was counted as item "set" (with set|2 and set|3), and irt took 1, 2 and 3 for models
        assertThatThrownBy(() -> parseItem("set|1", "{\"answers\": [\"4\"]}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("/itemId: the id holds '|' at index 3, which joins the ids in the aggregator's keys (it"
                        + " would count the id as two): use another character");
        String judgment = SCORE.formatted("score", "score", "7");
        assertThatThrownBy(() -> parseJudgment(judgment.replace("\"modelId\":\"m\"", "\"modelId\":\"org|m\"")))
                .hasMessageStartingWith("/subject/modelId: the id holds '|' at index 3");
        assertThatThrownBy(() -> parseJudgment(judgment.replace("\"id\":\"wb\"", "\"id\":\"wb|2\"")))
                .hasMessageStartingWith("/judge/id: the id holds '|' at index 2");
        // ... while a judgment id (not a key's part), a prompt or a reference answer may hold it
        assertThat(parseJudgment(judgment.replace("\"judgmentId\":\"j\"", "\"judgmentId\":\"run|1\"")))
                .isNotNull();
        assertThat(parseItem("x", "{\"answers\": [\"a|b\"]}").reference().answers())
                .containsExactly("a|b");
    }

    @Test
    void freeFormMetadataMayHoldAnyText() {
        String plain = ITEM.formatted("x", "{\"answers\": [\"4\"]}");
        String item = plain.substring(0, plain.lastIndexOf('}')) + ",\"metadata\":{\"itemId\":\"a\\u200bb\"}}";
        assertThat(EventType.BENCHMARK_ITEM.parse(item.getBytes(StandardCharsets.UTF_8), BenchmarkItem.class))
                .isNotNull();
    }

    @Test
    void anUnknownMajorVersionIsRefused() {
        byte[] item = ITEM.formatted("x", "{\"answers\": [\"4\"]}").getBytes(StandardCharsets.UTF_8);
        Headers v2 = new RecordHeaders().add(CloudEvents.TYPE, "io.assay.benchmark-item.v2".getBytes());
        assertThatThrownBy(() -> EventType.BENCHMARK_ITEM.parse(item, BenchmarkItem.class, v2))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("unsupported event version: ce_type io.assay.benchmark-item.v2 is version v2 of"
                        + " benchmark-item; this reader knows io.assay.benchmark-item.v1 only");
        Headers other = new RecordHeaders().add(CloudEvents.TYPE, "io.assay.judgment.v1".getBytes());
        assertThatThrownBy(() -> EventType.BENCHMARK_ITEM.parse(item, BenchmarkItem.class, other))
                .hasMessageStartingWith("ce_type io.assay.judgment.v1 is not io.assay.benchmark-item.v1");
        Headers v1 = new RecordHeaders().add(CloudEvents.TYPE, "io.assay.benchmark-item.v1".getBytes());
        assertThat(EventType.BENCHMARK_ITEM.parse(item, BenchmarkItem.class, v1))
                .isNotNull();
        assertThat(EventType.BENCHMARK_ITEM.parse(item, BenchmarkItem.class, new RecordHeaders()))
                .isNotNull();
    }

    @Test
    void deepNestingAndInvalidUtf8AreRefusedAsNotJson() {
        byte[] deep = "[".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EventType.BENCHMARK_ITEM.parse(deep, BenchmarkItem.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("not JSON");
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> EventType.BENCHMARK_ITEM.parse(bad, BenchmarkItem.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("not JSON");
    }

    @Test
    void anEventOverTheLimitIsRefusedBeforeItIsParsed() {
        byte[] big = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        assertThatThrownBy(() -> EventType.BENCHMARK_ITEM.parse(big, BenchmarkItem.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("too large: 5242880 bytes; an event is at most 524288 bytes");
    }

    private static Judgment parseJudgment(String json) {
        return EventType.JUDGMENT.parse(json.getBytes(StandardCharsets.UTF_8), Judgment.class);
    }

    private static BenchmarkItem parseItem(String itemId, String reference) {
        return EventType.BENCHMARK_ITEM.parse(
                ITEM.formatted(itemId, reference).getBytes(StandardCharsets.UTF_8), BenchmarkItem.class);
    }
}
