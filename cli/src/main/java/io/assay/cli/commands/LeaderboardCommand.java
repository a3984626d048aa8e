package io.assay.cli.commands;

import io.assay.cli.api.AggregatorClient;
import io.assay.cli.api.LeaderboardTable;
import io.assay.contracts.Json;
import io.assay.contracts.LeaderboardSnapshot;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints a benchmark's leaderboard. */
@Command(name = "leaderboard", mixinStandardHelpOptions = true,
        description = "Print a benchmark's leaderboard from the aggregator.")
public final class LeaderboardCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Parameters(index = "0", paramLabel = "BENCHMARK", description = "The benchmark.")
    String benchmark;

    @Option(names = "--view", defaultValue = "accuracy", description = "The view (default: ${DEFAULT-VALUE}).")
    String view;

    @Option(names = "--json", description = "Print the JSON the API returns.")
    boolean json;

    @Override
    public Integer call() {
        AggregatorClient client = new AggregatorClient(connection.api);
        Optional<String> body = client.leaderboardJson(benchmark, view);
        if (body.isEmpty()) {
            System.err.println("No leaderboard for '" + benchmark + "' yet: no judgments have been counted for it.");
            return 1;
        }
        if (json) {
            System.out.println(body.get());
        } else {
            LeaderboardSnapshot board = Json.read(body.get(), LeaderboardSnapshot.class);
            System.out.println(benchmark + " · " + view + " · " + board.judgments() + " judgments · as of " + board.asOf());
            System.out.print(LeaderboardTable.render(board));
        }
        return 0;
    }
}
