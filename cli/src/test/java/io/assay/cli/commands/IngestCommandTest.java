package io.assay.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.Assay;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Topics;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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

        // Then the bad lines are named, the good ones published, and the exit code says some failed;
        // stderr is no terminal here, so progress is the summary line alone (count, elapsed, rate)
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString().lines().toList())
                .hasSize(3)
                .anySatisfy(l -> assertThat(l).startsWith(file + ":2: not JSON"))
                .anySatisfy(l -> assertThat(l).startsWith(file + ":4: ").contains("prompt"))
                .last()
                .satisfies(l -> assertThat(l).matches("ingest: 4 lines in \\d+\\.\\d s \\([0-9.,]+/s\\)"));
        assertThat(err.toString()).doesNotContain("\r");
        assertThat(out.toString())
                .contains("Published: 2 BenchmarkItem(s) to assay.items; invalid: 2 line(s); not delivered: 0.");
        try (TestClient client = TestBroker.get().client()) {
            List<BenchmarkItem> published =
                    client.await(Topics.ITEMS, i -> i.benchmark().equals(benchmark), 2, Duration.ofSeconds(20));
            assertThat(published).extracting(BenchmarkItem::itemId).containsExactlyInAnyOrder("a", "c");
        }
    }

    @Test
    void aLineThatIsNotUtf8IsRefusedByNumberAndTheOthersArePublished() throws Exception {
        // Given a file whose second line holds a Latin-1 byte (0xE9) where UTF-8 is required
        String benchmark = "utf8-" + System.nanoTime();
        Path file = dir.resolve("latin1.jsonl");
        Files.write(
                file,
                concat(
                        (item(benchmark, "a", "\"prompt\":\"2+2?\",\"reference\":{\"value\":4}") + "\n")
                                .getBytes(StandardCharsets.UTF_8),
                        (item(benchmark, "caf\u00e9", "\"prompt\":\"3+3?\",\"reference\":{\"value\":6}") + "\n")
                                .getBytes(StandardCharsets.ISO_8859_1),
                        (item(benchmark, "c", "\"prompt\":\"4+4?\",\"reference\":{\"value\":8}") + "\n")
                                .getBytes(StandardCharsets.UTF_8)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Assay.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        // When it is ingested without progress
        int exit =
                cli.execute("ingest", "--quiet", "--bootstrap", TestBroker.get().bootstrapServers(), file.toString());

        // Then line 2 alone is refused (and --quiet left no progress line), by number, and lines 1 and 3 are published
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString().lines().toList())
                .singleElement()
                .satisfies(l -> assertThat(l).startsWith(file + ":2: not UTF-8: invalid byte sequence at byte "));
        assertThat(out.toString()).contains("Published: 2 BenchmarkItem(s) to assay.items; invalid: 1 line(s)");
        try (TestClient client = TestBroker.get().client()) {
            List<BenchmarkItem> published =
                    client.await(Topics.ITEMS, i -> i.benchmark().equals(benchmark), 2, Duration.ofSeconds(20));
            assertThat(published).extracting(BenchmarkItem::itemId).containsExactlyInAnyOrder("a", "c");
        }
    }

    @Test
    void anUnreadableFileIsNamedAndTheOtherFilesAreStillPublished() throws Exception {
        String benchmark = "unreadable-" + System.nanoTime();
        Path file = dir.resolve("items.jsonl");
        Files.writeString(file, item(benchmark, "a", "\"prompt\":\"2+2?\",\"reference\":{\"value\":4}") + "\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Assay.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute(
                "ingest",
                "--bootstrap",
                TestBroker.get().bootstrapServers(),
                dir.resolve("nope.jsonl").toString(),
                file.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("nope.jsonl: cannot read");
        assertThat(out.toString()).contains("Published: 1 BenchmarkItem(s)").contains("some files could not be read");
        try (TestClient client = TestBroker.get().client()) {
            assertThat(client.await(Topics.ITEMS, i -> i.benchmark().equals(benchmark), 1, Duration.ofSeconds(20)))
                    .hasSize(1);
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
    void jsonPrintsTheSummaryAsOneObject() throws Exception {
        Path file = dir.resolve("items.jsonl");
        Files.writeString(file, item("b", "a", "\"prompt\":\"2+2?\",\"reference\":{\"value\":4}") + "\nnot json\n");
        StringWriter out = new StringWriter();
        CommandLine cli = Assay.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));

        int exit = cli.execute("ingest", "--dry-run", "--quiet", "--json", file.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString().strip())
                .isEqualTo("{\"topic\":\"assay.items\",\"dryRun\":true,\"valid\":1,\"invalid\":1,"
                        + "\"notDelivered\":0,\"unreadable\":false,\"exitCode\":1}");
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

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }

    private static String item(String benchmark, String id, String rest) {
        return "{\"benchmark\":\"" + benchmark + "\",\"itemId\":\"" + id
                + "\",\"publishedAt\":\"2026-11-28T00:00:00Z\"," + rest + "}";
    }
}
