package io.assay.systemtests.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assay.aggregator.leaderboard.View;
import io.assay.cli.stack.Component;
import io.assay.contracts.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The fault suite: the same benchmark run twice on the packaged services and a standalone broker
 * (ports + 20000). First with faults: items fed at a steady rate, and at spread-out points (every
 * {@link #SPACING} items after the previous recovery) each service killed with SIGKILL and restarted,
 * and the broker killed with SIGKILL and restarted on its data. Then the same items again on a fresh
 * broker and fresh service state, without faults. Every view of the aggregator equals the fault-free
 * run's, no answered request was paid again, every consumer group has read everything, and each Kafka
 * Streams service restored its stores from the changelogs after its kill (not from its own files). Prints the
 * recovery time of every fault (kill to ready, kill to the first new output of what was killed).
 *
 * <p>The fault-free reference is a run of the same benchmark name on a fresh broker and fresh service
 * state (after the faulted run, which decides how many items there are), because the simulated models and judges are deterministic per (seed, model, benchmark, item,
 * variant) and per judge request id (which hashes the benchmark too): a second benchmark with the same
 * items would get other answers. The items are the same (ItemGenerator with one seed).
 *
 * <p>What is compared: every view's snapshot with its default parameters, row by row and exactly,
 * intervals included (the bootstraps are seeded and fold slots in key order). Left out, because they
 * are defined over ledger order (judgedAt, the judge's clock) and so differ between any two runs:
 * {@code asOf}, the stability tau and its lag, and the online Elo ratings (its set of models and
 * battle counts are compared).
 */
class FaultSuiteIT {
    private static final int PORT_OFFSET = 20_000;
    /** Items per second while the faults are injected: 4 answers and 10 judge calls each. */
    private static final double FEED_RATE = Double.parseDouble(System.getProperty("assay.faults.rate", "4"));
    /** Items fed between one recovery and the next fault, and after the last. */
    private static final long SPACING = Long.getLong("assay.faults.spacing", 60);

    private static final double REFERENCE_RATE = 200;
    private static final Duration PATIENCE = DemoBenchmark.PATIENCE;
    private static final String BENCHMARK = "faults";

    /** The faults, in order; each at its own share of the feed. */
    private static final List<String> FAULTS =
            List.of("model-invoker", "prompt-generator", "kafka", "judge", "aggregator");

    /** The Kafka Streams services: killed, each wipes its local state at the next start (the kit's LastRun). */
    private static final List<String> STREAMS_SERVICES = List.of("prompt-generator", "judge", "aggregator");

    static {
        // The test's own Kafka clients log their whole configuration at INFO each time one is made.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    private final DemoBenchmark bench = new DemoBenchmark(BENCHMARK, "/assay/fault-suite");

    @Test
    void everyViewAfterKillingEachServiceAndTheBrokerEqualsAFaultFreeRun() throws Exception {
        Path home = Path.of(System.getProperty("assay.repo", ".."))
                .toAbsolutePath()
                .normalize()
                .resolve("system-tests/target/fault-suite");
        long start = System.nanoTime();

        // Given a benchmark fed at a steady rate, with each fault injected once along the way
        Map<String, JsonNode> faulted;
        List<String> lags;
        Ledger.Answers answers;
        List<String> figures = new ArrayList<>();
        long items;
        try (FaultStack stack = FaultStack.start(home.resolve("faults"), PORT_OFFSET)) {
            System.out.printf("fault suite: stack ready in %.0f s%n", seconds(System.nanoTime() - start));
            long feedStart = System.nanoTime();
            bench.register(stack.bootstrapServers());
            items = bench.feed(stack.bootstrapServers(), FEED_RATE, 0, (fed, outputs) -> {
                long next = SPACING;
                for (String victim : FAULTS) {
                    while (fed.get() < next) {
                        Thread.sleep(100);
                    }
                    figures.add(inject(stack, victim, fed.get(), outputs));
                    System.out.println("fault suite: " + figures.get(figures.size() - 1));
                    next = fed.get() + SPACING;
                }
                while (fed.get() < next) {
                    Thread.sleep(100);
                }
            });
            System.out.printf("fault suite: %d items fed in %.0f s%n", items, seconds(System.nanoTime() - feedStart));
            faulted = bench.awaitDrained(stack.bootstrapServers(), aggregator(stack), items);
            System.out.printf(
                    "fault suite: drained %.0f s after the feed began%n", seconds(System.nanoTime() - feedStart));
            lags = Ledger.lags(stack.bootstrapServers());
            answers = Ledger.answers(stack.bootstrapServers(), BENCHMARK);
            System.out.println("fault suite: consumer groups " + Ledger.groups(stack.bootstrapServers()));
        }
        double faultSeconds = seconds(System.nanoTime() - start);

        // When the same items of the same benchmark run again on a fresh stack, without faults
        long referenceStart = System.nanoTime();
        Map<String, JsonNode> reference;
        try (FaultStack stack = FaultStack.start(home.resolve("fault-free"), PORT_OFFSET)) {
            bench.register(stack.bootstrapServers());
            bench.feed(stack.bootstrapServers(), REFERENCE_RATE, items, null);
            reference = bench.awaitDrained(stack.bootstrapServers(), aggregator(stack), items);
        }
        double referenceSeconds = seconds(System.nanoTime() - referenceStart);
        System.out.printf(
                "fault suite: %d items x 4 models, run with faults %.0f s, fault-free run %.0f s, total %.0f s%n",
                items, faultSeconds, referenceSeconds, seconds(System.nanoTime() - start));
        figures.forEach(f -> System.out.println("fault suite: " + f));
        System.out.printf(
                "fault suite: %d requests answered, %d response records, %d paid twice%n",
                answers.requests(), answers.records(), answers.paidTwice().size());

        // Then every view equals the fault-free run's, row by row
        assertThat(faulted.keySet()).containsExactlyElementsOf(reference.keySet());
        assertThat(reference.keySet()).containsExactlyInAnyOrderElementsOf(View.names());
        for (String view : reference.keySet()) {
            assertThat(DemoBenchmark.comparable(view, faulted.get(view)))
                    .as("view %s after the faults", view)
                    .isEqualTo(DemoBenchmark.comparable(view, reference.get(view)));
        }
        // and every item was judged for every model
        assertThat(faulted.get("accuracy").get("rows"))
                .allSatisfy(row -> assertThat(row.get("n").asLong()).isEqualTo(items));
        // and no answered request was paid again
        assertThat(answers.paidTwice())
                .as("requests answered twice by the provider")
                .isEmpty();
        // and every consumer group has read every partition to its end
        assertThat(lags).as("consumer group lags").isEmpty();
    }

    /** Injects one fault and waits for the recovery; returns the figures as a line. */
    private String inject(FaultStack stack, String victim, long fed, StageOutputs outputs) throws Exception {
        long countedAtKill = bench.judgmentsOnBoard(aggregator(stack));
        long killed = System.nanoTime();
        StageOutputs.Mark mark;
        if (victim.equals("kafka")) {
            stack.broker().kill();
            stack.broker().start();
            mark = outputs.mark();
        } else {
            stack.service(victim).kill();
            mark = outputs.mark();
            stack.service(victim).start();
        }
        long ready = System.nanoTime();
        OptionalLong output = switch (victim) {
            case "model-invoker" -> outputs.awaitFirstAfter(mark, Topics.RESPONSES, false, PATIENCE);
            case "prompt-generator" -> outputs.awaitFirstAfter(mark, Topics.PROMPTS, true, PATIENCE);
            case "aggregator" -> OptionalLong.of(bench.awaitBoardAbove(aggregator(stack), countedAtKill));
            default -> outputs.awaitFirstAfter(mark, Topics.JUDGMENTS, false, PATIENCE);
        };
        assertThat(output)
                .as(() -> "new output after restarting " + victim + "\n" + diagnosis(stack, outputs, mark))
                .isPresent();
        if (STREAMS_SERVICES.contains(victim)) {
            // Its RocksDB files may hold writes of the transaction the kill aborted (KAFKA-20685): restored
            // from the changelogs instead, as the kit's LastRun logs.
            assertThat(stack.service(victim).logged("the last run did not close cleanly"))
                    .as("%s wiped its local state after the kill", victim)
                    .isTrue();
        }
        String what = switch (victim) {
            case "model-invoker" -> "first new response";
            case "prompt-generator" -> "first new prompt";
            case "aggregator" -> "leaderboard counting more";
            default -> "first new judgment";
        };
        return String.format(
                "%s killed (SIGKILL) at item %d: kill -> ready %.1f s, kill -> %s %.1f s",
                victim, fed, seconds(ready - killed), what, seconds(output.getAsLong() - killed));
    }

    /** What every part was doing when a recovery did not come: the follower, lags, services' errors. */
    private static String diagnosis(FaultStack stack, StageOutputs outputs, StageOutputs.Mark mark) {
        StringBuilder b = new StringBuilder(outputs.describe(mark)).append('\n');
        try {
            b.append("lags: ").append(Ledger.lags(stack.bootstrapServers())).append('\n');
        } catch (Exception e) {
            b.append("lags unknown: ").append(e).append('\n');
        }
        for (Component c : Component.services()) {
            b.append(stack.service(c).errors(5)).append('\n');
        }
        return b.toString();
    }

    private static String aggregator(FaultStack stack) {
        return stack.service(Component.AGGREGATOR).url();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
