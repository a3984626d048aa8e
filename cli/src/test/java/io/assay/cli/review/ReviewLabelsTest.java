package io.assay.cli.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.contracts.EventType;
import io.assay.contracts.Json;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.Origin;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Protocol;
import io.assay.contracts.ReviewRequest;
import io.assay.contracts.Variant;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Review requests and the human judgments that answer them, without a broker. */
class ReviewLabelsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T18:00:00Z");
    private static final JudgeSpec ARENA =
            new JudgeSpec("arena", Protocol.PAIRWISE, "five-level", "1", "gpt-4o", "v2", List.of("base"), 500, true);

    private static Judgment pairwise(String item, String model, PairwiseOutcome outcome) {
        return new Judgment(
                "j-" + item + "-" + model,
                "chat",
                item,
                1,
                "writing",
                NOW.minusSeconds(3600),
                ARENA,
                new Judgment.Subject(model, "req-" + item + "-" + model, new Variant("plain", "1", 0, null), 900),
                JudgmentKind.PAIRWISE,
                null,
                null,
                new Judgment.Pairwise(outcome, "base", "req-" + item + "-base", 800, "both", List.of("A+", "A+")),
                null,
                null,
                false,
                false,
                false,
                "r",
                null,
                Origin.PIPELINE,
                NOW.minusSeconds(60));
    }

    @Test
    void aLabelIsAHumanJudgmentOfTheSameAnswerUnderItsOwnJudgeAndAnswersItsRequest() {
        // Given a position-inconsistent pairwise judgment waiting for review
        ReviewRequest request = ReviewRequest.of(
                pairwise("i1", "m", PairwiseOutcome.TIE), List.of(ReviewRequest.POSITION_INCONSISTENT), NOW);

        // When ana labels it "win"
        Judgment human = ReviewLabels.label(request, "ana", "win", NOW);

        // Then it is a valid judgment of the same answer and baseline, origin human, judge human:ana
        assertThat(EventType.JUDGMENT.violations(Json.mapper().valueToTree(human)))
                .isEmpty();
        assertThat(human.origin()).isEqualTo(Origin.HUMAN);
        assertThat(human.judge().id()).isEqualTo("human:ana");
        assertThat(human.judge().protocol()).isEqualTo(Protocol.PAIRWISE);
        assertThat(human.subject()).isEqualTo(request.judgment().subject());
        assertThat(human.pairwise().outcome()).isEqualTo(PairwiseOutcome.BETTER);
        assertThat(human.pairwise().baselineModel()).isEqualTo("base");
        assertThat(human.key()).isEqualTo(request.key());
        assertThat(ReviewLabels.label(request, "ana", "win", NOW.plusSeconds(5)).judgmentId())
                .as("a relabel by the same reviewer replaces the label's slot, never adds one")
                .isEqualTo(human.judgmentId());

        // And the request is no longer pending; another one still is
        ReviewRequest other =
                ReviewRequest.of(pairwise("i2", "m", PairwiseOutcome.WORSE), List.of(ReviewRequest.SAMPLED), NOW);
        List<ReviewRequest> requests = List.of(request, other);
        assertThat(ReviewLabels.pending(requests, List.of())).containsExactly(request, other);
        assertThat(ReviewLabels.pending(requests, List.of(request.judgment(), human)))
                .containsExactly(other);
        assertThat(ReviewLabels.matching(requests, null, "i2", "m", null)).containsExactly(other);
        assertThat(ReviewLabels.matching(requests, null, "i2", "m", "other-baseline"))
                .isEmpty();
    }

    @Test
    void aLabelThatDoesNotFitTheKindIsRefused() {
        ReviewRequest request =
                ReviewRequest.of(pairwise("i1", "m", PairwiseOutcome.TIE), List.of(ReviewRequest.SAMPLED), NOW);
        assertThatThrownBy(() -> ReviewLabels.label(request, null, "correct", NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("much_better");
        assertThat(ReviewLabels.label(request, null, "much_worse", NOW).judge().id())
                .isEqualTo("human");
    }
}
