package io.assay.judge.judging;

import static io.assay.judge.JudgeFixtures.JUDGED;
import static io.assay.judge.JudgeFixtures.PLAIN;
import static io.assay.judge.JudgeFixtures.benchmarkSpec;
import static io.assay.judge.JudgeFixtures.chatAnswer;
import static io.assay.judge.JudgeFixtures.chatItem;
import static io.assay.judge.JudgeFixtures.item;
import static io.assay.judge.JudgeFixtures.reply;
import static io.assay.judge.JudgeFixtures.scoreJudge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.FinishReason;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Protocol;
import io.assay.contracts.Reference;
import io.assay.judge.drift.Drift;
import io.assay.judge.llm.LlmJudging;
import io.assay.judge.prompts.JudgePrompts;
import io.assay.judge.scoring.ReferenceJudge;
import io.assay.judge.scoring.ReferenceScorer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A judge's canaries without a broker: the first answers a judge judges are kept, and when the judge's
 * version changes (its model, here) they are judged again and the two versions' agreement is measured.
 */
class CanaryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), ZoneOffset.UTC);
    private static final int CANARIES = 4;

    private final MapJudgingStore store = new MapJudgingStore();
    private final Map<String, BenchmarkSpec> specs = new HashMap<>();
    private final Judging judging = new Judging(
            new ReferenceJudge(new ReferenceScorer(), CLOCK),
            new LlmJudging(JudgePrompts.shipped(), CLOCK),
            store,
            benchmark -> specs.getOrDefault(benchmark, BenchmarkSpec.defaults(benchmark)),
            Set.of("judge-a", "judge-b")::contains,
            0,
            CANARIES,
            benchmark -> Optional.empty());

    @Test
    void aJudgeWithANewModelJudgesItsCanariesAgainAndMeasuresTheAgreement() {
        // Given a score judge asking judge-a, and six answers it grades 8, 8, 3, 3, 5, 5
        specs.put(JUDGED, benchmarkSpec(JUDGED, scoreJudge("judge-a")));
        int[] gradesA = {8, 8, 3, 3, 5, 5};
        for (int i = 0; i < gradesA.length; i++) {
            Outcome asked = judge("i" + i);
            assertThat(grade(asked.requests(), gradesA[i]).judgments()).hasSize(1);
        }
        // (nothing changed: nothing is asked again)
        assertThat(judging.checkCanaries().requests()).isEmpty();

        // When the judge's model becomes judge-b
        specs.put(JUDGED, benchmarkSpec(JUDGED, scoreJudge("judge-b")));
        Outcome check = judging.checkCanaries();

        // Then the first four answers (the canaries) are judged again, by judge-b, and nothing else
        assertThat(check.requests()).hasSize(CANARIES);
        assertThat(check.requests()).allSatisfy(r -> assertThat(r.modelId()).isEqualTo("judge-b"));
        assertThat(check.requests().stream().map(PromptRequest::itemId))
                .containsExactlyInAnyOrder("i0", "i1", "i2", "i3");
        assertThat(judging.checkCanaries().requests()).as("asked once").isEmpty();

        // When judge-b grades them 8, 3, 3, 3
        int[] gradesB = {8, 3, 3, 3};
        Outcome last = null;
        for (PromptRequest r : check.requests()) {
            Outcome replied = judging.onResponse(
                    reply(
                            r,
                            "{\"score\": " + gradesB[Integer.parseInt(r.itemId().substring(1))] + "}"),
                    new ReadAt(0, 0));
            // Then each is an ordinary judgment of the new version
            assertThat(replied.judgments())
                    .singleElement()
                    .satisfies(j -> assertThat(j.judge().judgeModel()).isEqualTo("judge-b"));
            assertThat(last == null || last.drifts().isEmpty())
                    .as("measured once, at the last")
                    .isTrue();
            last = replied;
        }

        // Then agreement = 3/4 (8/8, 3/3, 3/3 agree; 8/3 does not); table (rows judge-a, columns judge-b,
        // classes "score 3.0" < "score 8.0") [[2, 0], [1, 1]]: p_o = 0.75, margins 0.5/0.5 and 0.75/0.25,
        // p_e = 0.5·0.75 + 0.5·0.25 = 0.5, kappa = (0.75 − 0.5)/(1 − 0.5) = 0.5
        Drift drift = last.drifts().get(0);
        assertThat(drift.judge()).isEqualTo("wb-score");
        assertThat(drift.from()).isEqualTo("1/1/1..10@judge-a");
        assertThat(drift.to()).isEqualTo("1/1/1..10@judge-b");
        assertThat(drift.canaries()).isEqualTo(4);
        assertThat(drift.agreements()).isEqualTo(3);
        assertThat(drift.agreement()).isCloseTo(0.75, within(1e-12));
        assertThat(drift.kappa()).isCloseTo(0.5, within(1e-12));
        assertThat(judging.drifts()).containsExactly(drift);

        // When the judge goes back to judge-a, its finished ballots on the canaries are read again (the
        // same judgment ids): nothing is asked, and judge-b → judge-a agrees on the same 3 of 4
        specs.put(JUDGED, benchmarkSpec(JUDGED, scoreJudge("judge-a")));
        Outcome back = judging.checkCanaries();
        assertThat(back.requests()).isEmpty();
        assertThat(back.drifts()).singleElement().satisfies(d -> {
            assertThat(d.from()).isEqualTo("1/1/1..10@judge-b");
            assertThat(d.to()).isEqualTo("1/1/1..10@judge-a");
            assertThat(d.agreement()).isCloseTo(0.75, within(1e-12));
        });
    }

    @Test
    void aReferenceJudgeWithANewVersionJudgesItsCanariesAtOnce() {
        // Given a reference judge `ref` (exact, version 1) and five answers, two of them "Paris." and three
        // "It is Paris", to "the capital of France?" (reference "Paris")
        JudgeSpec v1 = new JudgeSpec("ref", Protocol.REFERENCE, "exact", "1", null, null, null, null, null);
        specs.put(JUDGED, benchmarkSpec(JUDGED, v1));
        for (int i = 0; i < 5; i++) {
            judging.onItem(item(JUDGED, "q" + i, "The capital of France?", Reference.answer("Paris")));
            String output = i < 2 ? "Paris." : "It is Paris";
            Outcome out = judging.onResponse(
                    chatAnswer("r-q" + i, "q" + i, 1, "cand", PLAIN, output, FinishReason.STOP, null),
                    new ReadAt(0, i));
            assertThat(out.judgments())
                    .singleElement()
                    .satisfies(j -> assertThat(j.correct())
                            .isEqualTo(j.itemId().equals("q0") || j.itemId().equals("q1")));
        }

        // When it becomes version 2 with method contains
        JudgeSpec v2 = new JudgeSpec("ref", Protocol.REFERENCE, "contains", "2", null, null, null, null, null);
        specs.put(JUDGED, benchmarkSpec(JUDGED, v2));
        Outcome check = judging.checkCanaries();

        // Then its four canaries (q0..q3) are judged at once, all correct now, as ordinary judgments of
        // version 2: agreement 2/4 (q0, q1), and with margins before 0.5/0.5 and after 1/0, p_e = 0.5 and
        // kappa = (0.5 − 0.5)/(1 − 0.5) = 0: no agreement beyond chance
        assertThat(check.requests()).isEmpty();
        assertThat(check.judgments()).hasSize(CANARIES).allSatisfy(j -> {
            assertThat(j.judge()).isEqualTo(v2);
            assertThat(j.correct()).isTrue();
        });
        assertThat(check.drifts()).singleElement().satisfies(d -> {
            assertThat(d.from()).isEqualTo("1");
            assertThat(d.to()).isEqualTo("2");
            assertThat(d.agreement()).isCloseTo(0.5, within(1e-12));
            assertThat(d.kappa()).isCloseTo(0.0, within(1e-12));
        });
    }

    /** Item {@code itemId}'s answer by model {@code cand}, judged by the score judge: its judge requests. */
    private Outcome judge(String itemId) {
        judging.onItem(chatItem(itemId, 1));
        ModelResponse answer =
                chatAnswer("r-" + itemId, itemId, 1, "cand", PLAIN, "answer to " + itemId, FinishReason.STOP, 0.5);
        Outcome out = judging.onResponse(answer, new ReadAt(0, 0));
        assertThat(out.requests()).hasSize(1);
        return out;
    }

    /** The judge model's reply grading the answer of the one request {@code score}. */
    private Outcome grade(List<PromptRequest> requests, int score) {
        return judging.onResponse(reply(requests.get(0), "{\"score\": " + score + "}"), new ReadAt(0, 0));
    }
}
