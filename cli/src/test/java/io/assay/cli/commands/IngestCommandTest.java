package io.assay.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.Assay;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Topics;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@RequiresBroker
class IngestCommandTest {
    @TempDir
    Path dir;

    @Test
    void publishesTheGoodLinesAndNamesTheBadOnesByLineNumber() throws Exception {
        // Given a file of four items, two of them malformed (lines 2 and 4)
        String benchmark = "ingest-" + System.nanoTime();
        Path file = dir.resolve("items.jsonl");
        Files.writeString(
                file,
                String.join(
                                "\n",
                                item(benchmark, "a", "\"prompt\":\"2+2?\",\"reference\":{\"value\":4}"),
                                "{\"benchmark\":\"" + benchmark + "\",\"itemId\":\"b\",",
                                item(
                                        benchmark,
                                        "c",
                                        "\"prompt\":\"Capital of France?\",\"reference\":{\"answers\":[\"Paris\"]}"),
                                item(benchmark, "d", "\"reference\":{\"answers\":[\"no input\"]}"))
                        + "\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Assay.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        // When it is ingested
        int exit = cli.execute("ingest", "--bootstrap", TestBroker.get().bootstrapServers(), file.toString());

        // Then the bad lines are named, the good ones published, and the exit code says some failed
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString().lines().toList())
                .hasSize(2)
                .anySatisfy(l -> assertThat(l).startsWith(file + ":2: not JSON"))
                .anySatisfy(l -> assertThat(l).startsWith(file + ":4: ").contains("prompt"));
        assertThat(out.toString()).contains("Published: 2 BenchmarkItem(s) to assay.items; invalid: 2 line(s).");
        try (TestClient client = TestBroker.get().client()) {
            List<BenchmarkItem> published =
                    client.await(Topics.ITEMS, i -> i.benchmark().equals(benchmark), 2, Duration.ofSeconds(20));
            assertThat(published).extracting(BenchmarkItem::itemId).containsExactlyInAnyOrder("a", "c");
        }
    }

    @Test
    void aMissingFileIsAClearErrorWithItsOwnExitCode() {
        StringWriter err = new StringWriter();
        CommandLine cli = Assay.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("ingest", "--dry-run", dir.resolve("nope.jsonl").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("nope.jsonl: cannot read");
    }

    @Test
    void aStoppedBrokerIsOneClearErrorNotAWaitPerLine() throws Exception {
        Path file = dir.resolve("items.jsonl");
        Files.writeString(file, item("b", "a", "\"prompt\":\"2+2?\",\"reference\":{\"value\":4}") + "\n");
        StringWriter err = new StringWriter();
        CommandLine cli = Assay.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("ingest", "--bootstrap", "127.0.0.1:1", file.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach Kafka at 127.0.0.1:1").contains("./assay up");
    }

    private static String item(String benchmark, String id, String rest) {
        return "{\"benchmark\":\"" + benchmark + "\",\"itemId\":\"" + id
                + "\",\"publishedAt\":\"2026-11-28T00:00:00Z\"," + rest + "}";
    }
}
