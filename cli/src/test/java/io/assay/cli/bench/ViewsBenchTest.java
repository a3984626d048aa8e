package io.assay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code assay bench views} on a small history: every figure printed, and every view by the reader's incremental path
 * equal to the slot path's.
 */
class ViewsBenchTest {

    @Test
    void printsEveryViewAndTheIncrementalPathsAgreeWithTheSlots() {
        StringWriter text = new StringWriter();
        ViewsBench.run(
                new ViewsBench.Options(3_000, 12, 3, 4, 5, ViewsBench.Kind.REFERENCE, List.of()),
                new PrintWriter(text));
        String out = text.toString();
        assertThat(out).contains("[history 3,000] fold CPU per judgment").contains("heap after GC");
        assertThat(out).containsPattern("in-process \\(collectors: [^)]+\\); load ");
        for (String view : new String[] {"accuracy", "format-spread", "regression", "bt", "post-cutoff"}) {
            assertThat(out).containsPattern("(?m)^  " + view + " ");
        }
        assertThat(out).doesNotContain(" NO").containsPattern("(?m)^  accuracy .* yes$");
        // Each view by the path the reader takes: here none is left to the slot path alone.
        assertThat(out)
                .containsPattern("(?m)^  post-cutoff .* streamed .* yes$")
                .containsPattern("(?m)^  judge-agreement .* labelled items .* yes$")
                .contains("no model here declares a knowledge cutoff");
        // irt through its kept cells, as the reader computes it, and then on a live benchmark.
        assertThat(out)
                .containsPattern("(?m)^  irt .* cells .* yes$")
                .containsPattern("irt on a live benchmark: 300 new judgments before each computation \\(\\d+ prefixes"
                        + " read from the journal\\), through the kept cells: .* \\(median of 12; .*;"
                        + " each in ms: (\\d+, ){11}\\d+\\); same as the slot path: yes")
                .containsPattern("Goal \\(issue 15\\): every view under 100 ms with 3,000 judgments of 12 models: ");
    }

    @Test
    void withScoresTheScoreViewsComeFromTheTalliesAndAgreeWithTheSlots() {
        StringWriter text = new StringWriter();
        ViewsBench.run(
                new ViewsBench.Options(3_000, 12, 3, 4, 5, ViewsBench.Kind.SCORES, List.of()), new PrintWriter(text));
        String out = text.toString();
        assertThat(out).contains("3,000 score (1–10) judgments").contains("heap after GC");
        assertThat(out)
                .doesNotContain(" NO")
                .containsPattern("(?m)^  score .* yes$")
                .containsPattern("(?m)^  wb-score .* yes$");
    }

    @Test
    void withPreferencesAndPairsTheRewardViewsComeFromTheTalliesAndAgreeWithTheSlots() {
        StringWriter text = new StringWriter();
        ViewsBench.run(
                new ViewsBench.Options(
                        3_000,
                        12,
                        3,
                        4,
                        5,
                        ViewsBench.Kind.PREFERENCES,
                        List.of(io.assay.aggregator.leaderboard.View.WINRATE)),
                new PrintWriter(text));
        assertThat(text.toString())
                .contains("3,000 preference (1 baseline) judgments")
                .doesNotContain(" NO")
                .containsPattern("(?m)^  winrate .* yes$");

        StringWriter pairs = new StringWriter();
        ViewsBench.run(
                new ViewsBench.Options(3_000, 12, 3, 4, 5, ViewsBench.Kind.PAIRWISE, List.of()),
                new PrintWriter(pairs));
        assertThat(pairs.toString())
                .contains("3,000 pairwise (3 baselines) judgments")
                .doesNotContain(" NO")
                .containsPattern("(?m)^  wb-reward .* yes$")
                .containsPattern("(?m)^  bt ");
    }
}
