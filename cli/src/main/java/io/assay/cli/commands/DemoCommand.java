package io.assay.cli.commands;

import io.assay.cli.DemoSetup;
import io.assay.cli.api.AggregatorClient;
import io.assay.cli.api.LeaderboardTable;
import io.assay.cli.console.Numbers;
import io.assay.cli.dyval.Feeder;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.kafka.ClientSettings;
import io.assay.cli.kafka.Publisher;
import io.assay.cli.stack.Component;
import io.assay.cli.stack.LocalStack;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The whole pipeline on this machine, on simulated models and a generated benchmark. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Start a local KRaft broker and the four services, register four SIMULATED models and a "
                    + "generated benchmark, stream items and print the live leaderboard. Ctrl-C stops everything it started.",
            "With --items N --once it exits 0 once all N items are judged for every model (1 if that does not "
                    + "happen within --timeout)."
        })
public final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--items",
            converter = Numbers.PositiveLong.class,
            description = "Items to stream (at least 1); without it the demo streams until Ctrl-C.")
    long items;

    @Option(
            names = "--once",
            description = "Exit after all --items are judged for every model, printing the final leaderboard.")
    boolean once;

    @Option(
            names = "--rate",
            defaultValue = "20",
            converter = Numbers.PositiveDouble.class,
            description = "Items per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seed", defaultValue = "1", description = "Item generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--benchmark", defaultValue = "dyval", description = "Benchmark name (default: ${DEFAULT-VALUE}).")
    String benchmark;

    @Option(
            names = "--timeout",
            defaultValue = "600",
            converter = Numbers.PositiveLong.class,
            description = "With --once: seconds to wait for every judgment (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(
            names = "--refresh",
            defaultValue = "2",
            converter = Numbers.PositiveDouble.class,
            description = "Seconds between leaderboard prints (default: ${DEFAULT-VALUE}).")
    double refreshSeconds;

    private volatile Feeder feeder;
    private volatile Thread feeding;

    @Override
    public Integer call() throws InterruptedException {
        // Its clients talk to the stack's own PLAINTEXT broker, whatever the shell says for a secured cluster.
        ClientSettings.useLocalStack(true);
        try {
            return onTheLocalStack();
        } finally {
            ClientSettings.useLocalStack(false);
        }
    }

    private int onTheLocalStack() throws InterruptedException {
        if (once && items <= 0) {
            System.err.println("--once needs --items N (a finite number of items to wait for).");
            return 2;
        }
        LocalStack stack = LocalStack.atDefaultLocation();
        List<Component> running = stack.running();
        boolean ownStack = running.isEmpty();
        if (!ownStack && running.size() < Component.ALL.size()) {
            System.err.println("Part of the local stack is running ("
                    + running.stream().map(Component::name).collect(Collectors.joining(", "))
                    + "). Run ./assay down first, or ./assay up to complete it.");
            return 1;
        }
        String name = ownStack ? benchmark : benchmark + "-" + Instant.now().getEpochSecond();
        AtomicBoolean stopped = new AtomicBoolean();
        Thread stopper = new Thread(
                () -> {
                    stopFeeding();
                    stopOnce(stack, stopped);
                },
                "assay-demo-stop");
        if (ownStack) {
            Runtime.getRuntime().addShutdownHook(stopper);
            System.out.println(
                    "Starting a fresh local stack (logs in " + stack.home().resolve("logs") + "):");
            stack.start(true, System.out);
        } else {
            System.out.println("Using the running stack; this demo's benchmark is '" + name + "'.");
        }
        try {
            return run(stack, name);
        } finally {
            if (ownStack) {
                stopOnce(stack, stopped);
            }
        }
    }

    private int run(LocalStack stack, String name) throws InterruptedException {
        Instant now = Instant.now();
        List<ModelSpec> models = DemoSetup.models(now);
        BenchmarkSpec spec = DemoSetup.benchmark(name, now);
        AggregatorClient api = new AggregatorClient(stack.url(Component.AGGREGATOR));
        try (Publisher publisher = new Publisher(stack.bootstrapServers())) {
            // The feed runs on its own thread: an item given up is named there and then.
            publisher.onUndelivered(u -> System.err.println(u));
            publisher.sendAndWait(Topics.BENCHMARKS, spec.benchmark(), spec);
            for (ModelSpec m : models) {
                publisher.sendAndWait(Topics.MODELS, m.modelId(), m);
            }
            System.out.println("Registered " + models.size() + " SIMULATED models (latent skills "
                    + models.stream()
                            .map(m -> m.modelId() + "=" + m.sim().skill())
                            .collect(Collectors.joining(", "))
                    + ") and the generated benchmark '" + name + "'.");
            System.out.println("Leaderboard page: " + stack.url(Component.AGGREGATOR) + "/#/b/" + name);
            System.out.println("Leaderboard API:  " + api.leaderboardUrl(name, "accuracy"));

            AtomicLong published = new AtomicLong();
            Feeder feeder = new Feeder(publisher, new ItemGenerator(name, seed), 0, items, rate, published::set);
            Thread feeding = new Thread(feeder, "assay-demo-feed");
            feeding.setDaemon(true);
            this.feeder = feeder;
            this.feeding = feeding;
            feeding.start();
            try {
                return watch(
                        api,
                        name,
                        models,
                        published,
                        items * spec.templatesOrDefault().size() * spec.samplesOrDefault());
            } finally {
                stopFeeding();
            }
        }
    }

    /** Prints the leaderboard as it changes; with --once, returns when every model has {@code expected} judgments. */
    private int watch(AggregatorClient api, String name, List<ModelSpec> models, AtomicLong published, long expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        String last = "";
        String lastProblem = "";
        while (true) {
            Optional<LeaderboardSnapshot> board;
            try {
                board = api.leaderboard(name, "accuracy");
            } catch (AggregatorClient.ApiException e) {
                board = Optional.empty();
                if (!e.getMessage().equals(lastProblem)) {
                    System.out.println("(" + e.getMessage() + ")");
                    lastProblem = e.getMessage();
                }
            }
            String table = board.map(LeaderboardTable::render).orElse("(no judgments yet)\n");
            boolean complete = board.isPresent() && complete(board.get(), models, expected);
            if (!table.equals(last)) {
                System.out.printf(
                        "%n%s  %s · items published %d%s · judgments %d%n%s",
                        LocalTime.now().truncatedTo(ChronoUnit.SECONDS),
                        name,
                        published.get(),
                        items > 0 ? "/" + items : "",
                        board.map(LeaderboardSnapshot::judgments).orElse(0L),
                        table);
                last = table;
            }
            if (once && complete) {
                System.out.println("\nAll " + items + " items judged for all " + models.size()
                        + " models. Final leaderboard above (models are simulated).");
                return 0;
            }
            if (once && System.nanoTime() > deadline) {
                System.err.println(
                        "\nTimed out after " + timeoutSeconds + " s: not every item was judged for every model. "
                                + progress(board, models, expected) + " See the service logs under .assay/logs/.");
                return 1;
            }
            Thread.sleep((long) (refreshSeconds * 1000));
        }
    }

    private static boolean complete(LeaderboardSnapshot board, List<ModelSpec> models, long expected) {
        Map<String, Long> n = board.rows().stream()
                .collect(Collectors.toMap(LeaderboardSnapshot.Row::modelId, LeaderboardSnapshot.Row::n));
        return models.stream().allMatch(m -> n.getOrDefault(m.modelId(), 0L) >= expected);
    }

    private static String progress(Optional<LeaderboardSnapshot> board, List<ModelSpec> models, long expected) {
        Map<String, Long> n = board.map(b -> b.rows().stream()
                        .collect(Collectors.toMap(LeaderboardSnapshot.Row::modelId, LeaderboardSnapshot.Row::n)))
                .orElse(Map.of());
        return "Judged per model: "
                + models.stream()
                        .map(ModelSpec::modelId)
                        .collect(Collectors.toMap(Function.identity(), m -> n.getOrDefault(m, 0L)))
                + " of " + expected + ".";
    }

    /** Stops publishing before the broker goes away (Ctrl-C runs this from the shutdown hook). */
    private void stopFeeding() {
        Feeder f = feeder;
        Thread t = feeding;
        if (f != null) {
            f.stop();
        }
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void stopOnce(LocalStack stack, AtomicBoolean stopped) {
        if (stopped.compareAndSet(false, true)) {
            System.out.println("\nStopping the local stack...");
            List<String> names = stack.stop();
            System.out.println("Stopped: " + String.join(", ", names));
        }
    }
}
