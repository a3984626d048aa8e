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
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@RequiresBroker
class FeedCommandTest {
    @Test
    void aFeedShowsItsProgressSummaryAndPrintsJsonOnRequest() {
        // Given a feed of 3 items at 20 per second, stderr not a terminal
        String benchmark = "feed-" + System.nanoTime();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Assay.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        // When it runs with --json
        int exit = cli.execute(
                "feed",
                "--bootstrap",
                TestBroker.get().bootstrapServers(),
                "--benchmark",
                benchmark,
                "--items",
                "3",
                "--rate",
                "20",
                "--from",
                "5",
                "--json");

        // Then stderr ends with the summary line and stdout is one JSON object
        assertThat(exit).as(err.toString()).isZero();
        assertThat(err.toString().strip()).matches("feed: 3 items in \\d+\\.\\d s \\([0-9.,]+/s\\)");
        assertThat(out.toString().strip())
                .isEqualTo("{\"benchmark\":\"" + benchmark
                        + "\",\"published\":3,\"notDelivered\":0,\"from\":5,\"next\":8,\"exitCode\":0}");
        try (TestClient client = TestBroker.get().client()) {
            assertThat(client.await(Topics.ITEMS, i -> i.benchmark().equals(benchmark), 3, Duration.ofSeconds(20)))
                    .extracting(BenchmarkItem::benchmark)
                    .hasSize(3);
        }
    }
}
