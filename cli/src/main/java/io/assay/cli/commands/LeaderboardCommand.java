package io.assay.cli.commands;

import io.assay.cli.api.AggregatorClient;
import io.assay.cli.api.LeaderboardTable;
import io.assay.cli.console.JsonOption;
import io.assay.cli.console.Numbers;
import io.assay.contracts.Json;
import io.assay.contracts.LeaderboardSnapshot;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints a benchmark's leaderboard. */
@Command(
        name = "leaderboard",
        mixinStandardHelpOptions = true,
        description = {
            "Print a benchmark's leaderboard from the aggregator.",
            "Views: accuracy, score, wb-score, wb-reward, winrate, lc-winrate, bt, elo, format-spread, post-cutoff, "
                    + "regression, position-bias, irt, judge-agreement.",
            "An unknown benchmark, view, judge or baseline is an error naming the known ones (exit code 1)."
        })
public final class LeaderboardCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Parameters(index = "0", paramLabel = "BENCHMARK", description = "The benchmark.")
    String benchmark;

    @Option(names = "--view", defaultValue = "accuracy", description = "The view (default: ${DEFAULT-VALUE}).")
    String view;

    @Option(names = "--of", description = "post-cutoff: the view to restrict (default accuracy).")
    String of;

    @Option(
            names = {"-k", "--k"},
            converter = Numbers.LengthPenalty.class,
            description =
                    "wb-reward: length penalty K in code points (-1 disables; default " + "the judge's, else 500).")
    Integer k;

    @Option(names = "--baseline", description = "wb-reward, winrate, lc-winrate: the baseline of the headline value.")
    String baseline;

    @Option(names = "--anchor", description = "bt: the model pinned at 1000 (default: mean 1000).")
    String anchor;

    @Option(names = "--window", description = "Only items published within this span before the newest item, e.g. 30d.")
    String window;

    @Option(names = "--post-cutoff", description = "Only items published after each model's knowledge cutoff.")
    boolean postCutoff;

    @Option(
            names = "--stability",
            converter = Numbers.NonNegativeInt.class,
            description = "Kendall's tau against the ranking this many judgments earlier " + "(default 100).")
    Integer stability;

    @Option(
            names = "--judge",
            description = "The judge (its id in the benchmark's judges) whose verdicts to count "
                    + "(default: the first the benchmark lists with verdicts of the view's kind).")
    String judge;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        AggregatorClient client = new AggregatorClient(connection.api);
        Map<String, String> params = new LinkedHashMap<>();
        put(params, "of", of);
        put(params, "k", k);
        put(params, "baseline", baseline);
        put(params, "anchor", anchor);
        put(params, "window", window);
        put(params, "stability", stability);
        put(params, "judge", judge);
        if (postCutoff) {
            params.put("postCutoff", "true");
        }
        // An unknown benchmark, view, judge or baseline: the aggregator's message names the known ones (exit 1).
        String body = client.requireLeaderboardJson(benchmark, view, params);
        if (json.json()) {
            out.println(body);
        } else {
            LeaderboardSnapshot board = Json.read(body, LeaderboardSnapshot.class);
            out.print(LeaderboardTable.header(board));
            out.print(LeaderboardTable.render(board));
        }
        out.flush();
        return 0;
    }

    private static void put(Map<String, String> params, String name, Object value) {
        if (value != null) {
            params.put(name, value.toString());
        }
    }
}
