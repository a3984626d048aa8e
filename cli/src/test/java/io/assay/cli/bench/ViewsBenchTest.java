package io.assay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code assay bench views} on a small history: every figure printed, and every tallied view equal to the slot path's. */
class ViewsBenchTest {

    @Test
    void printsEveryViewAndTheTalliedOnesAgreeWithTheSlots() {
        StringWriter text = new StringWriter();
        ViewsBench.run(new ViewsBench.Options(3_000, 12, 3, 4, 5, false), new PrintWriter(text));
        String out = text.toString();
        assertThat(out).contains("[history 3,000] fold CPU per judgment").contains("heap after GC");
        for (String view : new String[] {"accuracy", "format-spread", "regression", "bt", "post-cutoff"}) {
            assertThat(out).containsPattern("(?m)^  " + view + " ");
        }
        assertThat(out).doesNotContain(" NO").containsPattern("(?m)^  accuracy .* yes$");
        assertThat(out).contains("post-cutoff").contains("slots (not incremental)");
    }

    @Test
    void withScoresTheScoreViewsComeFromTheTalliesAndAgreeWithTheSlots() {
        StringWriter text = new StringWriter();
        ViewsBench.run(new ViewsBench.Options(3_000, 12, 3, 4, 5, true), new PrintWriter(text));
        String out = text.toString();
        assertThat(out).contains("3,000 score (1–10) judgments").contains("heap after GC");
        assertThat(out)
                .doesNotContain(" NO")
                .containsPattern("(?m)^  score .* yes$")
                .containsPattern("(?m)^  wb-score .* yes$");
    }
}
