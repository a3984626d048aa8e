package io.assay.judge.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** PRE-style weights from a {@code judge-agreement} snapshot: who qualifies, and when the jury is not weighted. */
class JuryWeightsTest {
    private static final JuryWeights RULE = new JuryWeights(0.6, 30);
    private static final Instant AS_OF = Instant.parse("2026-12-01T12:00:00Z");
    private static final List<String> MEMBERS = List.of("j1", "j2", "j3");

    @Test
    void eachExaminedMemberWeighsItsAgreementAndThoseBelowTheQualificationWeighZero() {
        LeaderboardSnapshot snapshot =
                snapshot(row("panel", "j1", 0.8, 40), row("panel", "j2", 0.5, 40), row("panel", "j3", 0.7, 30));

        JuryWeights.Weighting w = RULE.weigh(Optional.of(snapshot), "panel", "1/1", MEMBERS);

        assertThat(w.basis()).isEqualTo(JuryWeights.AGREEMENT);
        assertThat(w.weights()).containsExactly(Map.entry("j1", 0.8), Map.entry("j2", 0.0), Map.entry("j3", 0.7));
        assertThat(w.of(List.of("j3", "j1"))).containsExactly(0.7, 0.8);
        assertThat(w.asOf()).isEqualTo(AS_OF.toString());
    }

    @Test
    void withoutEnoughLabelsForEveryMemberTheJuryTakesThePlainMean() {
        LeaderboardSnapshot snapshot = snapshot(row("panel", "j1", 0.8, 40), row("panel", "j2", 0.9, 29));

        JuryWeights.Weighting w = RULE.weigh(Optional.of(snapshot), "panel", "1/1", MEMBERS);

        assertThat(w.weights()).isNull();
        assertThat(w.of(MEMBERS)).isNull();
        assertThat(w.basis()).isEqualTo("mean: fewer than 30 labels: j2 (29 labels), j3 (0 labels)");
        assertThat(RULE.weigh(Optional.empty(), "panel", "1/1", MEMBERS).basis())
                .isEqualTo("mean: no judge-agreement snapshot");
    }

    @Test
    void rowsOfAnotherJuryOrVersionAreNotItsExamAndNoQualifiedMemberMeansThePlainMean() {
        LeaderboardSnapshot snapshot = snapshot(row("other", "j1", 0.9, 40), row("panel", "j2", 0.4, 40));

        assertThat(RULE.weigh(Optional.of(snapshot), "panel", "1/1", List.of("j1"))
                        .basis())
                .startsWith("mean: fewer than 30 labels: j1");
        assertThat(RULE.weigh(Optional.of(snapshot), "panel", "2/1", List.of("j2"))
                        .basis())
                .startsWith("mean: fewer than 30 labels: j2");
        assertThat(RULE.weigh(Optional.of(snapshot), "panel", "1/1", List.of("j2"))
                        .basis())
                .isEqualTo("mean: no member that voted reached the qualification 0.6");
    }

    static LeaderboardSnapshot snapshot(Row... rows) {
        return new LeaderboardSnapshot(
                "bench", JuryWeights.VIEW, AS_OF, 0, List.of(rows), Map.of(), null, 0L, List.of());
    }

    static Row row(String jury, String member, double agreement, long n) {
        return new Row(
                1,
                jury + "[" + member + "]",
                false,
                agreement,
                null,
                null,
                n,
                Map.of(),
                Map.of("jury", jury, "member", member, "judgeVersion", "1/1"));
    }
}
