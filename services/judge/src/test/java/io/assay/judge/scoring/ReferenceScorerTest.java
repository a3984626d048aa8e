package io.assay.judge.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Reference;
import io.assay.contracts.Variant;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferenceScorerTest {
    private static final Variant PLAIN = new Variant("plain", "1", 0, null);
    private final ReferenceScorer scorer = new ReferenceScorer();

    @Test
    void autoPicksChoiceForItemsWithChoices() {
        BenchmarkItem item = item(List.of("red", "green"), Reference.answer("green"));
        Verdict verdict = scorer.score(item, new Variant("plain", "1", 0, List.of(1, 0)), "Hmm.\nAnswer: A", "auto");
        assertThat(verdict.scorer()).isEqualTo("choice");
        assertThat(verdict.correct()).isTrue();
        assertThat(verdict.extracted()).isEqualTo("A");
    }

    @Test
    void autoPicksNumericForAValue() {
        Verdict verdict = scorer.score(item(null, Reference.numeric(9, 0)), PLAIN, "so\nAnswer: 9", null);
        assertThat(verdict.scorer()).isEqualTo("numeric");
        assertThat(verdict.correct()).isTrue();
    }

    @Test
    void autoFallsBackToExact() {
        Verdict verdict = scorer.score(item(null, Reference.answer("Paris")), PLAIN, "Answer: paris.", "auto");
        assertThat(verdict.scorer()).isEqualTo("exact");
        assertThat(verdict.correct()).isTrue();
    }

    @Test
    void aMethodForcesItsScorer() {
        // The reference has both answers and a value; "exact" compares text, so "9.0" is not "9".
        BenchmarkItem item = item(null, new Reference(List.of("9"), 9.0, 0.0, null, null));
        assertThat(scorer.score(item, PLAIN, "Answer: 9.0", "exact").correct()).isFalse();
        assertThat(scorer.score(item, PLAIN, "Answer: 9.0", "numeric").correct())
                .isTrue();
    }

    @Test
    void aMethodTheItemCannotServeIsUnscorable() {
        assertThatThrownBy(() -> scorer.score(item(null, Reference.answer("x")), PLAIN, "Answer: 1", "numeric"))
                .isInstanceOf(UnscorableException.class);
        assertThatThrownBy(() -> scorer.score(item(null, Reference.answer("x")), PLAIN, "Answer: 1", "rouge"))
                .isInstanceOf(UnscorableException.class);
    }

    static BenchmarkItem item(List<String> choices, Reference reference) {
        return new BenchmarkItem(
                "bench",
                "item-1",
                1,
                Instant.parse("2026-01-01T00:00:00Z"),
                null,
                null,
                null,
                "What?",
                null,
                choices,
                reference,
                null,
                null);
    }
}
