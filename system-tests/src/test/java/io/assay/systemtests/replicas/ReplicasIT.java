package io.assay.systemtests.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assay.aggregator.leaderboard.View;
import io.assay.cli.stack.Component;
import io.assay.contracts.Topic;
import io.assay.contracts.Topics;
import io.assay.systemtests.ServiceProcess;
import io.assay.systemtests.faults.DemoBenchmark;
import io.assay.systemtests.faults.FaultStack;
import io.assay.systemtests.faults.Ledger;
import io.assay.systemtests.faults.StageOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Two processes of every service on 6-partition topics, against one process of each: the leaderboards
 * are the same. The demo's benchmark ({@link DemoBenchmark}) is fed at a steady rate to a stack of two
 * replicas per service (instance ids {@code a} and {@code b}, their own ports and state); along the way,
 * replica {@code b} of each service in turn is killed with SIGKILL while items flow and the time until
 * the survivor takes over its work is measured; then the killed replicas are started again side by side
 * (same instance ids, same state) while items still flow, and the time until each holds input
 * partitions again is printed. Then the same items go to a
 * fresh stack of one process per service on the same 6-partition topics. Every view read from either
 * aggregator replica equals the single-replica run's (compared as the fault suite compares them), and
 * every consumer group has read everything.
 *
 * <p>Takeover, per service: from the kill (the process has exited) to the first record written after it
 * on the output partitions that match the killed replica's input partitions (items, prompts and
 * responses keep the item's key from stage to stage, so partition p in is partition p out): candidate
 * prompts for the prompt generator, responses for the invoker, judgments for the judge (whose
 * processor reads the judge's repartition topic). Only the survivor can write there once the victim is
 * dead, and only after the group gave it the partitions: a static member's partitions wait for its
 * session to time out, and under exactly-once its open transaction blocks readers until it times out.
 * The aggregator replicas each fold every partition, so for it the figure is the survivor's board
 * counting more judgments than at the kill.
 */
class ReplicasIT {
    private static final int PORT_OFFSET = 21_000;
    private static final int PARTITIONS = 6;
    private static final List<String> INSTANCES = List.of("a", "b");
    private static final String VICTIM = "b";
    /** Items per second while replicas are killed: 4 answers and 10 judge calls each. */
    private static final double FEED_RATE = Double.parseDouble(System.getProperty("assay.replicas.rate", "3"));
    /** Items fed before the first kill, between two kills, and after the restarts. */
    private static final long SPACING = Long.getLong("assay.replicas.spacing", 15);

    private static final double REFERENCE_RATE = 200;
    /**
     * The longest takeover asserted, with {@code -Dassay.replicas.takeover-limit-s=15} (issue 16's
     * bound); without it the takeovers are only printed, because on the shared 2-core machine (load
     * 26-40) the judge's took 25-32 s (BENCHMARKS.md, "Two replicas of every service").
     */
    private static final Long TAKEOVER_LIMIT_S = Long.getLong("assay.replicas.takeover-limit-s");

    private static final String BENCHMARK = "replicas";
    /** The services killed, in order (the aggregator last: the others' takeovers are read from it). */
    private static final List<Component> VICTIMS =
            List.of(Component.MODEL_INVOKER, Component.PROMPT_GENERATOR, Component.JUDGE, Component.AGGREGATOR);

    static {
        // The test's own Kafka clients log their whole configuration at INFO each time one is made.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    private final DemoBenchmark bench = new DemoBenchmark(BENCHMARK, "/assay/replicas-test");

    /** A takeover measured: the service, what was measured, and kill to it. */
    private record Takeover(Component service, String what, long nanos, String detail) {
        double seconds() {
            return nanos / 1e9;
        }
    }

    @Test
    void twoReplicasOfEveryServiceGiveTheSingleReplicaLeaderboardsAndTakeOverFromAKilledOne() throws Exception {
        Path home = Path.of(System.getProperty("assay.repo", ".."))
                .toAbsolutePath()
                .normalize()
                .resolve("system-tests/target/replicas");
        long start = System.nanoTime();

        // Given two replicas of every service, one of each killed and restarted while items flow
        List<Map<String, JsonNode>> replicated = new ArrayList<>();
        List<Takeover> takeovers = new ArrayList<>();
        List<String> lags;
        long items;
        try (FaultStack stack =
                FaultStack.start(home.resolve("two"), PORT_OFFSET, PARTITIONS, INSTANCES, ReplicasIT::env)) {
            System.out.printf(
                    "replicas: %d services x %d replicas ready in %.0f s (load %s)%n",
                    Component.services().size(), INSTANCES.size(), seconds(System.nanoTime() - start), load());
            long feedStart = System.nanoTime();
            bench.register(stack.bootstrapServers());
            items = bench.feed(stack.bootstrapServers(), FEED_RATE, 0, (fed, outputs) -> {
                long next = SPACING;
                for (Component victim : VICTIMS) {
                    while (fed.get() < next) {
                        Thread.sleep(100);
                    }
                    Takeover t = killAndTakeOver(stack, victim, fed.get(), outputs);
                    takeovers.add(t);
                    System.out.println("replicas: " + t.detail());
                    next = fed.get() + SPACING;
                }
                System.out.println("replicas: " + restartVictims(stack, fed.get()));
                next = fed.get() + SPACING;
                while (fed.get() < next) {
                    Thread.sleep(100);
                }
            });
            System.out.printf("replicas: %d items fed in %.0f s%n", items, seconds(System.nanoTime() - feedStart));
            for (ServiceProcess aggregator : stack.replicas(Component.AGGREGATOR)) {
                replicated.add(bench.awaitDrained(stack.bootstrapServers(), aggregator.url(), items));
            }
            System.out.printf(
                    "replicas: drained %.0f s after the feed began%n", seconds(System.nanoTime() - feedStart));
            lags = Ledger.lags(stack.bootstrapServers());
            System.out.println("replicas: consumer groups " + Ledger.groups(stack.bootstrapServers()));
        }
        double replicatedSeconds = seconds(System.nanoTime() - start);

        // When the same items run on one process per service, on the same 6-partition topics
        long singleStart = System.nanoTime();
        Map<String, JsonNode> single;
        try (FaultStack stack =
                FaultStack.start(home.resolve("one"), PORT_OFFSET, PARTITIONS, List.of("a"), ReplicasIT::env)) {
            bench.register(stack.bootstrapServers());
            bench.feed(stack.bootstrapServers(), REFERENCE_RATE, items, null);
            single = bench.awaitDrained(
                    stack.bootstrapServers(),
                    stack.service(Component.AGGREGATOR).url(),
                    items);
        }
        System.out.printf(
                "replicas: %d items x 4 models, two replicas (with kills) %.0f s, one replica %.0f s, total %.0f s"
                        + " (load %s)%n",
                items,
                replicatedSeconds,
                seconds(System.nanoTime() - singleStart),
                seconds(System.nanoTime() - start),
                load());
        takeovers.forEach(t -> System.out.println("replicas: " + t.detail()));

        // Then every view of either aggregator replica equals the single replica's, row by row
        assertThat(single.keySet()).containsExactlyInAnyOrderElementsOf(View.names());
        for (int r = 0; r < replicated.size(); r++) {
            Map<String, JsonNode> views = replicated.get(r);
            assertThat(views.keySet()).containsExactlyElementsOf(single.keySet());
            for (String view : single.keySet()) {
                assertThat(DemoBenchmark.comparable(view, views.get(view)))
                        .as("view %s of aggregator replica %s", view, INSTANCES.get(r))
                        .isEqualTo(DemoBenchmark.comparable(view, single.get(view)));
            }
        }
        // and every item was judged for every model
        assertThat(single.get("accuracy").get("rows"))
                .allSatisfy(row -> assertThat(row.get("n").asLong()).isEqualTo(items));
        // and every consumer group has read every partition to its end
        assertThat(lags).as("consumer group lags").isEmpty();
        // and, when a limit is given, each survivor took over within it
        if (TAKEOVER_LIMIT_S != null) {
            assertThat(takeovers)
                    .allSatisfy(t -> assertThat(t.seconds()).as(t.detail()).isLessThanOrEqualTo(TAKEOVER_LIMIT_S));
        }
    }

    /**
     * The settings of one process besides its own (each aggregator replica folds every partition under
     * its own application id, {@code assay-aggregator-<instance id>}, by default). With {@code
     * -Dassay.replicas.session-timeout-ms}, every consumer group member gets that session instead of the
     * kit's (to measure what Kafka's default, 45000, costs); with {@code -Dassay.replicas.standby-replicas},
     * the Kafka Streams services keep that many standby replicas of each task instead of the kit's none (1
     * measures a takeover from a warm copy of the stores instead of a restore from their changelogs).
     */
    private static Map<String, String> env(Component service, String instanceId) {
        Map<String, String> env = new LinkedHashMap<>();
        String session = System.getProperty("assay.replicas.session-timeout-ms");
        if (session != null) {
            env.put("KAFKA_SESSION_TIMEOUT_MS", session);
        }
        String standbys = System.getProperty("assay.replicas.standby-replicas");
        if (standbys != null) {
            env.put("KAFKA_STREAMS_NUM_STANDBY_REPLICAS", standbys);
        }
        return env;
    }

    /** Kills replica {@value #VICTIM} of {@code service} and measures the survivor's takeover. */
    private Takeover killAndTakeOver(FaultStack stack, Component service, long fed, StageOutputs outputs)
            throws Exception {
        ServiceProcess victim = stack.replicas(service).get(INSTANCES.indexOf(VICTIM));
        ServiceProcess survivor = stack.replicas(service).get(INSTANCES.indexOf(VICTIM) == 0 ? 1 : 0);
        String group = group(service);
        String input = input(service);
        Set<Integer> partitions = group == null ? Set.of() : assigned(stack, group, service, VICTIM, input);
        String load = load();
        long countedAtKill = bench.judgmentsOnBoard(survivor.url());
        long killed = System.nanoTime();
        Instant killedAt = Instant.now();
        victim.kill();
        StageOutputs.Mark mark = outputs.mark();
        OptionalLong output;
        String what;
        if (service.equals(Component.AGGREGATOR)) {
            output = OptionalLong.of(bench.awaitBoardAbove(survivor.url(), countedAtKill));
            what = "the survivor's board counting more";
        } else {
            Topic<String, ?> out = output(service);
            output = outputs.awaitFirstAfter(
                    mark, out, service.equals(Component.PROMPT_GENERATOR), partitions, DemoBenchmark.PATIENCE);
            what = "first new " + out.name() + " record on its partitions " + partitions;
        }
        assertThat(output)
                .as(() -> "the survivor took over from " + victim.label() + "\n" + outputs.describe(mark) + "\n"
                        + survivor.errors(5))
                .isPresent();
        long tookOver = output.getAsLong() - killed;
        String after = group == null ? "" : ", survivor holds " + assigned(stack, group, service, "a", input);

        return new Takeover(
                service,
                what,
                tookOver,
                String.format(
                        "%s killed (SIGKILL) at %s, item %d (load %s): kill -> %s %.1f s%s",
                        victim.label(), killedAt, fed, load, what, seconds(tookOver), after));
    }

    /**
     * Starts every killed replica again, side by side (same instance id, same state), while items flow;
     * returns how long each took to be ready and to hold input partitions again, as a line.
     */
    private String restartVictims(FaultStack stack, long fed) throws Exception {
        long restarting = System.nanoTime();
        Map<Component, CompletableFuture<Long>> ready = new LinkedHashMap<>();
        for (Component service : VICTIMS) {
            ServiceProcess victim = stack.replicas(service).get(INSTANCES.indexOf(VICTIM));
            ready.put(service, CompletableFuture.supplyAsync(() -> {
                try {
                    victim.start();
                    return System.nanoTime();
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }));
        }
        StringBuilder line = new StringBuilder(String.format("restarted the killed replicas at item %d:", fed));
        for (Map.Entry<Component, CompletableFuture<Long>> e : ready.entrySet()) {
            long at = e.getValue().join();
            String group = group(e.getKey());
            line.append(String.format(
                    " %s-%s ready %.1f s%s;",
                    e.getKey().name(),
                    VICTIM,
                    seconds(at - restarting),
                    group == null ? "" : restarted(stack, group, e.getKey(), input(e.getKey()), at)));
        }
        return line.toString();
    }

    /** When the restarted victim holds input partitions again (waited for up to 30 s), as a phrase. */
    private static String restarted(FaultStack stack, String group, Component service, String input, long ready)
            throws InterruptedException, ExecutionException {
        long deadline = ready + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Set<Integer> back = assigned(stack, group, service, VICTIM, input);
            if (!back.isEmpty()) {
                return String.format(" (partitions %s back %.1f s after)", back, seconds(System.nanoTime() - ready));
            }
            Thread.sleep(250);
        }
        return " (no input partitions back within 30 s)";
    }

    /** The consumer group (Kafka Streams application id) whose members share {@code service}'s work. */
    private static String group(Component service) {
        return service.equals(Component.AGGREGATOR) ? null : "assay-" + service.name();
    }

    /** The topic whose partitions decide where {@code service}'s output goes. */
    private static String input(Component service) {
        if (service.equals(Component.MODEL_INVOKER)) {
            return Topics.PROMPTS.name();
        }
        if (service.equals(Component.PROMPT_GENERATOR)) {
            return Topics.ITEMS.name();
        }
        // The judge's processor reads the repartition topic (same key, so same partition numbers).
        return "assay-judge-judge-input-repartition";
    }

    private static Topic<String, ?> output(Component service) {
        if (service.equals(Component.MODEL_INVOKER)) {
            return Topics.RESPONSES;
        }
        return service.equals(Component.PROMPT_GENERATOR) ? Topics.PROMPTS : Topics.JUDGMENTS;
    }

    /**
     * The partitions of {@code topic} that replica {@code instanceId} of {@code service} holds in
     * {@code group}: its members' {@code group.instance.id} is {@code assay-<service>-<instance id>}
     * (with a stream thread's index appended under Kafka Streams).
     */
    private static Set<Integer> assigned(
            FaultStack stack, String group, Component service, String instanceId, String topic)
            throws InterruptedException, ExecutionException {
        String member = "assay-" + service.name() + "-" + instanceId;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            ConsumerGroupDescription d =
                    admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            Set<Integer> partitions = new TreeSet<>();
            for (MemberDescription m : d.members()) {
                String id = m.groupInstanceId().orElse("");
                if (id.equals(member) || id.startsWith(member + "-")) {
                    for (TopicPartition p : m.assignment().topicPartitions()) {
                        if (p.topic().equals(topic)) {
                            partitions.add(p.partition());
                        }
                    }
                }
            }
            return partitions;
        }
    }

    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
