package io.assay.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.Assay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Out-of-range numbers are usage errors: refused while parsing, with a message and exit code 2. */
class BadNumbersTest {
    /** Each command line with a bad number, and the option the message must name. */
    private static final List<List<String>> BAD = List.of(
            List.of("--rate", "feed", "--rate", "0"),
            List.of("--rate", "feed", "--rate", "-1"),
            List.of("--rate", "feed", "--rate", "NaN"),
            List.of("--items", "feed", "--items", "-3"),
            List.of("--items", "feed", "--items", "0"),
            List.of("--from", "feed", "--from", "-1"),
            List.of("--delivery-timeout", "feed", "--delivery-timeout", "0"),
            List.of("--delivery-timeout", "ingest", "--delivery-timeout", "-5", "x.jsonl"),
            List.of("--delivery-timeout", "import", "judgments", "--delivery-timeout", "0", "x.jsonl"),
            List.of("--delivery-timeout", "retry-failed", "--delivery-timeout", "0"),
            List.of("--items", "demo", "--items", "0", "--once"),
            List.of("--rate", "demo", "--rate", "-2"),
            List.of("--timeout", "demo", "--timeout", "0"),
            List.of("--refresh", "demo", "--refresh", "0"),
            List.of("--k", "leaderboard", "b", "--k", "-2"),
            List.of("--stability", "leaderboard", "b", "--stability", "-1"),
            List.of("--rate", "bench", "invoker", "--rate", "0"),
            List.of("--seconds", "bench", "invoker", "--seconds", "-1"),
            List.of("--latency-ms", "bench", "invoker", "--latency-ms", "-1"),
            List.of("--max-concurrency", "bench", "invoker", "--max-concurrency", "0"),
            List.of("--sim-prompts", "bench", "invoker", "--sim-prompts", "-1"),
            List.of("--backpressure", "bench", "invoker", "--backpressure", "-1"),
            List.of("--warmup", "bench", "pipeline", "--warmup", "-1"),
            List.of("--warmup", "bench", "pipeline", "--warmup", "loud"),
            List.of("--repetitions", "bench", "coverage", "--repetitions", "0"),
            List.of("--items", "bench", "coverage", "--items", "1"),
            List.of("--variants", "bench", "coverage", "--variants", "0"),
            List.of("--models", "bench", "coverage", "--models", "-4"),
            List.of("--spread", "bench", "coverage", "--spread", "-1"),
            List.of("--spread", "bench", "coverage", "--spread", "NaN"),
            List.of("--observed", "bench", "coverage", "--observed", "0"),
            List.of("--observed", "bench", "coverage", "--observed", "1.5"),
            List.of("--wait-timeout", "models", "add", "--wait", "--wait-timeout", "0s", "--json", "{}"),
            List.of("--wait-timeout", "models", "add", "--wait", "--wait-timeout", "soon", "--json", "{}"));

    @Test
    void everyBadNumberIsAUsageErrorWithAMessage() {
        for (List<String> bad : BAD) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = Assay.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));

            int exit = cli.execute(bad.subList(1, bad.size()).toArray(String[]::new));

            assertThat(exit).as("%s: %s", bad, err).isEqualTo(2);
            assertThat(err.toString())
                    .as(bad.toString())
                    .contains("Invalid value for option '" + bad.get(0))
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
            assertThat(out.toString()).as(bad.toString()).doesNotContain("Done");
        }
    }

    @Test
    void theMessageSaysWhatIsAllowed() {
        StringWriter err = new StringWriter();
        CommandLine cli = Assay.commandLine();
        cli.setErr(new PrintWriter(err, true));

        assertThat(cli.execute("feed", "--rate", "0")).isEqualTo(2);

        assertThat(err.toString().lines().findFirst())
                .hasValue("Invalid value for option '--rate': must be greater than 0, got '0'");
    }

    @Test
    void goodNumbersStillParse() {
        CommandLine cli = Assay.commandLine();
        cli.parseArgs("feed", "--rate", "0.5", "--items", "1", "--from", "0", "--delivery-timeout", "1");
        cli.parseArgs("leaderboard", "b", "--k", "-1", "--stability", "0");
        cli.parseArgs("models", "add", "--wait", "--wait-timeout", "PT30S", "--json", "{}");
        cli.parseArgs("bench", "coverage", "--items", "2", "--models", "1");
        cli.parseArgs("bench", "pipeline", "--warmup", "quiet");
        cli.parseArgs("bench", "pipeline", "--warmup", "20,000");
    }
}
